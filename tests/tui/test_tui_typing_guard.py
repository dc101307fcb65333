"""Typing where letters are commands: a name typed on the register table, an answer typed
on a question. What is typed becomes text where it belongs, and no key acts as a command
on the way (issue #13, point 1)."""

from __future__ import annotations

from pathlib import Path

from support.factory import make_session
from support.tui_helpers import SIZE, make_app, notifications, open_stage, settle, wait_for
from textual.widgets import DataTable, Select

from sessions import SessionStore
from workshop.tui.dialogs.question import QuestionDialog
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.question_widgets import AnswerArea, QuestionLine
from workshop.tui.widgets.stakeholder_entry import StakeholderEntry

AT_THE_REGISTER = {
    "brief": {"title": "Q3 register", "facilitator": "Dana"},
    "stage": "stakeholders",
}


def people(db_path: Path, session_id: str):
    with SessionStore.open(db_path) as store:
        return store.stakeholders(session_id)


async def test_a_name_typed_on_the_register_table_goes_into_the_entry_line(db_path):
    session_id = make_session(
        db_path, people=[{"name": "Dana Reyes", "role": "Head of Sales"}], **AT_THE_REGISTER
    )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        app.screen.query_one("#stk-table", DataTable).focus()
        await pilot.pause()
        before = people(db_path, session_id)

        # i (influence), a (add), s (stance), v, e, x, c, p: all inside this line.
        await pilot.press(*"Nina Berg, Head of RevOps, Sales, asks for a pipeline view")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, WorkshopScreen)  # no dialog opened on the way
        after = {p.name: p for p in people(db_path, session_id)}
        assert list(after) == ["Dana Reyes", "Nina Berg"]
        assert after["Nina Berg"].role == "Head of RevOps"
        assert after["Nina Berg"].notes == "asks for a pipeline view"
        assert after["Dana Reyes"] == before[0]  # nobody's attributes changed
        assert app.screen.query_one("#stk-entry", StakeholderEntry).value == ""


async def test_a_lower_case_letter_on_the_table_is_still_its_command(db_path):
    session_id = make_session(
        db_path, people=[{"name": "Dana Reyes", "role": "Head of Sales"}], **AT_THE_REGISTER
    )
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id)
        app.screen.query_one("#stk-table", DataTable).focus()
        await pilot.pause()
        await pilot.press("i")
        await settle(pilot)
        (dana,) = people(db_path, session_id)
        assert dana.influence is not None


def discussion_room(db_path: Path) -> str:
    from support.factory import ASSIGNMENT

    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {"title": "Q3 talk", "facilitator": "Lee"}, [{"name": "Dana Reyes", "role": "CFO"}]
        )
        (dana,) = store.stakeholders(session.id)
        item = store.create_item(
            session.id,
            "segmentation",
            ASSIGNMENT | {"segment": "influencer"},
            "person",
            "Lee",
            stakeholder_id=dana.id,
        )
        store.approve_item(item.id, "Lee")
        body = {
            "segment": "influencer",
            "questions": [{"text": "What would a great quarter be?", "topic": "goals"}],
        }
        store.create_item(session.id, "discussion_guide", body, "person", "Lee")
    return session.id


async def test_an_answer_typed_on_a_question_never_opens_its_editor(db_path):
    session_id = discussion_room(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "discussions")
        # Without a speaker: nothing happens but one line saying where to type.
        app.screen.query_one(QuestionLine).focus()
        await pilot.pause()
        await pilot.press(*"We need everything")
        await settle(pilot)
        assert not isinstance(app.screen, QuestionDialog)
        assert any("p picks who is speaking" in said for said in notifications(app))

        # With Dana speaking, the same typing is her answer.
        (dana,) = people(db_path, session_id)
        app.screen.query_one("#dis-person", Select).value = dana.id
        await settle(pilot)
        app.screen.query_one(QuestionLine).focus()
        await pilot.pause()
        await pilot.press(*"We need fewer, better leads")
        assert await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea))
        assert not isinstance(app.screen, QuestionDialog)
        assert app.focused.text == "We need fewer, better leads"
        await pilot.press("tab")  # leaving the box saves it
        await settle(pilot)
    with SessionStore.open(db_path) as store:
        (answers,) = store.load_session(session_id).items_of("answers")
    assert answers.body["entries"] == [
        {"question": "What would a great quarter be?", "answer": "We need fewer, better leads"}
    ]
    (guide,) = [i for i in store_items(db_path, session_id) if i.kind.value == "discussion_guide"]
    assert guide.version == 1  # the question itself untouched


def store_items(db_path: Path, session_id: str):
    with SessionStore.open(db_path) as store:
        return store.load_session(session_id).items
