"""Two people on one item: the app says so, shows the other text, and keeps both.

The other editor is a second connection to the same database file, as another window of
the app or the CLI would be.
"""

from __future__ import annotations

from support.tui_helpers import open_stage, settle
from textual.widgets import Static, TextArea

from sessions import ItemKind, Origin, SessionStore
from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.dialogs.segmentation import AssignmentDialog
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.assignment_card import AssignmentCard

MINE = "Holds the budget; wants numbers."
THEIRS = "Signs off every campaign herself."


def seed(db_path) -> tuple[str, str]:
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Q3"}, [{"name": "Ana"}])
        person = store.load_session(session.id).stakeholders[0]
        item = store.create_item(
            session.id,
            ItemKind.SEGMENTATION,
            {
                "segment": "influencer",
                "rationale": "Drafted.",
                "motivations": [],
                "objections": [],
                "messages": [],
                "approach": "Meet monthly.",
                "confidence": "medium",
            },
            Origin.PERSON,
            "Dana",
            stakeholder_id=person.id,
        )
    return session.id, item.id


async def edit_rationale_while_someone_else_saves(app, pilot, db_path, session_id, item_id):
    await open_stage(pilot, session_id, "segmentation")
    next(iter(app.screen.query(AssignmentCard))).focus()
    await pilot.press("e")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, AssignmentDialog)
    area = dialog.query_one("#rationale", TextArea)
    area.text = MINE
    with SessionStore.open(db_path) as other:  # the other window saves first
        current = other.get_item(item_id)
        other.edit_item(item_id, current.body | {"rationale": THEIRS}, "Lee", current.version)
    await pilot.press("ctrl+s")
    await pilot.pause()
    return dialog


async def test_a_conflicting_edit_shows_the_other_text_and_saving_again_keeps_mine(db_path):
    session_id, item_id = seed(db_path)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        dialog = await edit_rationale_while_someone_else_saves(
            app, pilot, db_path, session_id, item_id
        )
        assert app.screen is dialog  # still open, with my text in it
        assert dialog.query_one("#rationale", TextArea).text == MINE
        error = str(dialog.query_one("#error", Static).render())
        assert "Lee saved this" in error and THEIRS in error and "rationale" in error
        with SessionStore.open(db_path) as check:
            assert check.get_item(item_id).body["rationale"] == THEIRS  # nothing overwritten

        await pilot.press("ctrl+s")  # seen it; mine goes in
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
    with SessionStore.open(db_path) as check:
        assert check.get_item(item_id).body["rationale"] == MINE
        history = [r.body["rationale"] for r in check.revisions(item_id)]
    assert history[-2:] == [THEIRS, MINE]  # theirs is kept in the history


async def test_cancelling_after_a_conflict_keeps_the_other_text(db_path):
    session_id, item_id = seed(db_path)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await edit_rationale_while_someone_else_saves(app, pilot, db_path, session_id, item_id)
        await pilot.press("escape")
        await pilot.pause()
        if not isinstance(app.screen, WorkshopScreen):  # "discard your changes?"
            await pilot.press("y")
            await pilot.pause()
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        card = next(iter(app.screen.query(AssignmentCard)))
        assert "Signs off every campaign" in card.render_card().plain
    with SessionStore.open(db_path) as check:
        assert check.get_item(item_id).body["rationale"] == THEIRS


def delete_elsewhere(db_path, session_id: str) -> None:
    """`workshop delete ID --yes` from another terminal."""
    import os
    import subprocess

    from support.paths import WORKSHOP

    done = subprocess.run(
        [str(WORKSHOP), "--db", str(db_path), "delete", session_id, "--yes"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )
    assert done.returncode == 0, done.stderr


async def test_a_session_deleted_elsewhere_sends_the_app_home_saying_so(db_path):
    from support.tui_helpers import notifications, screen_text, wait_for

    from workshop.tui.screens.home import HomeScreen

    session_id, _item_id = seed(db_path)
    with SessionStore.open(db_path) as store:
        store.create_session({"title": "Another workshop"})
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        delete_elsewhere(db_path, session_id)

        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await settle(pilot)
        assert any("deleted in another window" in n for n in notifications(app))
        text = screen_text(app)
        assert "Another workshop" in text and "Q3" not in text.split("Another workshop")[0]
        await pilot.press("ctrl+q")
    assert app.return_code in (0, None)


async def test_saving_into_a_session_deleted_elsewhere_goes_home_instead_of_crashing(db_path):
    from support.tui_helpers import notifications, wait_for

    from workshop.tui.screens.home import HomeScreen

    session_id, _item_id = seed(db_path)
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        next(iter(app.screen.query(AssignmentCard))).focus()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#rationale", TextArea).text = MINE
        delete_elsewhere(db_path, session_id)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape", "1")  # leaving the stage saves its time

        assert await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert any("deleted in another window" in n for n in notifications(app))
    with SessionStore.open(db_path) as check:
        assert check.list_sessions() == []


async def test_keys_on_a_listed_session_deleted_elsewhere_say_so_and_refresh_the_list(db_path):
    import pytest
    from support.tui_helpers import screen_text

    from workshop.tui.screens.home import HomeScreen

    for key in ("enter", "v", "f", "c", "a", "x"):
        with SessionStore.open(db_path) as store:
            session = store.create_session({"title": f"Gone before {key}"})
        app = WorkshopApp(WorkshopService.open(db_path), remember=False)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            assert f"Gone before {key}" in screen_text(app)
            delete_elsewhere(db_path, session.id)  # the list on screen is now stale
            await pilot.press(key)
            await settle(pilot)

            # Either the key met the stale row and said so, or the live refresh (it polls
            # the file every 0.75 s) redrew the list first and the key met what is there:
            # which of the two comes first is timing. Both end home, without the ghost.
            assert isinstance(app.screen, HomeScreen), key
            assert f"Gone before {key}" not in screen_text(app), key
        if app.return_code not in (None, 0):
            pytest.fail(f"{key}: the app ended with {app.return_code}")
