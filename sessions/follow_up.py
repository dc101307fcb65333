"""Follow-up sessions: next quarter's workshop starts from the last approved strategy.

What a follow-up carries from its parent (run inside the store's one transaction):

- the brief, as it was, except the workshop date (a new workshop gets its own) and the
  title (given, else the parent's with " (follow-up)");
- every stakeholder (name, role, team, notes, attributes), in the same order, with new
  ids, except those who left their seat; a newcomer keeps whom they replace; the mapping
  parent id → follow-up id is kept in the `carried_forward` event;
- each stakeholder's last approved segment assignment, the approved outcomes and the
  approved impact cadences, copied as approved items: same body, same origin, same
  approval (who, when, hash of the approved text), and one first revision whose note is
  "carried forward from <parent id>"; the mapping parent item → follow-up item is kept in
  the same event, so that a later comparison matches an outcome whose wording changed;
- the agenda's time boxes (not the time spent).

Drafts, rejected items, discussion guides, captured answers and the 90-day plan are
this quarter's work and stay with the parent. Nothing in the parent changes.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from . import stakeholder_ops
from .models import NAME_MAX, Brief, ItemKind, StakeholderInput, Status
from .rows import dumps, insert_event, item_from_row, new_id, now, session_from_row

CARRIED_NOTE = "carried forward from {parent_id}"
CARRIED_EVENT = "carried_forward"
FOLLOW_UP_SUFFIX = " (follow-up)"


def carried_note(parent_id: str) -> str:
    return CARRIED_NOTE.format(parent_id=parent_id)


def default_title(parent_title: str) -> str:
    room = NAME_MAX - len(FOLLOW_UP_SUFFIX)
    base = parent_title if len(parent_title) <= room else parent_title[: room - 1] + "…"
    return base + FOLLOW_UP_SUFFIX


def follow_up_brief(parent_row: dict[str, Any], title: str | None) -> Brief:
    parent = session_from_row(parent_row)
    fields = parent.brief.model_dump()
    fields["title"] = title if title is not None else default_title(parent.title)
    fields["workshop_date"] = None
    return Brief.model_validate(fields)


def carried_items(db: Database, parent_id: str) -> list[dict[str, Any]]:
    """The parent's items a follow-up starts from (rows), in a stable order."""
    rows = list(
        db.query(
            """SELECT * FROM items WHERE session_id=? AND status=? AND kind IN (?,?,?)
            ORDER BY created_at, rowid""",
            [
                parent_id,
                Status.APPROVED.value,
                ItemKind.SEGMENTATION.value,
                ItemKind.OUTCOME.value,
                ItemKind.CADENCE.value,
            ],
        )
    )
    newest: dict[tuple[str, str], dict[str, Any]] = {}
    outcomes = []
    for row in rows:
        if row["kind"] == ItemKind.OUTCOME.value:
            outcomes.append(row)
            continue
        # One per person (segmentation) or per segment (cadence): the last approved.
        key = (row["kind"], row["stakeholder_id"] or row["segment"] or "")
        if key not in newest or _approved_order(row) >= _approved_order(newest[key]):
            newest[key] = row
    people = {
        r["id"]: r["position"]
        for r in db.query("SELECT id, position FROM stakeholders WHERE session_id=?", [parent_id])
    }
    segmentation = sorted(
        (r for r in newest.values() if r["kind"] == ItemKind.SEGMENTATION.value),
        key=lambda r: (people.get(r["stakeholder_id"], 0), r["created_at"]),
    )
    cadences = sorted(
        (r for r in newest.values() if r["kind"] == ItemKind.CADENCE.value),
        key=lambda r: r["created_at"],
    )
    return [*segmentation, *outcomes, *cadences]


def _approved_order(row: dict[str, Any]) -> tuple[str, str]:
    return (row["approved_at"] or "", row["updated_at"])


def create_follow_up(db: Database, parent_id: str, title: str | None, by: str) -> str:
    """Write the follow-up of parent_id into db (inside a transaction); return its id."""
    parent_rows = list(db.query("SELECT * FROM sessions WHERE id=?", [parent_id]))
    brief = follow_up_brief(parent_rows[0], title)
    session_id, stamp = new_id("session"), now()
    db.execute(
        """INSERT INTO sessions (id, title, organisation, workshop_date, facilitator,
        participants, priorities, marketing_today, challenges, stage, parent_id,
        created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,'brief',?,?,?)""",
        [
            session_id,
            brief.title,
            brief.organisation,
            None,
            brief.facilitator,
            dumps(brief.participants),
            dumps(brief.priorities),
            brief.marketing_today,
            brief.challenges,
            parent_id,
            stamp,
            stamp,
        ],
    )
    insert_event(db, session_id, "session_created", {"parent_id": parent_id})

    people: dict[str, str] = {}
    fields = set(StakeholderInput.model_fields)
    for row in db.query(
        "SELECT * FROM stakeholders WHERE session_id=? ORDER BY position, rowid", [parent_id]
    ):
        if row["left_on"] is not None:
            continue  # they left their seat: the follow-up starts without them
        person = StakeholderInput.model_validate({k: row[k] for k in fields})
        people[row["id"]] = stakeholder_ops.insert(db, session_id, person)
        if row["replaces"]:
            # Still the newcomer in that seat, to be resold until the room places them.
            db.execute(
                "UPDATE stakeholders SET replaces=? WHERE id=?",
                [row["replaces"], people[row["id"]]],
            )

    items: dict[str, str] = {}
    note = carried_note(parent_id)
    for row in carried_items(db, parent_id):
        if row["stakeholder_id"] is not None and row["stakeholder_id"] not in people:
            continue  # the placement of someone who left
        items[row["id"]] = _copy_item(db, row, session_id, people, by, note)

    db.execute(
        """INSERT INTO stage_times (session_id, stage, planned_minutes)
        SELECT ?, stage, planned_minutes FROM stage_times
        WHERE session_id=? AND planned_minutes IS NOT NULL""",
        [session_id, parent_id],
    )
    insert_event(
        db,
        session_id,
        CARRIED_EVENT,
        {"from": parent_id, "by": by, "stakeholders": people, "items": items},
    )
    return session_id


def _copy_item(
    db: Database,
    row: dict[str, Any],
    session_id: str,
    people: dict[str, str],
    by: str,
    note: str,
) -> str:
    item = item_from_row(row)
    item_id, stamp = new_id("item"), now()
    db.execute(
        """INSERT INTO items (id, session_id, kind, stakeholder_id, segment, status, origin,
        body, body_text, version, stale, approved_by, approved_at, approved_hash,
        created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,1,0,?,?,?,?,?)""",
        [
            item_id,
            session_id,
            item.kind.value,
            people.get(item.stakeholder_id) if item.stakeholder_id else None,
            row["segment"],
            Status.APPROVED.value,
            item.origin.value,
            row["body"],
            row["body_text"],
            item.approved_by,
            item.approved_at,
            item.approved_hash,
            stamp,
            stamp,
        ],
    )
    db.execute(
        """INSERT INTO revisions (id, item_id, number, body, status, origin, author,
        llm_call_id, note, created_at) VALUES (?,?,1,?,?,?,?,NULL,?,?)""",
        [new_id("revision"), item_id, row["body"], "approved", item.origin.value, by, note, stamp],
    )
    return item_id


def carried_map(db: Database, session_id: str) -> tuple[str | None, dict[str, str]]:
    """(the parent id, {follow-up item id: parent item id}) from the carried_forward event."""
    rows = list(
        db.query(
            """SELECT detail FROM events WHERE session_id=? AND kind=?
            ORDER BY created_at DESC, rowid DESC LIMIT 1""",
            [session_id, CARRIED_EVENT],
        )
    )
    if not rows:
        return None, {}
    detail = json.loads(rows[0]["detail"])
    items = detail.get("items") or {}
    return detail.get("from"), {new: old for old, new in items.items()}
