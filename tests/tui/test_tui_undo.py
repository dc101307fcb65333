"""Ctrl+Z undoes the last change made in this window, Ctrl+Y redoes it: driven with
Pilot on a real SQLite file; what the store holds is checked after each key."""

from __future__ import annotations

from support.factory import make_session
from support.tui_helpers import (
    SAMPLE_OUTCOME,
    SIZE,
    make_app,
    notifications,
    open_stage,
    screen_text,
    settle,
    wait_for,
)
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


async def test_a_removal_is_undone_with_the_persons_draft_and_redone(db_path):
    session_id = make_session(
        db_path,
        people=[{"name": "Dana Reyes", "role": "CFO"}, {"name": "Omar Haddad"}],
        brief={"title": "Q3", "facilitator": "Lee"},
        stage="stakeholders",
    )
    with SessionStore.open(db_path) as store:
        dana = store.stakeholders(session_id)[0]
        body = {
            "segment": "champion",
            "rationale": "Backs the plan.",
            "confidence": "high",
            "motivations": [],
            "objections": [],
            "approach": "",
            "messages": [],
        }
        draft = store.create_item(session_id, "segmentation", body, "person", "Lee", dana.id)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        app.screen.query_one("#stk-table", DataTable).focus()
        await pilot.press("x")
        assert await wait_for(pilot, lambda: "Remove Dana Reyes" in screen_text(app))
        asked = screen_text(app)
        assert "Ctrl+Z" in asked and "brings them all back" in asked  # not "cannot be undone"
        await pilot.press("y")  # Remove (Enter would keep her: Keep has the focus)
        await settle(pilot)
        assert [p.name for p in app.service.store.stakeholders(session_id)] == ["Omar Haddad"]
        table = app.screen.query_one("#stk-table", DataTable)
        assert table.row_count == 1 and "Removed Dana Reyes." in screen_text(app)

        await pilot.press("ctrl+z")
        await settle(pilot)
        assert any("Undone: removing Dana Reyes" in n for n in notifications(app))
        names = [p.name for p in app.service.store.stakeholders(session_id)]
        assert names == ["Dana Reyes", "Omar Haddad"]  # back in her place
        assert app.service.items.get(draft.id).body["rationale"] == "Backs the plan."
        assert table.row_count == 2

        await pilot.press("ctrl+y")
        await settle(pilot)
        assert [p.name for p in app.service.store.stakeholders(session_id)] == ["Omar Haddad"]
