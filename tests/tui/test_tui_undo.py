"""Ctrl+Z undoes the last change made in this window, Ctrl+Y redoes it: driven with
Pilot on a real SQLite file; what the store holds is checked after each key."""

from __future__ import annotations

from support.factory import make_session
from support.tui_helpers import SAMPLE_OUTCOME, SIZE, make_app, notifications, open_stage, settle
from textual.widgets import DataTable

from sessions import SessionStore, Status


async def test_an_approval_undone_and_redone_from_the_keyboard(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Q3", "facilitator": "Lee"})
        item = store.create_item(session.id, "outcome", SAMPLE_OUTCOME, "person", "Lee")
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session.id, "outcomes")
        await pilot.press("a")  # it passes its checks: approved at once
        await settle(pilot)
        assert app.service.items.get(item.id).status is Status.APPROVED
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.service.items.get(item.id).status is Status.DRAFT
        assert any(
            'Undone: the approval of "More repeat customers"' in n for n in notifications(app)
        )
        assert "✓ approved" not in str(app.screen.query_one(".out-card").render())
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.service.items.get(item.id).status is Status.APPROVED
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert any("Nothing to redo." in n for n in notifications(app))


async def test_an_attribute_changed_on_the_register_comes_back(db_path):
    session_id = make_session(
        db_path,
        people=[{"name": "Dana Reyes", "role": "CFO"}],
        brief={"title": "Q3", "facilitator": "Lee"},
        stage="stakeholders",
    )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        app.screen.query_one("#stk-table", DataTable).focus()
        await pilot.press("i")
        await settle(pilot)
        (dana,) = app.service.store.stakeholders(session_id)
        assert dana.influence is not None
        await pilot.press("ctrl+z")
        await settle(pilot)
        (dana,) = app.service.store.stakeholders(session_id)
        assert dana.influence is None
        assert any("Undone: Dana Reyes's influence" in n for n in notifications(app))
