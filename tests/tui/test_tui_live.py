"""Live with other writers: what another window or the CLI commits to the same SQLite file
shows in the running app, and never takes away what a person is typing."""

from __future__ import annotations

from pathlib import Path

from support.tui_helpers import (
    REBRAND,
    SAMPLE_OUTCOME,
    SIZE,
    SPRING,
    make_app,
    open_stage,
    screen_text,
    seed_sessions,
    settle,
    wait_for,
)
from textual.widgets import DataTable, Input

from sessions import ItemKind
from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.live_view import LiveViewApp
from workshop.tui.screens.home import HomeScreen
from workshop.tui.screens.workshop_screen import WorkshopScreen

# Keys the read-only view may have: moving about, copying, leaving (Textual's and its own).
SAFE_ACTIONS = {
    "quit",
    "focus_next",
    "focus_previous",
    "app.focus_next",
    "app.focus_previous",
    "screen.copy_text",
    "copy_text",
    "screen.maximize",
    "screen.minimize",
    "maximize",
    "minimize",
    "help_quit",
    "scroll_up",
    "scroll_down",
    "scroll_left",
    "scroll_right",
    "scroll_home",
    "scroll_end",
    "page_up",
    "page_down",
    "page_left",
    "page_right",
}
TRIES = 200  # × 0.05 s: several of the app's polls, for a loaded machine


def other_window(db_path: Path) -> WorkshopService:
    """A second program on the same file: its own connection, its own commits."""
    return WorkshopService.open(db_path)


def titles(app: WorkshopApp) -> list[str]:
    table = app.screen.query_one("#sessions", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


def row_of(app: WorkshopApp, title: str) -> list[str]:
    table = app.screen.query_one("#sessions", DataTable)
    for row in range(table.row_count):
        cells = [str(cell) for cell in table.get_row_at(row)]
        if cells[0] == title:
            return cells
    raise AssertionError(f"{title} is not in the list")


async def test_home_shows_what_another_window_creates_and_changes(db_path: Path) -> None:
    ids = seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(pilot)
        assert "Made in the other window" not in titles(app)
        with other_window(db_path) as other:
            other.sessions.new(title="Made in the other window", organisation="Contoso")
            other.people.add(ids[SPRING], {"name": "Zed Quill", "role": "CFO"})
            other.sessions.set_stage(ids[REBRAND], "outcomes")
        assert await wait_for(pilot, lambda: "Made in the other window" in titles(app), TRIES)
        assert await wait_for(pilot, lambda: row_of(app, SPRING)[4] == "3", TRIES)
        assert row_of(app, REBRAND)[3] == "Outcomes"
        text = screen_text(app)
        assert "Made in the other window" in text and "Contoso" in text


async def test_the_search_being_typed_stays_while_its_hits_refresh(db_path: Path) -> None:
    seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("slash", *"Spring")
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        hits = app.screen.query_one("#hits", DataTable)
        assert hits.row_count == 1
        with other_window(db_path) as other:
            other.sessions.new(title="Spring fair", organisation="Contoso")
        assert await wait_for(pilot, lambda: hits.row_count == 2, TRIES)
        assert "Spring fair" in screen_text(app)
        assert search.value == "Spring"
        assert app.screen.focused is search  # the next key still types into the box
        await pilot.press(*" fair")
        await settle(pilot)
        assert search.value == "Spring fair"


async def test_the_shown_stage_redraws_another_windows_change(db_path: Path) -> None:
    ids = seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(pilot)
        await open_stage(pilot, ids[SPRING], "stakeholders")
        assert "Zed Quill" not in screen_text(app)
        with other_window(db_path) as other:
            other.people.add(ids[SPRING], {"name": "Zed Quill", "role": "CFO"})
            other.sessions.update_brief(
                ids[SPRING], {"title": "Spring launch, renamed", "organisation": "Northwind"}
            )
        assert await wait_for(pilot, lambda: "Zed Quill" in screen_text(app), TRIES)
        assert "Spring launch, renamed" in screen_text(app)  # the status line's title


async def test_text_being_typed_is_kept_and_the_change_waits_for_it(db_path: Path) -> None:
    ids = seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(pilot)
        screen = await open_stage(pilot, ids[SPRING], "stakeholders")
        entry = screen.query_one("#stk-entry", Input)
        entry.focus()
        await pilot.press(*"Ann Lee, CMO")
        await settle(pilot)
        with other_window(db_path) as other:
            other.people.add(ids[SPRING], {"name": "Zed Quill", "role": "CFO"})
        # The app has seen the change and holds it back while the entry has text.
        assert await wait_for(pilot, lambda: app._live_pending, TRIES)
        await pilot.pause(1.0)  # more polls: still nothing drawn over the entry
        assert entry.value == "Ann Lee, CMO"
        assert app.screen.focused is entry
        assert "Zed Quill" not in screen_text(app)
        await pilot.press("enter")  # saved here; the pane redraws, with the other's too
        await settle(pilot)
        assert await wait_for(pilot, lambda: "Zed Quill" in screen_text(app), TRIES)
        assert "Ann Lee" in screen_text(app)
        assert await wait_for(pilot, lambda: not app._live_pending, TRIES)


async def test_back_home_the_list_is_fresh(db_path: Path) -> None:
    ids = seed_sessions(db_path)
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        app = pilot.app
        await settle(pilot)
        screen = await open_stage(pilot, ids[SPRING], "stakeholders")
        entry = screen.query_one("#stk-entry", Input)
        entry.focus()
        await pilot.press(*"Ann Lee, CMO", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert row_of(app, SPRING)[4] == "3"
        assert row_of(app, SPRING)[3] == "Stakeholders"


async def test_open_goes_straight_to_the_session(db_path: Path) -> None:
    ids = seed_sessions(db_path)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False, open_session=ids[REBRAND])
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, WorkshopScreen), TRIES)
        await settle(pilot)
        assert REBRAND in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # home is beneath it, as after Enter there
        assert REBRAND in titles(app)


# The read-only live view (what `workshop serve` shows each browser) ---------------------


def live_view(db_path: Path, session_id: str) -> LiveViewApp:
    return LiveViewApp(WorkshopService.open(db_path), session_id)


async def test_live_view_shows_board_map_and_outcomes_as_they_change(db_path: Path) -> None:
    ids = seed_sessions(db_path)
    app = live_view(db_path, ids[SPRING])
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert SPRING in text and "Segment board" in text
        assert "Influence × support for marketing" in text
        assert "Approved outcomes: none yet." in text
        with other_window(db_path) as other:
            by = other.items.author(ids[SPRING])
            outcome = other.items.write(ids[SPRING], ItemKind.OUTCOME, SAMPLE_OUTCOME, by)
            other.items.approve(outcome.id, by, outcome.version)
            person = other.people.find_by_name(ids[SPRING], "Priya Shah")
            placed = other.items.write(
                ids[SPRING],
                ItemKind.SEGMENTATION,
                {
                    "segment": "champion",
                    "rationale": "Backs the plan.",
                    "motivations": [],
                    "objections": [],
                    "approach": "Ask her to open the workshop.",
                    "messages": [],
                    "confidence": "high",
                },
                by,
                stakeholder_id=person.id,
            )
            other.items.approve(placed.id, by, placed.version)
        # The whole redraw, not its first line: a taller table is laid out a frame later.
        wanted = (
            "Approved outcomes (1)",
            "More repeat customers",
            "Repeat purchase",
            "25%",
            "Champion (1)",
            "Priya Shah ✓",
        )
        assert await wait_for(pilot, lambda: all(w in screen_text(app) for w in wanted), TRIES), (
            screen_text(app)
        )


async def test_live_view_has_no_key_that_changes_anything(db_path: Path) -> None:
    ids = seed_sessions(db_path)
    with WorkshopService.open(db_path) as service:
        before = service.sessions.load(ids[SPRING])
    app = live_view(db_path, ids[SPRING])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"anedrmxgvfo", "delete", "enter", "ctrl+p", "ctrl+z", "escape")
        await settle(pilot)
        assert isinstance(app.screen, type(app.screen_stack[0]))  # no dialog, no palette
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        # Textual's own (focus, scrolling, copy…) and quitting this viewer: nothing else.
        assert "quit" in actions
        assert not {a for a in actions if a not in SAFE_ACTIONS}, actions
    with WorkshopService.open(db_path) as service:
        assert service.sessions.load(ids[SPRING]) == before
