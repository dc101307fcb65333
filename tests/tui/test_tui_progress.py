"""Stage 9, progress, driven with Pilot on a real SQLite file: measurements, the plan as
it happens, impact updates on the cadence, and a seat that changes hands."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from support.drafting_helpers import use_test_server
from support.factory import ASSIGNMENT
from support.tui_helpers import (
    SAMPLE_OUTCOME,
    SIZE,
    make_app,
    open_stage,
    screen_text,
    send_preview,
)
from textual.widgets import DataTable, Input, Select, TextArea

from sessions import ItemKind, SessionStore, Status
from workshop.tui.dialogs.common import PromptDialog
from workshop.tui.dialogs.progress import (
    MeasurementDialog,
    PlanStatusDialog,
    SeatDialog,
    UpdateDialog,
)

TODAY = date.today()
PEOPLE = [
    {"name": "Marta Kowalski", "role": "Chief Financial Officer", "team": "Finance"},
    {"name": "Dana Reyes", "role": "Head of Sales", "team": "Sales"},
]


def make_quarter(db_path: Path) -> dict[str, str]:
    """A workshop 45 days ago: an approved outcome with a plan entry, two segments on the
    cadence, and two people placed."""
    start = TODAY - timedelta(days=45)
    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {"title": "Q3 strategy", "workshop_date": start.isoformat(), "facilitator": "Lee"},
            PEOPLE,
        )
        outcome = store.create_item(
            session.id,
            "outcome",
            SAMPLE_OUTCOME | {"due": (TODAY + timedelta(days=45)).isoformat()},
            "person",
            "Lee",
        )
        store.approve_item(outcome.id, "Lee")
        entry = store.create_item(
            session.id,
            "plan_entry",
            {
                "title": "Loyalty email series",
                "outcome_id": outcome.id,
                "starts": (start + timedelta(days=5)).isoformat(),
                "ends": (start + timedelta(days=30)).isoformat(),
                "channel": "Email",
                "description": "",
            },
            "person",
            "Lee",
        )
        store.approve_item(entry.id, "Lee")
        for segment, frequency in (("decision_maker", "monthly"), ("champion", "every two weeks")):
            cadence = store.create_item(
                session.id,
                "cadence",
                {"segment": segment, "report": "One page of results", "frequency": frequency},
                "person",
                "Lee",
            )
            store.approve_item(cadence.id, "Lee")
        for person, segment in zip(
            store.stakeholders(session.id), ("decision_maker", "champion"), strict=True
        ):
            item = store.create_item(
                session.id,
                "segmentation",
                ASSIGNMENT | {"segment": segment},
                "person",
                "Lee",
                stakeholder_id=person.id,
            )
            store.approve_item(item.id, "Lee")
    return {"session": session.id, "outcome": outcome.id, "entry": entry.id}


def saved(db_path: Path, session_id: str):
    with SessionStore.open(db_path) as store:
        return (
            store.load_session(session_id),
            store.measurements(session_id),
            store.plan_statuses(session_id),
        )


async def focus_table(pilot, name: str) -> None:
    pilot.app.screen.query_one(f"#progress-{name}", DataTable).focus()
    await pilot.pause()


async def test_a_measurement_that_is_not_a_number_is_refused_in_one_line(db_path):
    ids = make_quarter(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "progress")
        assert "no data yet" in screen_text(app)
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MeasurementDialog)
        await pilot.press(*"about twenty")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # kept open, with what was typed
        assert "'about twenty' is not a number" in screen_text(app)
        assert saved(db_path, ids["session"])[1] == []

        dialog.query_one("#measure-value", Input).value = ""
        await pilot.press(*"21.5")
        dialog.query_one("#measure-source", Input).value = "CRM report"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not dialog
        (measurement,) = saved(db_path, ids["session"])[1]
        assert (measurement.value, measurement.source) == (21.5, "CRM report")
        assert measurement.measured_on == TODAY
        shown = screen_text(app)
        assert "18 → 21.5 → 25" in shown
        assert "CRM report" in shown  # the detail lists the measurement and its source


async def test_a_measurement_before_the_workshop_is_refused(db_path):
    ids = make_quarter(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "progress")
        await pilot.press("enter")  # Enter on an outcome measures it
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MeasurementDialog)
        dialog.query_one("#measure-value", Input).value = "20"
        early = TODAY - timedelta(days=60)
        dialog.query_one("#measure-on", Input).value = early.isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert f"{early.isoformat()} is before the workshop" in screen_text(app)
        assert saved(db_path, ids["session"])[1] == []


async def test_what_happened_to_a_plan_entry(db_path):
    ids = make_quarter(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "progress")
        assert "LATE" in screen_text(app)  # it ended 15 days ago and nobody said it is done
        assert "s" not in _footer_keys(app)  # only the outcomes' keys act there
        await focus_table(pilot, "plan")
        assert "s" in _footer_keys(app) and "m" not in _footer_keys(app)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PlanStatusDialog)
        dialog.query_one("#status-value", Select).value = "done"
        dialog.query_one("#status-note", Input).value = "Sent to 12,000 members"
        await pilot.press("ctrl+s")
        await pilot.pause()
        (change,) = saved(db_path, ids["session"])[2]
        assert (change.status.value, change.note) == ("done", "Sent to 12,000 members")
        shown = screen_text(app)
        assert "done" in shown and "LATE" not in shown


async def test_an_update_is_written_edited_approved_and_written_to_a_file(
    db_path, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    ids = make_quarter(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "progress")
        await focus_table(pilot, "updates")
        assert "overdue" in screen_text(app)  # monthly, 45 days in, nothing sent
        await pilot.press("w")
        await pilot.pause()
        record = saved(db_path, ids["session"])[0]
        (update,) = record.items_of(ItemKind.IMPACT_UPDATE)
        assert update.body["segment"] == "decision_maker" and update.status is Status.DRAFT
        assert "draft: Marketing's impact" in screen_text(app)

        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UpdateDialog)
        assert "return and efficiency" in screen_text(app)  # the segment's own terms
        dialog.query_one("#update-headline", Input).value = "Repeat customers are up"
        text = dialog.query_one("#update-text", TextArea)
        text.load_text(text.text + "\n\nNext: the autumn offer.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        (update,) = saved(db_path, ids["session"])[0].items_of(ItemKind.IMPACT_UPDATE)
        assert update.status is Status.APPROVED
        assert update.body["headline"] == "Repeat customers are up"
        shown = screen_text(app)
        assert "sent (approved): Repeat customers are up" in shown

        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press("enter")  # the offered name
        await pilot.pause()
        (written,) = tmp_path.glob("q3-strategy-update-decision-maker-*.md")
        content = written.read_text(encoding="utf-8")
        assert content.startswith("# Repeat customers are up\n")
        assert "Next: the autumn offer." in content
        assert "itm_" not in content and "ses_" not in content
        assert (written.stat().st_mode & 0o077) == 0  # readable by the facilitator only


async def test_a_seat_changes_hands_and_the_newcomer_is_to_resell(db_path):
    ids = make_quarter(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "progress")
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SeatDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Choose the person who left." in screen_text(app)
        dialog.query_one("#seat-person", Select).value = "Marta Kowalski"
        dialog.query_one("#seat-newcomer", Input).value = "Nina Berg"
        await pilot.press("ctrl+s")
        await pilot.pause()
        record = saved(db_path, ids["session"])[0]
        people = {p.name: p for p in record.stakeholders}
        assert people["Marta Kowalski"].has_left
        assert people["Nina Berg"].replaces == "Marta Kowalski"
        assert "Nina Berg took over from Marta Kowalski: to resell" in screen_text(app)


async def test_the_model_drafts_an_update_from_the_record(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    llm_server.any_model = True

    def respond(body: dict) -> str:
        recorded = "now 22" in json.dumps(body)
        return json.dumps(
            {
                "segment": "champion",
                "period": "x",
                "headline": "Your backing is paying off",
                "text": "Repeat purchases: now 22." if recorded else "Nothing recorded.",
            }
        )

    llm_server.responder = respond
    ids = make_quarter(db_path)
    with SessionStore.open(db_path) as store:
        store.add_measurement(ids["outcome"], 22.0, TODAY - timedelta(days=2), "CRM")
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "progress")
        await focus_table(pilot, "updates")
        await pilot.press("down")  # the champions
        await pilot.press("d")
        await send_preview(pilot)
        (update,) = saved(db_path, ids["session"])[0].items_of(ItemKind.IMPACT_UPDATE)
        assert update.origin.value == "model" and update.body["segment"] == "champion"
        assert update.body["text"] == "Repeat purchases: now 22."
        assert "draft: Your backing is paying off" in screen_text(app)


def _footer_keys(app) -> set[str]:
    return {key for key, active in app.screen.active_bindings.items() if active.enabled}


async def measure(pilot, value: str, on: date) -> None:
    await pilot.press("m")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, MeasurementDialog)
    await pilot.press(*value)
    dialog.query_one("#measure-on", Input).value = on.isoformat()
    dialog.query_one("#measure-source", Input).value = "CRM"
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert not isinstance(pilot.app.screen, MeasurementDialog)


async def test_a_quarter_after_the_workshop_from_the_app(db_path, tmp_path, monkeypatch):
    """Weeks of measurements, the plan done, two segment updates approved and written, a
    leader replaced, then the follow-up: its "what changed" and its register tell it."""
    from workshop.tui.screens.changes import ChangesScreen
    from workshop.tui.screens.home import HomeScreen
    from workshop.tui.screens.workshop_screen import WorkshopScreen

    monkeypatch.chdir(tmp_path)
    ids = make_quarter(db_path)
    start = TODAY - timedelta(days=45)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, ids["session"], "progress")
        await measure(pilot, "19", start + timedelta(days=10))
        await measure(pilot, "22", start + timedelta(days=30))
        assert "18 → 22 → 25" in screen_text(app)

        await focus_table(pilot, "plan")
        await pilot.press("enter")  # Enter on an entry says what happened to it
        await pilot.pause()
        app.screen.query_one("#status-value", Select).value = "done"
        await pilot.press("ctrl+s")
        await pilot.pause()

        await focus_table(pilot, "updates")
        for _ in ("decision_maker", "champion"):
            await pilot.press("w", "a", "o")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("down")
        written = sorted(p.name for p in tmp_path.glob("q3-strategy-update-*.md"))
        assert [name.split("-update-")[1].split("-")[0] for name in written] == [
            "champion",
            "decision",
        ]
        assert "updates: 0 of 2 due" in screen_text(app)

        await pilot.press("l")
        await pilot.pause()
        app.screen.query_one("#seat-person", Select).value = "Marta Kowalski"
        app.screen.query_one("#seat-newcomer", Input).value = "Nina Berg"
        await pilot.press("ctrl+s")
        await pilot.pause()

        # Home, then the follow-up, which opens at once; back home, c says what changed.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen) and app.screen.session_id != ids["session"]
        child = app.screen.session_id
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        changed = screen_text(app)
        assert "Nina Berg took over from Marta Kowalski" in changed
        assert "went from 18 to 22" in changed
        assert 'Plan entry "Loyalty email series" done' in changed
        assert "Decision maker heard an impact update" in changed
        assert "Champion heard an impact update" in changed
        await pilot.press("escape")
        await pilot.pause()

        await open_stage(pilot, child, "stakeholders")
        register = screen_text(app)
        assert "↻ Nina Berg" in register and "Marta Kowalski" not in register
