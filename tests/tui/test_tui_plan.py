"""Stage 6 driven with Pilot on a real SQLite file: calendar entries and impact cadence."""

from __future__ import annotations

from pathlib import Path

from support.tui_helpers import SIZE, make_app, open_stage, screen_text
from textual.widgets import DataTable, Input, Select, Static, TextArea

from sessions import ItemKind, SessionStore, Status
from workshop.tui.dialogs.plan import CadenceDialog, PlanEntryDialog
from workshop.tui.screens.workshop_screen import WorkshopScreen

OUTCOME = {
    "result": "More qualified inbound leads from the EU",
    "metric": "Sales-accepted leads per month",
    "baseline": "40",
    "target": "70",
    "due": "2026-09-30",
    "owner": "Priya Raman",
    "priority": "Grow EU pipeline",
    "stakeholders": [],
    "leading_indicators": [],
}


def make_plan_session(db_path: Path, approved: bool = True) -> tuple[str, str, str]:
    """A session with one approved outcome and one draft; returns (session, approved, draft)."""
    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {"title": "Q3 plan", "workshop_date": "2026-07-02", "facilitator": "Priya Raman"}
        )
        good = store.create_item(session.id, "outcome", OUTCOME, "person", "Priya Raman")
        if approved:
            store.approve_item(good.id, "Priya Raman")
        draft = store.create_item(
            session.id, "outcome", {**OUTCOME, "result": "Draft only outcome"}, "person", "Priya"
        )
    return session.id, good.id, draft.id


def plan_items(db_path: Path, session_id: str, kind: ItemKind):
    with SessionStore.open(db_path) as store:
        return store.load_session(session_id).items_of(kind)


async def fill_entry(app, pilot, title: str, starts: str, ends: str) -> None:
    dialog = app.screen
    assert isinstance(dialog, PlanEntryDialog)
    dialog.query_one("#plan-title", Input).value = title
    dialog.query_one("#plan-starts", Input).value = starts
    dialog.query_one("#plan-ends", Input).value = ends
    dialog.query_one("#plan-channel", Input).value = "Webinar"
    dialog.query_one("#plan-description", TextArea).load_text("Two sessions, EU time zones.")
    await pilot.pause()


async def test_add_an_entry_linked_to_an_approved_outcome(db_path):
    session_id, approved_id, draft_id = make_plan_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "plan")
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PlanEntryDialog)
        # Only the approved outcome can be chosen.
        select = dialog.query_one("#plan-outcome", Select)
        assert [value for _, value in select._options if value != Select.NULL] == [approved_id]
        await fill_entry(app, pilot, "EU webinar series", "2026-07-15", "2026-08-15")
        select.value = approved_id
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PlanEntryDialog)

        [entry] = plan_items(db_path, session_id, ItemKind.PLAN_ENTRY)
        assert entry.body["title"] == "EU webinar series"
        assert entry.body["outcome_id"] == approved_id
        assert entry.body["starts"] == "2026-07-15" and entry.body["ends"] == "2026-08-15"
        assert entry.body["channel"] == "Webinar"
        table = app.screen.query_one("#plan-table", DataTable)
        assert table.row_count == 1
        assert "EU webinar series" in screen_text(app)

        # Approve it, then edit it: the edit reopens it.
        await pilot.press("a")
        await pilot.pause()
        [entry] = plan_items(db_path, session_id, ItemKind.PLAN_ENTRY)
        assert entry.status is Status.APPROVED and entry.approved_by == "Priya Raman"
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PlanEntryDialog)
        app.screen.query_one("#plan-channel", Input).value = "LinkedIn Live"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [entry] = plan_items(db_path, session_id, ItemKind.PLAN_ENTRY)
        assert entry.body["channel"] == "LinkedIn Live" and entry.status is Status.DRAFT

        await pilot.press("r")
        await pilot.pause()
        [entry] = plan_items(db_path, session_id, ItemKind.PLAN_ENTRY)
        assert entry.status is Status.REJECTED


async def test_entries_are_listed_by_start_date(db_path):
    session_id, approved_id, _ = make_plan_session(db_path)
    with SessionStore.open(db_path) as store:
        for title, starts in (("Late", "2026-09-01"), ("Undated", None), ("Early", "2026-07-03")):
            body = {"title": title, "starts": starts, "outcome_id": approved_id}
            store.create_item(session_id, "plan_entry", body, "person", "Priya")
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "plan")
        table = app.screen.query_one("#plan-table", DataTable)
        titles = [str(table.get_row_at(n)[2]) for n in range(table.row_count)]
        assert titles == ["Early", "Late", "Undated"]


async def test_a_bad_date_is_explained_and_the_dialog_keeps_the_text(db_path):
    session_id, approved_id, _ = make_plan_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "plan")
        await pilot.press("n")
        await pilot.pause()
        await fill_entry(app, pilot, "Launch week", "2026-13-40", "")
        app.screen.query_one("#plan-outcome", Select).value = approved_id
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PlanEntryDialog)  # still open
        error = str(dialog.query_one(".plan-dialog-error", Static).render())
        assert "Starts" in error and "2026-13-40" in error
        assert dialog.query_one("#plan-title", Input).value == "Launch week"
        assert dialog.query_one("#plan-starts", Input).value == "2026-13-40"
        text = dialog.query_one("#plan-description", TextArea).text
        assert text == "Two sessions, EU time zones."
        assert plan_items(db_path, session_id, ItemKind.PLAN_ENTRY) == []

        # Fixed, it saves.
        dialog.query_one("#plan-starts", Input).value = "2026-07-20"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, PlanEntryDialog)
        [entry] = plan_items(db_path, session_id, ItemKind.PLAN_ENTRY)
        assert entry.body["starts"] == "2026-07-20"


async def test_escape_with_typed_text_asks_before_discarding(db_path):
    session_id, _, _ = make_plan_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "plan")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Roadshow")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")  # "keep editing"
        await pilot.pause()
        assert isinstance(app.screen, PlanEntryDialog)
        assert app.screen.query_one("#plan-title", Input).value == "Roadshow"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)


async def test_without_an_approved_outcome_no_entry_can_be_added(db_path):
    session_id, _, _ = make_plan_session(db_path, approved=False)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "plan")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert "approved outcome" in screen_text(app)


async def test_cadence_rows_are_saved_per_segment(db_path):
    session_id, _, _ = make_plan_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "plan")
        table = app.screen.query_one("#cadence-table", DataTable)
        assert table.row_count == 5  # one row per playbook segment
        await pilot.press("c")  # to the cadence table
        await pilot.press("down")  # the second segment: champion
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CadenceDialog) and dialog.segment == "champion"
        await pilot.press("ctrl+s")  # empty: refused, says why
        await pilot.pause()
        assert "report" in str(dialog.query_one(".plan-dialog-error", Static).render())
        dialog.query_one("#cadence-report", TextArea).load_text("Pipeline they helped create")
        dialog.query_one("#cadence-frequency", Input).value = "monthly"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, CadenceDialog)
        [item] = plan_items(db_path, session_id, ItemKind.CADENCE)
        assert item.body == {
            "segment": "champion",
            "report": "Pipeline they helped create",
            "frequency": "monthly",
        }

        # Approve, then edit again: the same item is edited (a second revision), reopened.
        await pilot.press("a")
        await pilot.pause()
        assert plan_items(db_path, session_id, ItemKind.CADENCE)[0].status is Status.APPROVED
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#cadence-frequency", Input).value = "every two weeks"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [item] = plan_items(db_path, session_id, ItemKind.CADENCE)
        assert item.body["frequency"] == "every two weeks" and item.status is Status.DRAFT
        assert len(app.service.items.revisions(item.id)) == 3
        row = table.get_row("champion")
        assert str(row[2]) == "every two weeks"


async def test_the_stage_keys_reach_this_pane(db_path):
    session_id, _, _ = make_plan_session(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "plan")
        assert app.focused is app.screen.query_one("#plan-table", DataTable)
