"""The fixed session the snapshot tests photograph, built through the real store.

Model drafts are items with Origin.MODEL whose bodies are written here, so no server is
needed and nothing random is on screen; times and the session id are pinned with plain
SQL on the closed file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sessions import SessionStore
from support.tui_helpers import make_app, pin_session_id
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


def app_at(db_path: Path, stage: str) -> tuple[WorkshopApp, str]:
    session_id = build_session(db_path)
    with SessionStore.open(db_path) as store:
        store.set_stage(session_id, stage)
    return make_app(db_path), session_id
