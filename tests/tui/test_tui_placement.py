"""Draft all places the whole room in one request, streamed, then drafts each person's
engagement details: a card moves to its column the moment its entry in the answer is
complete, before anything is saved, and every card ends with a whole stored draft."""

from __future__ import annotations

import asyncio
import json

from support.drafting_helpers import details_request_of, use_test_server
from support.factory import make_session
from support.llm_server import default_responder
from support.tui_helpers import (
    assignment_cards,
    make_app,
    notifications,
    open_stage,
    saved_record,
    wait_for,
    wait_for_preview,
)
from textual.widgets import Static

from sessions import ItemKind, has_engagement_details

# Where the model places each person: a column of their own, none of them the first.
SEGMENTS = {
    "Person 00": "champion",
    "Person 01": "detractor",
    "Person 02": "decision_maker",
    "Person 03": "participant",
}


def placing_responder(body: dict) -> str:
    """The default model, placing each person of a placement request in their segment."""
    answer = json.loads(default_responder(body))
    for entry in answer.get("placements") or []:
        entry["segment"] = SEGMENTS[entry["name"]]
    return json.dumps(answer)


def card_of(app, name: str, column: str):
    """The person's card if it is in that column of the board, else None."""
    cards = app.screen.query(f"#col-{column} AssignmentCard")
    return next((c for c in cards if c.person.name == name), None)


def card_text(card) -> str:
    return " ".join(card.render_card().plain.split())


async def sample_progress(line: Static, lines: list[str]) -> None:
    """The board's progress line every few milliseconds, alongside the round."""
    while True:
        lines.append(str(line.render()))
        await asyncio.sleep(0.01)


async def test_cards_move_to_their_columns_while_the_placement_answer_streams(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    llm_server.responder = placing_responder
    llm_server.chunk_size = 4
    llm_server.token_rate = 40  # 160 characters a second: the room's answer takes seconds
    session_id = make_session(db_path, 4)
    app = make_app(db_path)
    progress: list[str] = []
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_stage(pilot, session_id, "segmentation")
        assert all(card_of(app, name, "unplaced") for name in SEGMENTS)
        await pilot.press("d")
        await wait_for_preview(pilot)
        progress_line = screen.query_one("#seg-progress", Static)
        sampling = asyncio.create_task(sample_progress(progress_line, progress))
        await pilot.press("enter")

        def moved_while_streaming() -> bool:
            requests = llm_server.chat_requests
            return (
                card_of(app, "Person 00", "champion") is not None
                and len(requests) == 1  # the placement request, the only one so far
                and not requests[0].finished
                and not saved_record(db_path, session_id).items_of(ItemKind.SEGMENTATION)
            )

        assert await wait_for(pilot, moved_while_streaming, tries=200)
        # Nothing awaited since: the same moment. Person 00's card is in Champion, shown
        # as placed but not saved; Person 03's entry, the last, cannot be complete yet.
        moved = card_of(app, "Person 00", "champion")
        assert moved.item is None
        assert "placed; saved when the answer ends → Champion" in card_text(moved)
        assert card_of(app, "Person 03", "unplaced") is not None

        await app.workers.wait_for_complete()
        await pilot.pause()
        sampling.cancel()

        # After the round: each card in its column with a stored draft, details and all.
        for name, segment in SEGMENTS.items():
            card = card_of(app, name, segment)
            assert card is not None, name
            assert card.item is not None and has_engagement_details(card.item.body)
            assert "model's draft" in card_text(card)
            assert "placement only" not in card_text(card)
        assert len(assignment_cards(app)) == 4
        assert "Placed 4, details for 4, failed 0." in notifications(app)

    # While the details were drafted, the progress line said how many were placed.
    assert any(text.startswith("Drafting: 4 of 4 placed, ") for text in progress), set(progress)
    drafts = saved_record(db_path, session_id).items_of(ItemKind.SEGMENTATION)
    names = {p.id: p.name for p in saved_record(db_path, session_id).stakeholders}
    assert {names[d.stakeholder_id]: d.body["segment"] for d in drafts} == SEGMENTS
    # Placed first (version 1), then given the details in place (version 2).
    assert all(d.version == 2 and has_engagement_details(d.body) for d in drafts)
    # One streamed request placed the room; one request a person drafted the details.
    placement, *details = llm_server.chat_requests
    assert placement.streamed and all(
        f"name: {name}" in placement.messages_text for name in SEGMENTS
    )
    assert sorted(
        name for r in details for name in SEGMENTS if details_request_of(name) in r.messages_text
    ) == sorted(SEGMENTS)
