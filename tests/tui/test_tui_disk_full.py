"""A full disk while the room works: one clear message, the app stays up, nothing
half-written, and the person's text stays on screen so the same save works once there is
room again. The disk "fills" through SQLite's max_page_count on the app's own connection.
"""

from __future__ import annotations

import contextlib

from support.disk import assert_really_read_only, fill_the_disk, free_the_disk, read_only
from support.tui_helpers import notifications, open_stage, screen_text, settle
from textual.widgets import Input, Static, TextArea

from sessions import ItemKind, Origin, SessionStore
from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.dialogs.outcome import OutcomeDialog
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.outcome_card import OutcomeCard

FULL = "is full; nothing was changed"
LONG = "Partner-sourced pipeline doubles in the EU. " * 200  # needs new pages to store
OUTCOME = {
    "result": "More partner deals",
    "metric": "Partner-sourced deals per quarter",
    "baseline": None,
    "target": "12",
    "due": "2026-09-30",
    "owner": "Dana",
    "priority": "Grow EU pipeline",
    "stakeholders": [],
    "leading_indicators": [],
}


def seed(db_path) -> tuple[str, str]:
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Q3", "challenges": "Budget"}, [])
        item = store.create_item(session.id, ItemKind.OUTCOME, OUTCOME, Origin.PERSON, "Dana")
    return session.id, item.id


async def add_and_leave(pilot, area: TextArea, key: str) -> None:
    """Type at the end of a text box, then leave it: leaving saves what it holds."""
    area.focus()
    area.move_cursor(area.document.end)
    await pilot.press(key)
    pilot.app.screen.set_focus(None)
    await pilot.pause(0.6)  # past the autosave's pause


async def test_an_outcome_edit_on_a_full_disk_stays_in_its_dialog_and_saves_on_retry(db_path):
    session_id, item_id = seed(db_path)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        next(iter(app.screen.query(OutcomeCard))).focus()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OutcomeDialog)
        dialog.query_one("#result", TextArea).text = LONG
        fill_the_disk(app.service.store)

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # still open, with the text in it
        assert dialog.query_one("#result", TextArea).text == LONG
        assert FULL in str(dialog.query_one("#outcome-error", Static).render())
        with SessionStore.open(db_path) as check:
            assert check.get_item(item_id).body == OUTCOME  # nothing half-written
            assert [r.number for r in check.revisions(item_id)] == [1]

        free_the_disk(app.service.store)  # room again: the same save, as it was
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
    with SessionStore.open(db_path) as check:
        assert check.get_item(item_id).body["result"] == LONG.strip()
        assert [r.number for r in check.revisions(item_id)] == [1, 2]


async def test_brief_notes_typed_on_a_full_disk_say_not_saved_and_save_when_there_is_room(
    db_path,
):
    session_id, _ = seed(db_path)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "brief")
        fill_the_disk(app.service.store)
        area = app.screen.query_one("#challenges", TextArea)
        area.text = LONG
        app.screen.set_focus(None)  # leaving the field saves it
        await pilot.pause(0.6)
        assert any(FULL in n for n in notifications(app))
        assert "not saved" in screen_text(app).lower()
        assert area.text == LONG  # on screen, to retry
        with SessionStore.open(db_path) as check:
            assert check.get_session(session_id).challenges == "Budget"

        free_the_disk(app.service.store)
        await add_and_leave(pilot, area, "!")
        assert "✓ saved" in screen_text(app)
    with SessionStore.open(db_path) as check:
        assert check.get_session(session_id).challenges == LONG + "!"


async def test_a_person_added_on_a_full_disk_goes_back_to_the_entry_line(db_path):
    session_id, _ = seed(db_path)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    line = "Omar Haddad, CFO, Finance, " + "Asks what brand spend returns. " * 150
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "stakeholders")
        entry = app.screen.query_one("#stk-entry", Input)
        entry.focus()
        fill_the_disk(app.service.store)
        entry.value = line
        await pilot.press("enter")
        await settle(pilot)
        assert entry.value == line  # given back, not lost
        assert FULL in screen_text(app)

        free_the_disk(app.service.store)
        await pilot.press("enter")
        await settle(pilot)
        assert entry.value == ""
        assert "Added 1: Omar Haddad." in screen_text(app)
    with SessionStore.open(db_path) as check:
        assert [p.name for p in check.load_session(session_id).stakeholders] == ["Omar Haddad"]


async def test_a_read_only_database_says_so_and_the_same_edit_saves_once_it_is_writable(
    db_path,
):
    session_id, _ = seed(db_path)
    with contextlib.ExitStack() as lock:
        lock.enter_context(read_only(db_path))
        assert_really_read_only(db_path)
        app = WorkshopApp(WorkshopService.open(db_path), remember=False)
        async with app.run_test(size=(140, 45)) as pilot:
            await open_stage(pilot, session_id, "brief")
            area = app.screen.query_one("#challenges", TextArea)
            area.text = "Budget is tight"
            app.screen.set_focus(None)  # leaving the field saves it
            await pilot.pause(0.6)
            assert any("is read-only; nothing was changed" in n for n in notifications(app))
            assert area.text == "Budget is tight"  # on screen, to retry

            lock.close()  # someone makes the file writable; the app was never restarted
            await add_and_leave(pilot, area, "!")
            assert "✓ saved" in screen_text(app)
    with SessionStore.open(db_path) as check:
        assert check.get_session(session_id).challenges == "Budget is tight!"
