"""The board, the discussions and the outcomes at a laptop's and a projector's size.

The same fixed session as the stage snapshots (support/snapshot_session.py), with two
discussion guides added (one approved); 100×30 is the smallest screen the room is run
on, 160×48 a projector.
Update after a deliberate change with `--snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.snapshot_session import DANA, app_at
from support.tui_helpers import open_stage
from textual.pilot import Pilot

from sessions import SessionStore

GUIDES = {
    "champion": [
        {"topic": "success", "text": "What would make this quarter a win for your team?"},
        {"topic": "challenges", "text": "Where do our leads fall short for you?"},
    ],
    "detractor": [
        {"topic": "challenges", "text": "What would a lead need before you call it?"},
    ],
}

ROOM_SIZES = {"laptop": (100, 30), "projector": (160, 48)}


def add_guides(db_path: Path, session_id: str) -> None:
    with SessionStore.open(db_path) as store:
        for segment, questions in GUIDES.items():
            body = {"segment": segment, "questions": questions}
            guide = store.create_item(session_id, "discussion_guide", body, "person", DANA)
            if segment == "champion":
                store.approve_item(guide.id, DANA)


@pytest.mark.parametrize("size", ROOM_SIZES)
@pytest.mark.parametrize("stage", ["segmentation", "discussions", "outcomes"])
def test_stage_at_room_size(snap_compare, snapshot_env: Path, stage: str, size: str) -> None:
    app, session_id = app_at(snapshot_env, stage)
    add_guides(snapshot_env, session_id)

    async def run_before(pilot: Pilot) -> None:
        await open_stage(pilot, session_id, for_snapshot=True)

    assert snap_compare(app, terminal_size=ROOM_SIZES[size], run_before=run_before)
