"""Answer capture, driven with Pilot on a real SQLite file: the speaker's questions and
boxes together, answers saved as typed, counters that follow, every answer visible."""

from __future__ import annotations

from pathlib import Path

from support.tui_helpers import SIZE, make_app, open_stage, screen_text, settle, wait_for
from textual.widgets import TextArea

from sessions import ItemKind, SessionStore
from workshop.tui.screens.capture import CaptureScreen
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.question_widgets import AnswerArea

PLACED = {"rationale": "r", "motivations": [], "objections": [], "approach": "a"}
GUIDES = {
    "influencer": ["What does a great quarter look like?", "What has not worked?"],
    "decision_maker": ["What return do you expect?"],
}


def make_room(db_path: Path) -> str:
    """Dana (Influencer) and Tom (Decision maker) placed, each segment with a guide; Kim
    not placed yet."""
    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {"title": "Q3 capture", "facilitator": "Lee"},
            [
                {"name": "Dana Reyes", "role": "Head of Sales"},
                {"name": "Tom Berg", "role": "CFO"},
                {"name": "Kim Lee", "role": "Client success"},
            ],
        )
        dana, tom, _ = store.stakeholders(session.id)
        for person, segment in ((dana, "influencer"), (tom, "decision_maker")):
            body = PLACED | {"segment": segment, "messages": [], "confidence": "high"}
            item = store.create_item(
                session.id, "segmentation", body, "person", "Lee", stakeholder_id=person.id
            )
            store.approve_item(item.id, "Lee")
        for segment, questions in GUIDES.items():
            body = {
                "segment": segment,
                "questions": [{"text": q, "topic": "goals"} for q in questions],
            }
            guide = store.create_item(session.id, "discussion_guide", body, "person", "Lee")
            store.approve_item(guide.id, "Lee")
    return session.id


def answers(db_path: Path, session_id: str) -> dict[str, dict[str, str]]:
    with SessionStore.open(db_path) as store:
        record = store.load_session(session_id)
        names = {p.id: p.name for p in record.stakeholders}
        return {
            names[i.stakeholder_id]: {e["question"]: e["answer"] for e in i.body["entries"]}
            for i in record.items_of(ItemKind.ANSWERS)
        }


async def test_answers_are_typed_saved_and_counted_speaker_by_speaker(db_path):
    session_id = make_room(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea))
        screen = app.screen
        assert isinstance(screen, CaptureScreen)
        shown = screen_text(app)
        assert "Dana Reyes  0/2" in shown and "Tom Berg  0/1" in shown
        assert "Kim Lee  no questions" in shown  # not placed: nothing to ask them yet
        assert "1. What does a great quarter look like?" in shown

        # Letters that are commands elsewhere (a approve, e edit, r reject, d draft, x
        # remove, n new) are only text here.
        said = "Reads every draft, and rejects anything next to expensive"
        await pilot.press(*said)
        await pilot.press("tab")  # leaving the box saves it
        await settle(pilot)
        assert app.screen is screen
        assert answers(db_path, session_id) == {
            "Dana Reyes": {"What does a great quarter look like?": said}
        }
        assert "Dana Reyes  1/2" in screen_text(app)
        assert "✓ saved" in screen_text(app)
        assert (
            isinstance(app.focused, AnswerArea) and app.focused.question == "What has not worked?"
        )

        await pilot.press("ctrl+down")
        assert await wait_for(
            pilot,
            lambda: (
                isinstance(app.focused, AnswerArea)
                and app.focused.stakeholder_id != screen.order[0]
            ),
        )
        await pilot.press(*"Payback inside a year")
        await pilot.press("ctrl+o")  # every answer, per segment and per person
        await settle(pilot)
        panel = str(screen.query_one("#capture-all-text").render())
        assert "Influencer" in panel and "Decision maker" in panel
        assert said in panel and "A: Payback inside a year" in panel
        assert "Tom Berg  1/1" in screen_text(app)

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
        assert answers(db_path, session_id)["Tom Berg"] == {
            "What return do you expect?": "Payback inside a year"
        }
        assert "answers from 2 people" in screen_text(app)


async def test_an_answer_typed_just_before_closing_is_saved(db_path):
    session_id = make_room(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea))
        area = app.focused
        assert isinstance(area, TextArea)
        await pilot.press(*"Fewer, better leads")
        await pilot.press("escape")  # before the pause that would save it
        await settle(pilot)
    assert answers(db_path, session_id) == {
        "Dana Reyes": {"What does a great quarter look like?": "Fewer, better leads"}
    }


def test_capture_screen_snapshot(snap_compare, db_path) -> None:
    from support.tui_helpers import stop_blinking

    session_id = make_room(db_path)
    app = make_app(db_path)

    async def run_before(pilot) -> None:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea))
        stop_blinking(app)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_an_answer_on_a_full_disk_stays_and_saves_when_there_is_room(db_path):
    from support.disk import fill_the_disk, free_the_disk

    from workshop.tui.dialogs.common import ConfirmDialog

    session_id = make_room(db_path)
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("c")
        assert await wait_for(pilot, lambda: isinstance(app.focused, AnswerArea))
        fill_the_disk(app.service.store)
        said = "Fewer leads. " * 400  # needs new pages to store
        app.focused.insert(said)
        await pilot.press("escape")  # leaving tries to save first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # asked before the text goes
        await pilot.press("n")  # stay and retry
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen)
        assert "Not saved:" in screen_text(app) and "is full" in screen_text(app)
        assert answers(db_path, session_id) == {}

        free_the_disk(app.service.store)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkshopScreen)
    assert answers(db_path, session_id) == {
        "Dana Reyes": {"What does a great quarter look like?": said.strip()}
    }
