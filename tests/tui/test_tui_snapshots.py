"""Screenshots of the main screens, compared with the accepted SVGs in __snapshots__/.

Update after a deliberate change with `--snapshot-update`, then look at the SVGs.
Everything on screen is fixed: dates come from workshop_date, the database path in the
header is replaced, the one id shown is pinned, and no cursor blinks.
"""

from __future__ import annotations

from pathlib import Path

from support.tui_helpers import (
    SIZE,
    SPRING,
    make_app,
    pin_session_id,
    seed_sessions,
    settle,
    stop_blinking,
)
from textual.pilot import Pilot

from workshop.tui.app import WorkshopApp

PINNED_ID = "ses_000000000001"


def snapshot_app(tmp_path: Path, *, sessions: bool) -> WorkshopApp:
    """The real app on a fresh database in tmp_path, with the fixed content or none."""
    db_path = tmp_path / "workshop.db"
    if sessions:
        ids = seed_sessions(db_path)
        pin_session_id(db_path, ids[SPRING], PINNED_ID)
    return make_app(db_path)


async def _steady(pilot: Pilot) -> None:
    # The header shows the database path, which differs with every tmp_path.
    pilot.app.sub_title = "workshop.db"
    stop_blinking(pilot.app)
    await settle(pilot)


def test_home_empty(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(
        snapshot_app(tmp_path, sessions=False), terminal_size=SIZE, run_before=_steady
    )


def test_home_with_three_sessions(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(
        snapshot_app(tmp_path, sessions=True), terminal_size=SIZE, run_before=_steady
    )


def test_new_session_dialog_with_validation_error(snap_compare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _steady(pilot)
        await pilot.press("n")
        await pilot.pause()
        stop_blinking(pilot.app)
        await pilot.press("enter", "enter")  # submit with an empty title
        await settle(pilot)

    assert snap_compare(
        snapshot_app(tmp_path, sessions=True), terminal_size=SIZE, run_before=run_before
    )


def test_home_search_hits(snap_compare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _steady(pilot)
        await pilot.press("slash", *"budget")
        await settle(pilot)

    assert snap_compare(
        snapshot_app(tmp_path, sessions=True), terminal_size=SIZE, run_before=run_before
    )


def test_read_only_session_view(snap_compare, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await _steady(pilot)
        await pilot.press("down", "down", "v")  # the oldest session, SPRING, read-only
        await settle(pilot)

    assert snap_compare(
        snapshot_app(tmp_path, sessions=True), terminal_size=SIZE, run_before=run_before
    )
