"""Screenshots of the workshop's stages, compared with the accepted SVGs in __snapshots__/.

One fixed session, built through the real store (model drafts are items with
Origin.MODEL whose bodies are written here, so no server is needed and nothing random
is on screen). Update after a deliberate change with `--snapshot-update`, then look at
the SVGs.

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

import sqlite3
import time
from pathlib import Path

import pytest
from support.tui_helpers import (
    SIZE,
    freeze_status_bar,
    make_app,
    open_stage,
    pin_session_id,
    settle,
)
from textual.pilot import Pilot

from sessions import SessionStore
from workshop.tui.app import WorkshopApp

PINNED_ID = "ses_000000000042"
DANA = "Dana Reyes"
MODEL = "model:test-model"

PEOPLE = [
    {"name": "Priya Shah", "role": "Head of Sales", "team": "Sales",
     "influence": "high", "stance": "resistant", "involvement": "approves",
     "notes": "Says marketing leads are never ready for sales."},
    {"name": "Tom Berg", "role": "CFO", "team": "Finance",
     "influence": "high", "stance": "neutral", "involvement": "approves"},
    {"name": "Lee Wong", "role": "Brand lead", "team": "Marketing",
     "influence": "medium", "stance": "supportive", "involvement": "executes"},
    {"name": "Ana Ruiz", "role": "Product marketing", "team": "Product",
     "influence": "low", "stance": "supportive", "involvement": "executes"},
    {"name": "Sam Okafor", "role": "CTO", "team": "Engineering",
     "influence": "high", "stance": "neutral", "involvement": "none"},
    {"name": "Kim Lee", "role": "Client success", "team": "Customers"},
]  # fmt: skip

# name → (segment, confidence, rationale); Kim Lee is not placed yet.
ASSIGNMENTS = {
    "Priya Shah": ("detractor", "high", "Doubts that marketing leads are ready for sales."),
    "Tom Berg": ("decision_maker", "medium", "Signs off the budget; wants a line to revenue."),
    "Lee Wong": ("champion", "high", "Already runs campaigns with us and says so."),
    "Ana Ruiz": ("champion", "low", "Keen on the launch plan, asks to present it."),
    "Sam Okafor": ("influencer", "medium", "Respected voice; not involved in marketing."),
}

GOOD_OUTCOME = {
    "result": "More qualified EU pipeline",
    "metric": "Sales-accepted leads per month",
    "baseline": "40 per month",
    "target": "70 per month",
    "due": "2026-09-30",
    "owner": DANA,
    "priority": "Grow the EU pipeline",
    "stakeholders": ["Priya Shah", "Tom Berg"],
    "leading_indicators": ["Demo requests", "Webinar sign-ups"],
}
UNKNOWN_BASELINE = {
    "result": "More partner-sourced deals",
    "metric": "Deals sourced by partners per quarter",
    "baseline": None,
    "target": "12 per quarter",
    "due": "Q3",
    "owner": "Lee Wong",
    "priority": "Launch the partner programme",
    "stakeholders": ["Lee Wong"],
    "leading_indicators": [],
}


def build_session(db_path: Path) -> str:
    """The fixed session, written through the store; returns its (pinned) id."""
    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {
                "title": "Q3 EU growth",
                "organisation": "Northwind Robotics",
                "workshop_date": "2026-07-02",
                "facilitator": DANA,
                "participants": [DANA, "Priya Shah", "Lee Wong"],
                "priorities": ["Grow the EU pipeline", "Launch the partner programme"],
                "marketing_today": "A monthly newsletter and trade fairs.",
                "challenges": "Sales does not trust marketing's leads.",
            },
            PEOPLE,
        )
        people = {p.name: p for p in store.stakeholders(session.id)}
        for name, (segment, confidence, rationale) in ASSIGNMENTS.items():
            body = {
                "segment": segment,
                "rationale": rationale,
                "motivations": ["A pipeline they can forecast"],
                "objections": ["Another reporting burden"],
                "approach": "Monthly one-page numbers.",
                "messages": ["Marketing owns results, not requests."],
                "confidence": confidence,
            }
            item = store.create_item(
                session.id, "segmentation", body, "model", MODEL, stakeholder_id=people[name].id
            )
            if name == "Priya Shah":
                store.approve_item(item.id, DANA)
        good = store.create_item(session.id, "outcome", GOOD_OUTCOME, "model", MODEL)
        store.approve_item(good.id, DANA)
        partner = store.create_item(session.id, "outcome", UNKNOWN_BASELINE, "model", MODEL)
        store.edit_item(partner.id, {**UNKNOWN_BASELINE, "target": "15 per quarter"}, DANA)
        entry = {
            "title": "EU partner webinar",
            "starts": "2026-07-15",
            "ends": "2026-08-15",
            "channel": "Webinar",
            "outcome_id": good.id,
            "description": "Two sessions, EU time zones.",
        }
        planned = store.create_item(session.id, "plan_entry", entry, "person", DANA)
        store.approve_item(planned.id, DANA)
        cadence = {
            "segment": "decision_maker",
            "report": "Pipeline in euros",
            "frequency": "monthly",
        }
        store.create_item(session.id, "cadence", cadence, "person", DANA)
        session_id = session.id
    pin_times(db_path)
    return pin_session_id(db_path, session_id, PINNED_ID)


def pin_times(db_path: Path) -> None:
    """Fixed UTC times for every row (test data preparation on the closed file)."""
    stamp = "2026-07-02T09:{:02d}:00.000000Z"
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            for table in ("sessions", "stakeholders", "items"):
                conn.execute(
                    f'UPDATE "{table}" SET created_at = ?, updated_at = ?',
                    [stamp.format(0), stamp.format(0)],
                )
            conn.execute(
                "UPDATE items SET approved_at = ? WHERE approved_at IS NOT NULL",
                [stamp.format(30)],
            )
            # Revision n of every item was made at 09:(10 n). Revisions are append-only
            # (a trigger refuses updates): lifted for this preparation, then put back.
            (trigger,) = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'revisions_append_only'"
            ).fetchone()
            conn.execute("DROP TRIGGER revisions_append_only")
            conn.execute(
                "UPDATE revisions SET created_at = printf('2026-07-02T09:%02d:00.000000Z', "
                "10 * number)"
            )
            conn.execute(trigger)
    finally:
        conn.close()


@pytest.fixture
def snapshot_env(tmp_path: Path, monkeypatch) -> Path:
    """A model profile at a fixed address (nothing is sent to it), UTC times, the file."""
    config = tmp_path / "config.toml"
    config.write_text(
        '[profiles.snap]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "test-model"\n'
        'api_key_env = "SNAPSHOT_KEY"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("WORKSHOP_CONFIG", str(config))
    monkeypatch.setenv("WORKSHOP_PROFILE", "snap")
    monkeypatch.setenv("SNAPSHOT_KEY", "sk-snapshot")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield tmp_path / "workshop.db"
    monkeypatch.undo()
    time.tzset()


def app_at(db_path: Path, stage: str) -> tuple[WorkshopApp, str]:
    session_id = build_session(db_path)
    with SessionStore.open(db_path) as store:
        store.set_stage(session_id, stage)
    return make_app(db_path), session_id


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
