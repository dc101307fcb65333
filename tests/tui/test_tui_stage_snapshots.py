"""Screenshots of the workshop's stages, compared with the accepted SVGs in __snapshots__/.

One fixed session (support/snapshot_session.py), built through the real store. Update
after a deliberate change with `--snapshot-update`, then look at the SVGs.

What would differ from run to run, and how it is made fixed:
- the session id (shown in the export): pinned with plain SQL (tui_helpers.pin_session_id);
- the times of revisions and approvals (shown in the review): set with plain SQL to fixed
  UTC times before the app opens the file, and shown in UTC (TZ=UTC for the test);
- the status line's "✓ saved HH:MM:SS" and the stage timer: in run_before the screen's
  one-second interval is paused and both parts get fixed text (tui_helpers.freeze_status_bar);
- the model shown in the status line: a profile with a fixed address (nothing is sent);
- blinking cursors: off (tui_helpers.stop_blinking).
"""

from __future__ import annotations

from pathlib import Path

from support.snapshot_session import DANA, app_at
from support.tui_helpers import SIZE, freeze_status_bar, open_stage, settle
from textual.pilot import Pilot

from sessions import SessionStore


def test_segmentation_board(snap_compare, snapshot_env: Path) -> None:
    app, session_id = app_at(snapshot_env, "segmentation")

    async def run_before(pilot: Pilot) -> None:
        await open_stage(pilot, session_id, for_snapshot=True)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_segmentation_influence_map(snap_compare, snapshot_env: Path) -> None:
    app, session_id = app_at(snapshot_env, "segmentation")

    async def run_before(pilot: Pilot) -> None:
        await open_stage(pilot, session_id, keys=("v",), for_snapshot=True)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_outcomes_with_their_checks(snap_compare, snapshot_env: Path) -> None:
    app, session_id = app_at(snapshot_env, "outcomes")

    async def run_before(pilot: Pilot) -> None:
        await open_stage(pilot, session_id, for_snapshot=True)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_review_with_a_diff_between_two_revisions(snap_compare, snapshot_env: Path) -> None:
    app, session_id = app_at(snapshot_env, "review")

    async def run_before(pilot: Pilot) -> None:
        # Down the item list to the outcome that was edited: its last revision is
        # compared with the one before (the target changed).
        await open_stage(pilot, session_id, for_snapshot=True)
        table = pilot.app.screen.query_one("#review-items")
        for _ in range(table.row_count):
            if "partner-sourced" in str(table.get_row_at(table.cursor_row)[1]):
                break
            await pilot.press("down")
        await settle(pilot)
        freeze_status_bar(pilot.app.screen)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_export_preview(snap_compare, snapshot_env: Path) -> None:
    app, session_id = app_at(snapshot_env, "review")

    async def run_before(pilot: Pilot) -> None:
        await open_stage(pilot, session_id, "export", for_snapshot=True)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_progress_between_workshops(snap_compare, snapshot_env: Path, monkeypatch) -> None:
    from datetime import date

    from sessions import ItemKind, Status
    from workshop.tui.stages.progress import ProgressPane

    app, session_id = app_at(snapshot_env, "progress")
    with SessionStore.open(snapshot_env) as store:
        record = store.load_session(session_id)
        (good,) = [i for i in record.items_of(ItemKind.OUTCOME) if i.status is Status.APPROVED]
        for day, value in (
            (date(2026, 7, 20), 44),
            (date(2026, 8, 3), 51),
            (date(2026, 8, 17), 58),
        ):
            store.add_measurement(good.id, value, day, "CRM report")
        (cadence,) = record.items_of(ItemKind.CADENCE)
        store.approve_item(cadence.id, DANA)
    # "Due", "late" and "time gone" are measured against a fixed day, as the clock is.
    monkeypatch.setattr(ProgressPane, "today", staticmethod(lambda: date(2026, 8, 20)))

    async def run_before(pilot: Pilot) -> None:
        from support.tui_helpers import wait_for
        from textual.widgets import DataTable

        await open_stage(pilot, session_id, for_snapshot=True)
        tables = list(pilot.app.screen.query("#pane-progress DataTable").results(DataTable))
        assert await wait_for(pilot, lambda: all(t.row_count for t in tables))
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
