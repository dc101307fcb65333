"""The discussions stage driven with Pilot: guides drafted by the real test server, edited,
approved, and answers captured live into the real SQLite file."""

from __future__ import annotations

import asyncio

from support.drafting_helpers import use_test_server
from support.factory import make_session, place
from support.tui_helpers import (
    make_app,
    open_stage,
    screen_text,
    send_preview,
    sent_without_preview,
)

from sessions import ItemKind, Origin, SessionStore, Status
from workshop.tui.dialogs.question import QuestionDialog
from workshop.tui.dialogs.request_preview import RequestPreviewDialog
from workshop.tui.screens.workshop_screen import WorkshopScreen
from workshop.tui.widgets.question_widgets import AnswerArea, QuestionLine, SegmentItem


def guides(db_path, session_id):
    with SessionStore.open(db_path) as store:
        return store.load_session(session_id).items_of(ItemKind.DISCUSSION_GUIDE)


def answers(db_path, session_id):
    with SessionStore.open(db_path) as store:
        return store.load_session(session_id).items_of(ItemKind.ANSWERS)


def row(app, segment: str) -> str:
    return str(
        app.screen.query_one(f"#dis-seg-{segment}", SegmentItem).query_one(".dis-seg-text").render()
    )


async def test_draft_guides_then_edit_a_question_and_approve(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2)
        place(store, session_id, ["influencer", "detractor"])
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "discussions")
        assert "Person 00" in row(app, "influencer")
        assert "Person 01" in row(app, "detractor")
        assert "nobody placed yet" in row(app, "champion")

        await pilot.press("d")
        await send_preview(pilot)
        drafted = guides(db_path, session_id)
        assert sorted(g.segment.value for g in drafted) == sorted(
            ["influencer", "champion", "detractor", "decision_maker", "participant"]
        )
        assert all(g.origin is Origin.MODEL and g.status is Status.DRAFT for g in drafted)
        assert "model's draft" in row(app, "influencer")

        # Tab from the segments to the picker, then to the first question; edit it.
        await pilot.press("tab", "tab")
        assert isinstance(app.focused, QuestionLine)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, QuestionDialog)
        await pilot.press("end", *" And why?", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        influencer = next(g for g in guides(db_path, session_id) if g.segment.value == "influencer")
        assert influencer.version == 2 and influencer.origin is Origin.EDITED
        assert influencer.body["questions"][0]["text"].endswith("And why?")
        assert "And why?" in screen_text(app)

        await pilot.press("a")
        await pilot.pause()
        influencer = next(g for g in guides(db_path, session_id) if g.id == influencer.id)
        assert influencer.status is Status.APPROVED and influencer.approved_by
        assert "approved" in row(app, "influencer")

        # `d` now leaves the approved guide alone and redrafts only the others; guides
        # were previewed in this session already, so they go out at once, said in a line.
        await pilot.press("d")
        said = await sent_without_preview(pilot)
        assert said.startswith("Sending 4 requests to test-model at 127.0.0.1")
        assert len(llm_server.chat_requests) == 5 + 4


async def test_capture_answers_live_and_find_them_again(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2)
        ada, _ = place(store, session_id, ["champion", "champion"])
        store.create_item(
            session_id,
            "discussion_guide",
            {
                "segment": "champion",
                "questions": [
                    {"topic": "success", "text": "What does a great quarter look like?"},
                    {"topic": "challenges", "text": "What stands in your way?"},
                ],
            },
            "person",
            "Dana",
        )
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("down")  # Champion
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")  # the first person of the segment
        await pilot.pause()
        areas = list(app.screen.query(AnswerArea))
        assert [a.question for a in areas] == [
            "What does a great quarter look like?",
            "What stands in your way?",
        ]
        areas[0].focus()
        await pilot.press(*"Pipeline [bold]up[/bold] 20%")
        await pilot.press("tab")  # leaving the box saves it
        await pilot.pause()
        saved = answers(db_path, session_id)
        assert len(saved) == 1 and saved[0].stakeholder_id == ada
        assert saved[0].body["entries"] == [
            {
                "question": "What does a great quarter look like?",
                "answer": "Pipeline [bold]up[/bold] 20%",
            }
        ]

        # Typed into the second box and never left: saved when the app closes.
        list(app.screen.query(AnswerArea))[1].focus()
        await pilot.press(*"Budget")

        # Away to another stage and back: the answers are read again from the database.
        areas[0].focus()
        await pilot.press("tab")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        await pilot.pause()
        texts = [a.text for a in app.screen.query(AnswerArea)]
        assert texts == ["Pipeline [bold]up[/bold] 20%", "Budget"]
        assert "Pipeline [bold]up[/bold] 20%" in screen_text(app)  # markup shown as text

        app.screen.query(AnswerArea).last().focus()
        await pilot.press(*" and people")
    entries = answers(db_path, session_id)[0].body["entries"]
    assert entries[1] == {"question": "What stands in your way?", "answer": "Budget and people"}


async def test_a_guide_written_by_hand_when_there_is_none(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionDialog)
        await pilot.press("ctrl+s")  # no text yet: refused, the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, QuestionDialog)
        assert "needs its text" in str(app.screen.query_one("#question-error").render())
        await pilot.press(*"Where does <b>marketing</b> fit [i]today[/i]?", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        (guide,) = guides(db_path, session_id)
        assert guide.origin is Origin.PERSON and guide.segment.value == "influencer"
        assert guide.body["questions"] == [
            {"topic": "", "text": "Where does <b>marketing</b> fit [i]today[/i]?"}
        ]
        assert "Where does <b>marketing</b> fit [i]today[/i]?" in screen_text(app)

        # Esc in the dialog with changes asks first, and keeps the text on "no".
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Unsaved", "escape")
        await pilot.pause()
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, QuestionDialog)
        assert app.screen.query_one("#question-text").text == "Unsaved"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
    assert len(guides(db_path, session_id)[0].body["questions"]) == 1


async def test_a_server_fault_shows_on_each_segment_and_d_retries(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    llm_server.add_fault("server_error", times=None)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("d")
        await send_preview(pilot)
        assert guides(db_path, session_id) == []
        for segment in ("influencer", "champion", "participant"):
            assert "server error (500)" in row(app, segment)
            assert "press d to retry" in row(app, segment)
        assert "server error (500)" in str(app.screen.query_one("#dis-stream").render())
        progress = str(app.screen.query_one("#dis-progress").render())
        assert "5 failed: d to retry" in progress and "under way" not in progress

        # The pane still works by hand, and `d` tries again once the server is back.
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionDialog)
        await pilot.press("escape")
        await pilot.pause()
        llm_server.clear_faults()
        await pilot.press("d")
        await sent_without_preview(pilot)  # previewed and sent once already
        assert len(guides(db_path, session_id)) == 5
        assert "server error" not in row(app, "influencer")


async def test_without_a_model_drafting_says_how_to_connect_one(db_path):
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No model is configured" in str(app.screen.query_one("#dis-progress").render())
        assert any("No model is configured" in n.message for n in app._notifications)
        assert not any(s.error for s in app.screen.query_one("#pane-discussions").states.values())


async def test_escape_cancels_drafting_and_keeps_the_pane(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 1)
    llm_server.add_fault("timeout", times=None, seconds=30)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "discussions")
        await pilot.press("g")  # the selected segment only
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, RequestPreviewDialog):
                break
        await pilot.press("enter")
        assert await asyncio.to_thread(llm_server.wait_until, lambda s: s.in_flight == 1)
        await pilot.pause()
        assert "Esc cancels" in str(app.screen.query_one("#dis-progress").render())
        assert "…" in row(app, "influencer")
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkshopScreen)
        assert "…" not in row(app, "influencer") and "✗" not in row(app, "influencer")
        assert guides(db_path, session_id) == []
        assert len(llm_server.chat_requests) == 1
