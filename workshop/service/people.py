"""The stakeholder register: typed and pasted lines, CSV files, and the store's edits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sessions import Influence, Involvement, NotFoundError, SessionStore, Stakeholder, Stance
from workshop.errors import WorkshopError
from workshop.service.importing import parse_stakeholder_lines, read_stakeholders_csv
from workshop.service.undo import UndoJournal

# The register's attributes that take one of a few values, as the register writes them.
ATTRIBUTES: dict[str, type[StrEnum]] = {
    "influence": Influence,
    "stance": Stance,
    "involvement": Involvement,
}


class PeopleOps:
    """`service.people`."""

    # The store's own operations, offered as they are: the service adds nothing to them.
    add: Callable[[str, dict[str, Any]], Stakeholder]
    reorder: Callable[[str, list[str]], None]

    def __init__(self, store: SessionStore, journal: UndoJournal | None = None) -> None:
        self._store = store
        self._journal = journal or UndoJournal(store)
        self.add = store.add_stakeholder
        self.reorder = store.reorder_stakeholders

    def update(self, stakeholder_id: str, **changes: Any) -> Stakeholder:
        """Change a person's fields; undoable (service.undo)."""
        before = self._store.get_stakeholder(stakeholder_id)
        after = self._store.update_stakeholder(stakeholder_id, **changes)
        self._journal.person_changed(before, changes)
        return after

    def remove(self, stakeholder_id: str) -> None:
        """Remove a person with their drafts; undoable, rows and history alike."""
        removed = self._store.remove_stakeholder(stakeholder_id)
        self._journal.person_removed(removed)

    def move(self, stakeholder_id: str, offset: int) -> None:
        """Move a person up or down the register; undoable."""
        person = self._store.get_stakeholder(stakeholder_id)
        self._store.move_stakeholder(stakeholder_id, offset)
        self._journal.person_moved(person, offset)

    def add_lines(self, session_id: str, text: str) -> list[Stakeholder]:
        """Typed or pasted lines, one person each: 'Name, Role, Team, notes…'."""
        return self._store.add_stakeholders(session_id, parse_stakeholder_lines(text))

    def import_csv(self, session_id: str, csv_path: Path) -> list[Stakeholder]:
        return self._store.add_stakeholders(session_id, read_stakeholders_csv(csv_path))

    def find_by_name(self, session_id: str, name: str) -> Stakeholder | None:
        """The person of that name (case and spacing aside, as names are kept unique)."""
        key = name_key(name)
        return next(
            (p for p in self._store.stakeholders(session_id) if name_key(p.name) == key), None
        )

    def set_person(
        self, session_id: str, name: str, changes: Mapping[str, str]
    ) -> tuple[Stakeholder, bool, list[str]]:
        """Edit the person named `name`, or add them if absent: (them, added, what changed).

        `changes` holds text for role, team, influence, stance or involvement; an empty
        value clears an attribute; an attribute takes one of its values (any case).
        """
        values: dict[str, Any] = {k: attribute_value(k, v) for k, v in changes.items()}
        current = self.find_by_name(session_id, name)
        if current is None:
            return self.add(session_id, {"name": name, **values}), True, sorted(values)
        changed = [k for k, v in values.items() if getattr(current, k) != v]
        if not changed:
            return current, False, []
        return self.update(current.id, **{k: values[k] for k in changed}), False, changed

    def by_name(self, session_id: str, name: str) -> Stakeholder:
        """The stakeholder of that name (case and spacing aside)."""
        person = self.find_by_name(session_id, name)
        if person is None:
            raise NotFoundError(f"No stakeholder called {name!r} in this session.")
        return person

    def leave(
        self, session_id: str, name: str, on: date | None = None, replaced_by: str | None = None
    ) -> Stakeholder | None:
        """NAME left their seat (today unless `on`); the newcomer who replaces them, if any,
        joins unplaced in the same role, to be resold. Returns the newcomer."""
        person = self.by_name(session_id, name)
        if person.has_left:
            raise WorkshopError(f"{person.name} is already marked as left ({person.left_on}).")
        return self._store.mark_left(person.id, on or date.today(), replaced_by)


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def attribute_value(field: str, text: str) -> Any:
    """A register field's value from text: the attributes as their enum, or None if empty."""
    enum = ATTRIBUTES.get(field)
    if enum is None:
        return text
    text = text.strip().lower()
    if not text:
        return None
    try:
        return enum(text)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise WorkshopError(
            f"{field}: {text!r} is not one of {allowed} (or nothing, to clear it); "
            "nothing was changed."
        ) from None
