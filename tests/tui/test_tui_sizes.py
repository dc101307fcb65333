"""Large inputs in the running app: clear limits, nothing lost, nothing frozen.

A megabyte pasted into a text box, a register of 500 people, a 10,000-character outcome.
(How long each takes is measured in bench/sizes.py, not asserted here.)
"""

from __future__ import annotations

from support.tui_helpers import notifications, open_stage, screen_text, settle
from textual import events
from textual.widgets import DataTable, TextArea

from sessions import ItemKind, SessionStore
from workshop.service.facade import WorkshopService
from workshop.tui.app import PASTE_MAX, WorkshopApp
from workshop.tui.dialogs.outcome import OutcomeDialog
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.stages.segmentation import BOARD_PAGE
from workshop.tui.widgets.assignment_card import AssignmentCard

SIZE = (140, 45)


async def test_a_megabyte_paste_is_refused_whole_and_the_notes_stay_as_they_were(db_path):
    with SessionStore.open(db_path) as store:
        session_id = store.create_session({"title": "Q3", "challenges": "Budget is tight"}, []).id
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        area = app.screen.query_one("#challenges", TextArea)
        area.focus()
        app.post_message(events.Paste("x" * 1_048_576))
        await settle(pilot)
        assert area.text == "Budget is tight"
        assert any("Nothing was pasted" in n and "1,048,576" in n for n in notifications(app))
        # The app still answers: the next key lands in the box and is saved.
        await pilot.press("end", "!")
        app.screen.set_focus(None)
        await settle(pilot)
    with SessionStore.open(db_path) as check:
        assert check.get_session(session_id).challenges == "Budget is tight!"


async def test_a_paste_over_a_fields_limit_says_so_and_keeps_the_saved_text(db_path):
    with SessionStore.open(db_path) as store:
        session_id = store.create_session({"title": "Q3", "challenges": "Budget"}, []).id
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        area = app.screen.query_one("#challenges", TextArea)
        area.focus()
        await pilot.press("end")
        app.post_message(events.Paste(" y" * 15_000))  # under PASTE_MAX, over 20,000
        await settle(pilot)
        app.screen.set_focus(None)  # leaving the field saves it
        await pilot.pause(0.6)
        assert len(area.text) == 30_006  # still on screen, to shorten and retry
        assert any("at most 20,000 characters" in n for n in notifications(app))
        assert "not saved" in screen_text(app).lower()
    with SessionStore.open(db_path) as check:
        assert check.get_session(session_id).challenges == "Budget"
    assert PASTE_MAX > 30_006


async def test_five_hundred_stakeholders_page_through_the_board_and_fill_the_register(db_path):
    people = [{"name": f"Person {n:03d}", "role": "Lead"} for n in range(500)]
    with SessionStore.open(db_path) as store:
        session_id = store.create_session({"title": "Big"}, people).id
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 500
        assert "500 people" in screen_text(app)

        await pilot.press("3")
        await settle(pilot)
        cards = list(app.screen.query(AssignmentCard))
        assert [c.person.name for c in cards] == [f"Person {n:03d}" for n in range(BOARD_PAGE)]
        text = screen_text(app)
        assert "500 stakeholders" in text and f"board shows people 1–{BOARD_PAGE}" in text

        for _ in range(10):  # past the last page: it stays on the last
            await pilot.press("pagedown")
        await settle(pilot)
        last = list(app.screen.query(AssignmentCard))
        first_of_last = (499 // BOARD_PAGE) * BOARD_PAGE
        assert [c.person.name for c in last] == [
            f"Person {n:03d}" for n in range(first_of_last, 500)
        ]
        assert f"board shows people {first_of_last + 1}–500" in screen_text(app)

        # Deciding on a card of that page works as on any board.
        assert isinstance(app.focused, AssignmentCard)
        await pilot.press("m", "2")
        await settle(pilot)
    with SessionStore.open(db_path) as check:
        (placed,) = check.load_session(session_id).items_of(ItemKind.SEGMENTATION)
        assert placed.body["segment"] == "champion"
        assert check.get_stakeholder(placed.stakeholder_id).name == f"Person {first_of_last:03d}"


async def test_a_ten_thousand_character_outcome_is_saved_whole_and_clipped_on_its_card(
    db_path, tmp_path, monkeypatch
):
    with SessionStore.open(db_path) as store:
        session_id = store.create_session({"title": "Q3"}, [{"name": "Ana"}]).id
    long_result = ("Partner-sourced pipeline grows every month. " * 250)[:10_000]
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        app.post_message(events.Paste(long_result))
        await pilot.pause()
        for value in ("Deals per quarter", "", "12", "2026-09-30", "Ana"):
            await pilot.press("tab")
            if value:
                app.post_message(events.Paste(value))
                await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        shown = screen_text(app)
        assert "Partner-sourced pipeline grows" in shown
        assert shown.count("Partner-sourced pipeline grows") < 20  # clipped, not 250 times
    with SessionStore.open(db_path) as check:
        (outcome,) = check.load_session(session_id).items_of(ItemKind.OUTCOME)
    assert outcome.body["result"] == long_result.strip()
    monkeypatch.chdir(tmp_path)
    exported = WorkshopService.open(db_path).export.markdown(session_id, include_drafts=True)
    assert long_result.strip() in exported
