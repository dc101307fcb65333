"""The request preview in front of the room: before the first draft of each kind in a
session, then not again unless the facilitator asks (`i`, or "before every draft").
Driven with Pilot against the real test server, on a real SQLite file."""

from __future__ import annotations

import json

from support.drafting_helpers import use_test_server
from support.factory import make_session
from support.tui_helpers import (
    make_app,
    notifications,
    open_stage,
    screen_text,
    send_preview,
    sending_lines,
    sent_without_preview,
    settle,
    wait_for,
    wait_for_preview,
)
from textual.widgets import Checkbox

from workshop.paths import state_path
from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.dialogs.request_preview import RequestPreviewDialog
from workshop.tui.screens.help import HelpScreen


def every_time_ticked(app) -> bool:
    return app.screen.query_one("#every-time", Checkbox).value


async def test_the_first_draft_of_a_kind_shows_the_preview_and_the_next_says_what_it_sends(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    session_id = make_session(db_path, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        await wait_for_preview(pilot)
        shown = screen_text(app)
        assert "Show this before every draft (b)" in shown
        assert "Replace people's names with labels (p)" in shown
        await send_preview(pilot)
        assert sending_lines(app) == []  # the preview said it all
        assert len(llm_server.chat_requests) == 1

        await pilot.press("o")
        said = await sent_without_preview(pilot)
        assert said == (
            f"Sending 1 request to test-model at 127.0.0.1:{llm_server.port}. "
            "Press i before a draft to see its request first."
        )
        assert "as it will be sent" not in screen_text(app)
        assert len(llm_server.chat_requests) == 2  # and it was sent


async def test_another_kind_and_another_session_still_show_the_preview(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    first = make_session(db_path, 2)
    second = make_session(db_path, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, first, "outcomes")
        await pilot.press("o")
        await send_preview(pilot)

        await pilot.press("4")  # Discussions: another kind of draft, another prompt
        await settle(pilot)
        await pilot.press("d")
        await send_preview(pilot)

        await pilot.press("escape")  # home, then the other workshop
        await settle(pilot)
        await open_stage(pilot, second, "outcomes")
        await pilot.press("o")
        await send_preview(pilot)
        assert sending_lines(app) == []


async def test_a_cancelled_preview_shows_again_on_the_next_draft(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    session_id = make_session(db_path, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        await wait_for_preview(pilot)
        await pilot.press("escape")  # nothing sent, nothing decided
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert llm_server.chat_requests == []
        await pilot.press("o")
        await send_preview(pilot)
        assert len(llm_server.chat_requests) == 1


async def test_i_shows_the_next_drafts_request_again(db_path, llm_server, tmp_path, monkeypatch):
    use_test_server(llm_server, tmp_path, monkeypatch)
    session_id = make_session(db_path, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        await send_preview(pilot)

        await pilot.press("i")
        await pilot.pause()
        assert "The next draft shows exactly what it sends, and waits for Send." in (
            notifications(app)
        )
        await pilot.press("o")
        await send_preview(pilot)
        # Asked for once: the draft after that goes straight out again.
        await pilot.press("o")
        await sent_without_preview(pilot)
        assert len(llm_server.chat_requests) == 3


async def test_the_preview_key_is_listed_under_question_mark(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    session_id = make_session(db_path, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        assert "Preview next request" in screen_text(app)
        assert "segmentation.preview" in screen_text(app)


async def test_i_typed_into_the_guidance_is_text_not_the_preview_key(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    session_id = make_session(db_path, 1)
    app = make_app(db_path)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await pilot.press("d")
        await send_preview(pilot)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press(*"insist on numbers", "enter")
        await sent_without_preview(pilot)  # the i in "insist" asked for no preview
        assert "insist on numbers" in llm_server.chat_requests[-1].messages_text


async def test_labels_chosen_in_the_preview_stay_for_the_drafts_sent_without_it(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    session_id = make_session(db_path, 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        await wait_for_preview(pilot)
        await pilot.press("p")  # names → labels
        await pilot.pause()
        await send_preview(pilot)
        assert "Person 00" not in llm_server.chat_requests[-1].messages_text

        # The same session opened again: still labels, still said.
        await pilot.press("escape")
        await settle(pilot)
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        said = await sent_without_preview(pilot)
        assert "people's names replaced with labels" in said
        assert "Person 00" not in llm_server.chat_requests[-1].messages_text
        assert "Person 01" not in llm_server.chat_requests[-1].messages_text


async def test_before_every_draft_keeps_showing_it_and_is_remembered(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    session_id = make_session(db_path, 2)
    # remember=True: the user directories are the test's own (see conftest).
    app = WorkshopApp(WorkshopService.open(db_path), remember=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        await wait_for_preview(pilot)
        assert not every_time_ticked(app)
        await pilot.press("b")
        await pilot.pause()
        assert every_time_ticked(app)
        await send_preview(pilot)

        await pilot.press("o")
        await wait_for_preview(pilot)  # again, as asked
        assert every_time_ticked(app)
        await send_preview(pilot)
        assert sending_lines(app) == []
    assert json.loads(state_path().read_text(encoding="utf-8"))["preview_every_time"] is True

    # The next run of the app keeps the choice, and unticking it there is kept too.
    app = WorkshopApp(WorkshopService.open(db_path), remember=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stage(pilot, session_id, "outcomes")
        await pilot.press("o")
        await wait_for_preview(pilot)
        assert every_time_ticked(app)
        await pilot.press("b")
        await pilot.pause()
        await send_preview(pilot)
        await pilot.press("o")
        await sent_without_preview(pilot)
        assert not isinstance(app.screen, RequestPreviewDialog)
    assert json.loads(state_path().read_text(encoding="utf-8"))["preview_every_time"] is False
