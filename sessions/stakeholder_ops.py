"""Stakeholder writes, run inside the store's transactions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from .errors import DuplicateNameError
from .models import StakeholderInput
from .rows import new_id, now


def check_unique_names(names: Sequence[str], first_new: int = 0) -> None:
    """Refuse a name that is already in the list (case- and space-insensitive).

    Names before first_new are already stored; the message then says which new one clashes.
    """
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        key = " ".join(name.casefold().split())
        if key in seen:
            where = "already in this session" if seen[key] < first_new else "listed twice"
            raise DuplicateNameError(f"A stakeholder named {name!r} is {where}.")
        seen[key] = index


def insert(db: Database, session_id: str, person: StakeholderInput) -> str:
    stakeholder_id, stamp = new_id("stakeholder"), now()
    position = db.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM stakeholders WHERE session_id=?",
        [session_id],
    ).fetchone()[0]
    db.execute(
        """INSERT INTO stakeholders (id, session_id, position, name, role, team, notes,
        influence, stance, involvement, created_at, updated_at)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
        [stakeholder_id, session_id, position, *_values(person), stamp, stamp],
    )
    return stakeholder_id


def update(db: Database, stakeholder_id: str, person: StakeholderInput) -> None:
    db.execute(
        """UPDATE stakeholders SET name=?, role=?, team=?, notes=?, influence=?, stance=?,
        involvement=?, updated_at=? WHERE id=?""",
        [*_values(person), now(), stakeholder_id],
    )


def _values(person: StakeholderInput) -> list[object]:
    return [
        person.name,
        person.role,
        person.team,
        person.notes,
        person.influence.value if person.influence else None,
        person.stance.value if person.stance else None,
        person.involvement.value if person.involvement else None,
    ]
