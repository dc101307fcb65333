"""Item and revision writes, run inside the store's transactions.

The rules live here: a person's edit is never overwritten by a model; an edit reopens an
approved item; every change appends a revision; versions detect conflicting edits; a person
(or a segment's guide) has one untouched model draft of a kind at a time, whatever runs at
once (the partial unique indexes of migration m004 hold it in the database itself).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from .bodies import body_hash, body_text, validate_body
from .errors import GONE_HINT, ConflictError, InvalidInputError, NotFoundError, invalid
from .models import Item, ItemKind, Origin, Revision, Status
from .rows import dumps, insert_event, item_from_row, new_id, now


def _validated_body(kind: ItemKind, body: Any) -> dict[str, Any]:
    try:
        return validate_body(kind, body)
    except ValidationError as error:
        raise invalid(error, kind.value) from None


def get(db: Database, item_id: str) -> Item:
    rows = list(db.query("SELECT * FROM items WHERE id=?", [item_id]))
    if not rows:
        raise NotFoundError(f"No item with id {item_id!r}: {GONE_HINT}")
    return item_from_row(rows[0])


def _checked(db: Database, item_id: str, expected_version: int | None) -> Item:
    item = get(db, item_id)
    if expected_version is not None and item.version != expected_version:
        raise ConflictError(
            "This item was changed elsewhere since you opened it (another window or "
            "process). Your text is kept; compare it with the current one and save again.",
            item.version,
        )
    return item


def create(
    db: Database,
    session_id: str,
    kind: ItemKind,
    body: Any,
    origin: Origin,
    author: str,
    stakeholder_id: str | None,
    llm_call_id: str | None,
    note: str,
) -> str:
    if origin is Origin.EDITED:
        raise InvalidInputError("A new item is drafted by a model or written by a person.")
    data = _validated_body(kind, body)
    if origin is Origin.MODEL:
        # Two drafts of the same person started at once: the later one is a redraft of
        # the first, read here inside the write transaction, not before the model call.
        occupant = _untouched_draft(db, session_id, kind, stakeholder_id, data.get("segment"))
        if occupant is not None:
            _write(db, occupant, data, Status.DRAFT, Origin.MODEL, stale=False)
            _revision(db, occupant.id, data, Status.DRAFT, Origin.MODEL, author, llm_call_id, note)
            return occupant.id
    item_id, stamp = new_id("item"), now()
    db.execute(
        """INSERT INTO items (id, session_id, kind, stakeholder_id, segment, status, origin,
        body, body_text, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,1,?,?)""",
        [
            item_id,
            session_id,
            kind.value,
            stakeholder_id,
            data.get("segment"),
            Status.DRAFT.value,
            origin.value,
            dumps(data),
            body_text(data),
            stamp,
            stamp,
        ],
    )
    _revision(db, item_id, data, Status.DRAFT, origin, author, llm_call_id, note)
    return item_id


def edit(
    db: Database,
    item_id: str,
    body: Any,
    author: str,
    expected_version: int | None,
    note: str,
) -> str:
    item = _checked(db, item_id, expected_version)
    data = _validated_body(item.kind, body)
    if data == item.body:
        return item.session_id
    origin = Origin.PERSON if item.origin is Origin.PERSON else Origin.EDITED
    if item.status is Status.APPROVED:
        note = note or "edited after approval: reopened"
        insert_event(db, item.session_id, "item_reopened", {"item_id": item_id, "by": author})
    _write(db, item, data, Status.DRAFT, origin, stale=False)
    _revision(db, item_id, data, Status.DRAFT, origin, author, None, note)
    return item.session_id


def redraft(
    db: Database, item_id: str, body: Any, llm_call_id: str | None, note: str
) -> tuple[str, str]:
    """Returns (the id of the item holding the new draft, the session id)."""
    item = get(db, item_id)
    data = _validated_body(item.kind, body)
    untouched = item.origin is Origin.MODEL and item.status is Status.DRAFT
    if not untouched:
        # A person edited or decided on it: their work stays, the new draft goes beside it.
        new_item = create(
            db,
            item.session_id,
            item.kind,
            data,
            Origin.MODEL,
            "model",
            item.stakeholder_id,
            llm_call_id,
            note,
        )
        return new_item, item.session_id
    _write(db, item, data, Status.DRAFT, Origin.MODEL, stale=False)
    _revision(db, item_id, data, Status.DRAFT, Origin.MODEL, "model", llm_call_id, note)
    return item_id, item.session_id


def approve(db: Database, item_id: str, by: str, expected_version: int | None) -> str:
    item = _checked(db, item_id, expected_version)
    by = by.strip()
    if not by:
        raise InvalidInputError("An approval needs the name of who approves.")
    stamp, digest = now(), body_hash(item.body)
    db.execute(
        """UPDATE items SET status='approved', approved_by=?, approved_at=?, approved_hash=?,
        version=version+1, updated_at=? WHERE id=?""",
        [by, stamp, digest, stamp, item_id],
    )
    _revision(db, item_id, item.body, Status.APPROVED, item.origin, by, None, "approved")
    insert_event(
        db, item.session_id, "item_approved", {"item_id": item_id, "by": by, "hash": digest}
    )
    return item.session_id


def set_status(db: Database, item_id: str, status: str, by: str, note: str) -> str:
    """Reject, or reopen as a draft; either clears an earlier approval."""
    item = get(db, item_id)
    new_status = Status(status)
    if item.status is new_status:
        return item.session_id
    if new_status is Status.DRAFT and item.origin is Origin.MODEL:
        # Reopening an older model draft: the person chose it over the newer one.
        occupant = _untouched_draft(
            db, item.session_id, item.kind, item.stakeholder_id, item.segment
        )
        if occupant is not None:
            set_status(db, occupant.id, "rejected", by, "superseded: an earlier draft was reopened")
    _write(db, item, item.body, new_status, item.origin, stale=item.stale)
    _revision(db, item_id, item.body, new_status, item.origin, by, None, note)
    kind = "item_rejected" if new_status is Status.REJECTED else "item_reopened"
    insert_event(db, item.session_id, kind, {"item_id": item_id, "by": by, "note": note})
    return item.session_id


def supersede_model_drafts(db: Database, session_id: str, kind: ItemKind, by: str) -> None:
    """Reject the session's untouched model drafts of kind: a newer set replaces them."""
    rows = db.query(
        "SELECT id FROM items WHERE session_id=? AND kind=? AND origin='model' AND status='draft'",
        [session_id, kind.value],
    )
    for row in list(rows):
        set_status(db, row["id"], "rejected", by, "superseded by a newer draft")


def draft_slot(kind: str, stakeholder_id: str | None, segment: str | None) -> tuple | None:
    """What one untouched model draft stands for: a person's item of a kind, or a
    segment's guide; None for the kinds a model drafts as a set (outcomes)."""
    if stakeholder_id is not None:
        return (kind, stakeholder_id)
    if kind == ItemKind.DISCUSSION_GUIDE.value and segment is not None:
        return (kind, segment)
    return None


def _untouched_draft(
    db: Database, session_id: str, kind: ItemKind, stakeholder_id: str | None, segment: str | None
) -> Item | None:
    slot = draft_slot(kind.value, stakeholder_id, segment)
    if slot is None:
        return None
    where = (
        "stakeholder_id=?" if stakeholder_id is not None else "stakeholder_id IS NULL AND segment=?"
    )
    rows = list(
        db.query(
            f"""SELECT * FROM items WHERE session_id=? AND kind=? AND {where}
            AND origin='model' AND status='draft' ORDER BY updated_at DESC LIMIT 1""",
            [session_id, kind.value, slot[1]],
        )
    )
    return item_from_row(rows[0]) if rows else None


def revisions(db: Database, item_id: str) -> list[Revision]:
    get(db, item_id)
    rows = db.query("SELECT * FROM revisions WHERE item_id=? ORDER BY number", [item_id])
    return [Revision.model_validate(r | {"body": json.loads(r["body"])}) for r in rows]


def mark_stakeholder_drafts_stale(db: Database, stakeholder_id: str) -> None:
    db.execute(
        "UPDATE items SET stale=1 WHERE stakeholder_id=? AND origin IN ('model','edited')",
        [stakeholder_id],
    )


def mark_session_drafts_stale(db: Database, session_id: str) -> None:
    db.execute(
        "UPDATE items SET stale=1 WHERE session_id=? AND origin IN ('model','edited')",
        [session_id],
    )


def _write(
    db: Database, item: Item, data: dict[str, Any], status: Status, origin: Origin, stale: bool
) -> None:
    db.execute(
        """UPDATE items SET body=?, body_text=?, segment=?, status=?, origin=?, stale=?,
        approved_by=NULL, approved_at=NULL, approved_hash=NULL, version=version+1,
        updated_at=? WHERE id=?""",
        [
            dumps(data),
            body_text(data),
            data.get("segment"),
            status.value,
            origin.value,
            int(stale),
            now(),
            item.id,
        ],
    )


def _revision(
    db: Database,
    item_id: str,
    data: dict[str, Any],
    status: Status,
    origin: Origin,
    author: str,
    llm_call_id: str | None,
    note: str,
) -> None:
    number = db.execute(
        "SELECT coalesce(max(number), 0) + 1 FROM revisions WHERE item_id=?", [item_id]
    ).fetchone()[0]
    db.execute(
        """INSERT INTO revisions (id, item_id, number, body, status, origin, author,
        llm_call_id, note, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
        [
            new_id("revision"),
            item_id,
            number,
            dumps(data),
            status.value,
            origin.value,
            author,
            llm_call_id,
            note,
            now(),
        ],
    )
