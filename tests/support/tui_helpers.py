"""Shared pieces for the TUI tests: fixed workshop content and reading the screen as text."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from sessions import SessionStore, has_engagement_details
from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.assignment_card import AssignmentCard

SIZE = (120, 40)

# Three workshops, created oldest first, so the home screen lists them in reverse.
SPRING = "Spring launch plan"
REBRAND = "Retail rebrand"
Q3 = "Q3 marketing strategy"

# An outcome statement that passes every check.
SAMPLE_OUTCOME = {
    "result": "More repeat customers",
    "metric": "Repeat purchase rate",
    "baseline": "18%",
    "target": "25%",
    "due": "Q3",
    "owner": "Lee Wong",
    "priority": "Retention",
    "stakeholders": ["Lee Wong"],
    "leading_indicators": ["Loyalty sign-ups"],
}


def make_app(db_path: Path) -> WorkshopApp:
    """The real app on the real service; it neither reads nor writes user preferences."""
    return WorkshopApp(WorkshopService.open(db_path), remember=False)


def seed_sessions(db_path: Path) -> dict[str, str]:
    """Fixed content through the real store; returns {title: session id}."""
    with SessionStore.open(db_path) as store:
        spring = store.create_session(
            {
                "title": SPRING,
                "organisation": "Northwind Co-op",
                "workshop_date": "2025-03-12",
                "facilitator": "Dana Reyes",
                "priorities": ["Grow membership by 10%", "Launch the new app"],
                "challenges": "Member churn after the first year.",
            },
            [
                {
                    "name": "Priya Shah",
                    "role": "Head of Sales",
                    "team": "Sales",
                    "notes": "Worried about the newsletter cadence.",
                    "influence": "high",
                    "stance": "neutral",
                },
                {
                    "name": "Tom Berg",
                    "role": "CFO",
                    "team": "Finance",
                    "notes": "Wants one clear budget line.",
                },
            ],
        )
        rebrand = store.create_session(
            {
                "title": REBRAND,
                "organisation": "Acme Retail",
                "workshop_date": "2025-04-02",
                "marketing_today": "Print flyers and a monthly email.",
            },
            [{"name": "Lee Wong", "role": "Brand lead", "notes": "Pushes for a loyalty scheme."}],
        )
        approved = store.create_item(rebrand.id, "outcome", SAMPLE_OUTCOME, "person", "Dana")
        store.approve_item(approved.id, "Dana")
        store.create_item(
            rebrand.id,
            "outcome",
            {**SAMPLE_OUTCOME, "result": "Higher basket size"},
            "person",
            "Dana",
        )
        q3 = store.create_session(
            {"title": Q3, "organisation": "Globex", "workshop_date": "2025-06-30"}
        )
    return {SPRING: spring.id, REBRAND: rebrand.id, Q3: q3.id}


def pin_session_id(db_path: Path, session_id: str, fixed_id: str) -> str:
    """Give a session a fixed id, so a screenshot of a view that shows it is repeatable.

    Ids are random by design; this is test data preparation on the closed file, done
    before the app opens it (foreign keys are off on a plain sqlite3 connection).
    """
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                    "'CREATE VIRTUAL%' AND name NOT LIKE '%_fts%'"
                )
            ]
            for table in tables:
                columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
                for column in ("session_id", "parent_id"):
                    if column in columns:
                        conn.execute(
                            f'UPDATE "{table}" SET {column} = ? WHERE {column} = ?',
                            [fixed_id, session_id],
                        )
            conn.execute("UPDATE sessions SET id = ? WHERE id = ?", [fixed_id, session_id])
    finally:
        conn.close()
    return fixed_id


def screen_text(app: App) -> str:
    """What the terminal shows right now, as plain text (the same render as a screenshot)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


async def settle(pilot: Pilot) -> None:
    """Let typed keys reach their handlers and any search worker finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def stop_blinking(app: App) -> None:
    """A blinking cursor would make screenshots differ from run to run."""
    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False


async def wait_for(pilot: Pilot, condition, tries: int = 100) -> bool:
    """Let the app run until condition() holds (a screen pushed, a board rebuilt…)."""
    for _ in range(tries):
        if condition():
            return True
        await pilot.pause(0.05)
    return bool(condition())


async def wait_for_preview(pilot: Pilot) -> None:
    """Until the request preview (what will be sent to the model) is on screen."""
    from workshop.tui.dialogs.request_preview import RequestPreviewDialog

    # Pushed is not yet drawn: wait for the words a person reads on it.
    assert await wait_for(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, RequestPreviewDialog)
            and "as it will be sent" in screen_text(pilot.app)
        ),
    )


async def send_preview(pilot: Pilot) -> None:
    """Answer the request preview with Enter (send), then let the drafting worker finish."""
    app = pilot.app
    await wait_for_preview(pilot)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def sending_lines(app: App) -> list[str]:
    """The lines said when a draft goes out without the request preview."""
    return [n for n in notifications(app) if n.startswith("Sending ")]


async def sent_without_preview(pilot: Pilot) -> str:
    """A draft of a kind already previewed in this session: it goes out with no dialog, and
    one line says what is sent and where. Returns that line once the draft is done."""
    from workshop.tui.dialogs.request_preview import RequestPreviewDialog
    from workshop.tui.stages.drafting_pane import DRAFTING_GROUP

    app = pilot.app

    def drafting_over() -> bool:
        return all(w.is_finished for w in app.workers if w.group == DRAFTING_GROUP)

    # A dialog would hold the draft forever: stop waiting as soon as one is up.
    assert await wait_for(
        pilot, lambda: isinstance(app.screen, RequestPreviewDialog) or drafting_over(), tries=200
    )
    assert not isinstance(app.screen, RequestPreviewDialog), "the preview showed again"
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    said = sending_lines(app)
    assert said, notifications(app)
    return said[-1]


# The stages' number keys, as a person presses them in the workshop screen.
STAGE_KEYS = {
    "brief": "1",
    "stakeholders": "2",
    "segmentation": "3",
    "discussions": "4",
    "outcomes": "5",
    "plan": "6",
    "review": "7",
    "export": "8",
    "progress": "9",
}


async def open_stage(
    pilot: Pilot,
    session_id: str,
    stage: str | None = None,
    *,
    keys: tuple[str, ...] = (),
    for_snapshot: bool = False,
) -> WorkshopScreen:
    """Open a session's workshop screen, as Enter on the home list does, and go to a stage.

    The screen opens at the session's saved stage; `stage` (a key of STAGE_KEYS) presses
    that stage's number, then any further `keys`. After opening, and after the keys, the
    app is let settle: every pane mounted and drawn, the workers done. `for_snapshot`
    then fixes the status line's clock and stops the cursors blinking, for a screenshot.
    """
    app = pilot.app
    screen = WorkshopScreen(app.service, session_id)
    await app.push_screen(screen)
    await settle(pilot)  # every pane mounted and drawn before the stage key
    pressed = ([STAGE_KEYS[stage]] if stage else []) + list(keys)
    if pressed:
        await pilot.press(*pressed)
        await settle(pilot)
    if for_snapshot:
        await pilot.pause()
        freeze_status_bar(app.screen)
        stop_blinking(app)
        await pilot.pause()
    return screen


def saved_record(db_path: Path, session_id: str):
    """The session as the database holds it, read through a second connection."""
    with SessionStore.open(db_path) as store:
        return store.load_session(session_id)


def notifications(app: App) -> list[str]:
    return [n.message for n in app._notifications]


def freeze_status_bar(screen, saved_at: str = "09:30:00", timer: str = "Time 00:00") -> None:
    """Make the workshop's status line the same on every run, for a screenshot.

    It shows the wall-clock time of the last save and a stage timer that the screen's
    one-second interval rewrites: pause the screen's own timers (that interval is the
    only one it sets), then write fixed text into those two parts.
    """
    for timer_ in list(screen._timers):
        timer_.pause()
    screen.query_one("#status-save", Static).update(f"✓ saved {saved_at}")
    screen.query_one("#status-timer", Static).update(timer)


# The segmentation board ---------------------------------------------------------------


def assignment_cards(app) -> list[AssignmentCard]:
    """The board's cards, one a person, in the order shown."""
    return list(app.screen.query(AssignmentCard))


async def draft_all(app, pilot, preview: bool = True):
    """d on the board; the first draft of a session answers the preview, a later one
    (preview=False) goes out without it."""
    await pilot.press("d")
    if preview:
        await send_preview(pilot)
    else:
        await sent_without_preview(pilot)


def detailed_cards(app) -> list[str]:
    """Whose cards show a stored draft with engagement details, not only a placement."""
    return sorted(
        c.person.name
        for c in assignment_cards(app)
        if c.item is not None and has_engagement_details(c.item.body)
    )


async def start_drafting_until(app, pilot, finished: list[str]) -> None:
    """Draft all and send; return while drafting goes on, once exactly the people named in
    `finished` have their whole draft (placement and engagement details) on their cards."""
    await pilot.press("d")
    await wait_for_preview(pilot)
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: detailed_cards(app) == sorted(finished), tries=200), (
        detailed_cards(app)
    )
