"""The one way tests make a session: through the real store, with people and a brief."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sessions import SessionStore

# The brief every session has unless a test needs another.
BRIEF = {"title": "Q3 strategy", "organisation": "Acme", "priorities": ["Grow EU pipeline"]}

# A whole segment assignment but for its segment.
ASSIGNMENT = {
    "rationale": "Funds the launch.",
    "motivations": [],
    "objections": [],
    "approach": "Short updates.",
    "messages": [],
    "confidence": "high",
}


def make_session(
    where: SessionStore | Path,
    count: int = 3,
    notes: str = "Keen on numbers.",
    *,
    people: list[dict[str, Any]] | None = None,
    brief: dict[str, Any] | None = None,
    stage: str | None = None,
) -> str:
    """A new session's id, written through the real store.

    `where` is an open store, or a database file (opened and closed here). The people are
    `people` as given, or else `count` of them (Person 00, Person 01…, each a Lead with
    `notes`). The brief is BRIEF unless `brief` is given; `stage` is where it opens.
    """
    if not isinstance(where, SessionStore):
        with SessionStore.open(where) as store:
            return make_session(store, count, notes, people=people, brief=brief, stage=stage)
    if people is None:
        people = [
            {"name": f"Person {i:02d}", "role": "Lead", "team": f"Team {i}", "notes": notes}
            for i in range(count)
        ]
    session = where.create_session(BRIEF if brief is None else brief, people)
    if stage is not None:
        where.set_stage(session.id, stage)
    return session.id


def place(store: SessionStore, session_id: str, segments: list[str]) -> list[str]:
    """Put the session's people in segments, as stage 3 would; returns their ids."""
    people = store.load_session(session_id).stakeholders
    for person, segment in zip(people, segments, strict=False):
        store.create_item(
            session_id,
            "segmentation",
            ASSIGNMENT | {"segment": segment},
            "person",
            "Dana",
            stakeholder_id=person.id,
        )
    return [p.id for p in people]
