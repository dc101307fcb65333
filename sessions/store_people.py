"""The stakeholder register: add, edit, remove and order people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import item_ops, stakeholder_ops
from .errors import GONE_HINT, InvalidInputError, NotFoundError
from .models import (
    Stakeholder,
    StakeholderInput,
)
from .rows import (
    insert_event,
    now,
    stakeholder_from_row,
)
from .store_base import StoreBase, touch_session, validated

# What goes with a person when they are removed (by the schema's ON DELETE CASCADE).
_PERSON_ROWS = {
    "stakeholders": "SELECT * FROM stakeholders WHERE id=?",
    "items": "SELECT * FROM items WHERE stakeholder_id=? ORDER BY rowid",
    "revisions": "SELECT * FROM revisions WHERE item_id IN "
    "(SELECT id FROM items WHERE stakeholder_id=?) ORDER BY rowid",
}


@dataclass(frozen=True)
class RemovedStakeholder:
    """A removed person's rows, kept in memory (by the undo journal) to put back."""

    session_id: str
    name: str
    rows: dict[str, list[dict[str, Any]]]


class StakeholderMethods(StoreBase):
    """Stakeholder operations of the store."""

    # Stakeholders -----------------------------------------------------------------

    def stakeholders(self, session_id: str) -> list[Stakeholder]:
        rows = self._rows(
            "SELECT * FROM stakeholders WHERE session_id=? ORDER BY position, rowid",
            [session_id],
        )
        return [stakeholder_from_row(r) for r in rows]

    def get_stakeholder(self, stakeholder_id: str) -> Stakeholder:
        rows = self._rows("SELECT * FROM stakeholders WHERE id=?", [stakeholder_id])
        if not rows:
            raise NotFoundError(f"No stakeholder with id {stakeholder_id!r}: {GONE_HINT}")
        return stakeholder_from_row(rows[0])

    def add_stakeholders(
        self, session_id: str, people: Sequence[StakeholderInput | dict[str, Any]]
    ) -> list[Stakeholder]:
        """Add several at once (a pasted list): all of them, or none if one is invalid."""
        people = [validated(StakeholderInput, p, "stakeholder") for p in people]
        existing = [s.name for s in self.stakeholders(self.get_session(session_id).id)]
        stakeholder_ops.check_unique_names(existing + [p.name for p in people], len(existing))
        with self._write() as db:
            ids = [stakeholder_ops.insert(db, session_id, p) for p in people]
            touch_session(db, session_id)
        return [self.get_stakeholder(i) for i in ids]

    def add_stakeholder(
        self, session_id: str, person: StakeholderInput | dict[str, Any]
    ) -> Stakeholder:
        return self.add_stakeholders(session_id, [person])[0]

    def update_stakeholder(self, stakeholder_id: str, **changes: Any) -> Stakeholder:
        current = self.get_stakeholder(stakeholder_id)
        merged = current.model_dump(include=set(StakeholderInput.model_fields)) | changes
        person = validated(StakeholderInput, merged, "stakeholder")
        others = [s.name for s in self.stakeholders(current.session_id) if s.id != current.id]
        stakeholder_ops.check_unique_names(others + [person.name], len(others))
        with self._write() as db:
            stakeholder_ops.update(db, stakeholder_id, person)
            if person != StakeholderInput.model_validate(
                current.model_dump(include=set(StakeholderInput.model_fields))
            ):
                item_ops.mark_stakeholder_drafts_stale(db, stakeholder_id)
            touch_session(db, current.session_id)
        return self.get_stakeholder(stakeholder_id)

    def mark_left(
        self, stakeholder_id: str, on: date, replaced_by: str | None = None
    ) -> Stakeholder | None:
        """A leader left their seat on a day: they stay in this session's record, marked,
        and a follow-up leaves them behind. With replaced_by, the newcomer joins in the
        same role and team, unplaced, to be resold; returns the newcomer."""
        current = self.get_stakeholder(stakeholder_id)
        newcomer = None
        if replaced_by is not None:
            newcomer = validated(
                StakeholderInput,
                {"name": replaced_by, "role": current.role, "team": current.team},
                "stakeholder",
            )
            names = [s.name for s in self.stakeholders(current.session_id)]
            stakeholder_ops.check_unique_names([*names, newcomer.name], len(names))
        with self._write() as db:
            db.execute(
                "UPDATE stakeholders SET left_on=?, updated_at=? WHERE id=?",
                [on.isoformat(), now(), stakeholder_id],
            )
            new_id_ = None
            if newcomer is not None:
                new_id_ = stakeholder_ops.insert(db, current.session_id, newcomer)
                db.execute("UPDATE stakeholders SET replaces=? WHERE id=?", [current.name, new_id_])
            detail = {"name": current.name, "on": on.isoformat(), "replaced_by": replaced_by}
            insert_event(db, current.session_id, "stakeholder_left", detail)
            touch_session(db, current.session_id)
        return self.get_stakeholder(new_id_) if new_id_ else None

    def remove_stakeholder(self, stakeholder_id: str) -> RemovedStakeholder:
        """Remove a person with their drafts and history; returns the rows removed, from
        which `restore_stakeholder` puts everything back as it was."""
        current = self.get_stakeholder(stakeholder_id)
        with self._write() as db:
            rows = {
                table: [dict(row) for row in db.query(sql, [stakeholder_id])]
                for table, sql in _PERSON_ROWS.items()
            }
            db.execute("DELETE FROM stakeholders WHERE id=?", [stakeholder_id])
            insert_event(db, current.session_id, "stakeholder_removed", {"name": current.name})
            touch_session(db, current.session_id)
        return RemovedStakeholder(current.session_id, current.name, rows)

    def restore_stakeholder(self, removed: RemovedStakeholder) -> Stakeholder:
        """Undo a removal: the person, their drafts and every revision, as they were."""
        (person,) = removed.rows["stakeholders"]
        names = [s.name for s in self.stakeholders(removed.session_id)]
        stakeholder_ops.check_unique_names([*names, removed.name], len(names))
        with self._write() as db:
            for table in _PERSON_ROWS:  # parents first: the foreign keys hold throughout
                for row in removed.rows[table]:
                    columns = ", ".join(f'"{c}"' for c in row)
                    marks = ", ".join("?" for _ in row)
                    db.execute(
                        f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(row.values())
                    )
            insert_event(db, removed.session_id, "stakeholder_restored", {"name": removed.name})
            touch_session(db, removed.session_id)
        return self.get_stakeholder(person["id"])

    def reorder_stakeholders(self, session_id: str, ordered_ids: Sequence[str]) -> None:
        """Set the order; ordered_ids must name every stakeholder of the session once."""
        known = {s.id for s in self.stakeholders(session_id)}
        if sorted(ordered_ids) != sorted(known):
            raise InvalidInputError("A new order must list every stakeholder exactly once.")
        with self._write() as db:
            for position, stakeholder_id in enumerate(ordered_ids):
                db.execute(
                    "UPDATE stakeholders SET position=? WHERE id=?", [position, stakeholder_id]
                )
            touch_session(db, session_id)

    def move_stakeholder(self, stakeholder_id: str, offset: int) -> None:
        """Move one stakeholder up (negative) or down (positive) in the list."""
        current = self.get_stakeholder(stakeholder_id)
        ids = [s.id for s in self.stakeholders(current.session_id)]
        index = ids.index(stakeholder_id)
        ids.insert(max(0, min(len(ids) - 1, index + offset)), ids.pop(index))
        self.reorder_stakeholders(current.session_id, ids)
