"""Each model fault during "draft all" in the running app, against the real test server.

"Draft all" places the room in one request, then asks for each person's engagement
details in a request of their own. A fault aimed at one person's details request marks
that person's card only: it says what went wrong and how to retry, the other cards
finish, the board stays usable while that request hangs, and a retry succeeds once the
server recovers. A fault on the placement request itself (no connection) marks every
card of the room.
"""

from __future__ import annotations

import pytest
from support.drafting_helpers import (
    details_request_of,
    schema_following_responder,
    use_test_server,
)
from support.factory import make_session
from support.llm_server import LLMServer
from support.tui_helpers import (
    assignment_cards,
    detailed_cards,
    draft_all,
    notifications,
    open_stage,
    sent_without_preview,
    start_drafting_until,
)

from sessions import ItemKind, SessionStore, Status, has_engagement_details
from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.stages.segmentation import SegmentationPane
from workshop.tui.widgets.assignment_card import AssignmentCard

HIT = "Person 01"

# kind, fault parameters, what the card must say, profile overrides
FAULTS = [
    ("timeout", {"seconds": 30}, "did not answer in time", {"timeout": 1}),
    ("rate_limit", {"retry_after": 2}, "rate limiting requests. It asked to wait 2 s", {}),
    ("server_error", {"status": 503}, "server error (503)", {}),
    ("malformed_json", {}, "not valid JSON", {}),
    ("schema_invalid", {}, "did not fit: ", {}),
    ("truncated", {}, "cut off at the model's length limit", {}),
    ("refusal", {}, "declined to draft", {}),
    ("drop_stream", {}, "dropped half-way through the answer", {}),
]


def app_with_people(db_path, count: int) -> tuple[WorkshopApp, str]:
    """A session of `count` people in the database, and the app on that database."""
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, count)
    return WorkshopApp(WorkshopService.open(db_path), remember=False), session_id


async def retry_card(app, pilot, card: AssignmentCard) -> None:
    """What the card's hint says: focus it, g, an empty line of guidance. The room's first
    draft showed its request already, so the retry goes out at once and says so."""
    card.focus()
    await pilot.press("g")
    await pilot.pause()
    await pilot.press("enter")
    said = await sent_without_preview(pilot)
    assert said.startswith("Sending 1 request to test-model at 127.0.0.1")


def every_card_drafted(app) -> bool:
    """Every card shows a stored draft with its engagement details, and no failure."""
    return all(
        c.item and has_engagement_details(c.item.body) and not c.state.error
        for c in assignment_cards(app)
    )


def card_text(card: AssignmentCard) -> str:
    return " ".join(str(card.render()).split())


@pytest.mark.parametrize(
    ("kind", "params", "message", "profile"), FAULTS, ids=[f[0] for f in FAULTS]
)
async def test_each_fault_marks_its_card_and_a_retry_succeeds_after_recovery(
    db_path, llm_server, tmp_path, monkeypatch, kind, params, message, profile
):
    use_test_server(llm_server, tmp_path, monkeypatch, **profile)
    # Only the request for HIT's engagement details (the placement request names everyone).
    llm_server.add_fault(kind, times=None, match=details_request_of(HIT), **params)
    app, session_id = app_with_people(db_path, 4)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await draft_all(app, pilot)

        failed = [c for c in assignment_cards(app) if c.state.error]
        assert [c.person.name for c in failed] == [HIT]
        assert message in card_text(failed[0])
        assert "g: try again" in card_text(failed[0])
        # Everyone was placed; HIT's card keeps the placement and says its details are missing.
        assert all(c.item for c in assignment_cards(app))
        assert "placement only: no engagement details yet" in card_text(failed[0])
        assert detailed_cards(app) == ["Person 00", "Person 02", "Person 03"]
        assert "Placed 4, details for 3, failed 1." in notifications(app)

        llm_server.clear_faults()  # the server recovers
        failed_card = next(c for c in assignment_cards(app) if c.person.name == HIT)
        await retry_card(app, pilot, failed_card)
        assert every_card_drafted(app)
        assert not any("placement only" in card_text(c) for c in assignment_cards(app))
    with SessionStore.open(db_path) as check:
        drafts = check.load_session(session_id).items_of(ItemKind.SEGMENTATION)
        assert len(drafts) == 4  # the retry redrafted HIT's placement in place
        assert all(has_engagement_details(d.body) for d in drafts)


async def test_a_refused_connection_fails_every_card_then_retry_works_when_it_is_back(
    db_path, tmp_path, monkeypatch
):
    server = LLMServer().start()
    port = server.port
    use_test_server(server, tmp_path, monkeypatch)
    server.stop()  # nothing listens on the configured port now
    app, session_id = app_with_people(db_path, 3)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await draft_all(app, pilot)
        # The placement request for the whole room failed: every card says so, none is
        # placed, and no one is asked about on their own (it would fail the same way).
        assert all("Cannot reach 127.0.0.1" in card_text(c) for c in assignment_cards(app))
        assert all("g: try again" in card_text(c) for c in assignment_cards(app))
        assert not any(c.item for c in assignment_cards(app))
        assert "Drafted 0, failed 3." in notifications(app)

        with LLMServer(port=port, api_key=server.api_key) as back:
            await draft_all(app, pilot, preview=False)  # d drafts everyone not settled yet
            assert every_card_drafted(app)
            # One request places the room, then one request a person for the details.
            texts = [r.messages_text for r in back.chat_requests]
            assert len(texts) == 4
            assert all(f"name: Person {n:02d}" in texts[0] for n in range(3))
            assert sorted(
                n for t in texts[1:] for n in range(3) if details_request_of(f"Person {n:02d}") in t
            ) == [0, 1, 2]


async def test_an_endpoint_without_json_schema_still_drafts_every_card(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    llm_server.supports_json_schema = False
    llm_server.responder = schema_following_responder
    app, session_id = app_with_people(db_path, 3)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await draft_all(app, pilot)
        assert every_card_drafted(app)
    formats = {(r.body.get("response_format") or {}).get("type") for r in llm_server.chat_requests}
    assert formats == {"json_schema", "json_object"}  # asked once, then JSON mode


async def test_the_board_stays_usable_while_one_draft_hangs(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    llm_server.add_fault("timeout", times=None, match=details_request_of(HIT), seconds=30)
    app, session_id = app_with_people(db_path, 3)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await start_drafting_until(app, pilot, finished=["Person 00", "Person 02"])
        # Still drafting Person 01's details; the room approves a finished card meanwhile.
        done = next(c for c in assignment_cards(app) if c.person.name == "Person 00")
        done.focus()
        await pilot.press("a")
        await pilot.pause()
        with SessionStore.open(db_path) as check:
            assert check.get_item(done.item.id).status is Status.APPROVED
        hanging = next(c for c in assignment_cards(app) if c.person.name == HIT)
        assert hanging.item is not None  # placed already, on the board in its column
        assert "drafting details" in card_text(hanging)
        assert app.screen.query_one(SegmentationPane).drafting  # the round goes on
        await pilot.press("escape")
        await app.workers.wait_for_complete()
