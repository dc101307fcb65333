"""The stakeholder register: typed and pasted lines, CSV files, and the store's edits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sessions import NotFoundError, SessionStore, Stakeholder
from workshop.errors import WorkshopError
from workshop.service.importing import parse_stakeholder_lines, read_stakeholders_csv


class PeopleOps:
    """`service.people`."""

    # The store's own operations, offered as they are: the service adds nothing to them.
    add: Callable[[str, dict[str, Any]], Stakeholder]
    update: Callable[..., Stakeholder]
    remove: Callable[[str], None]
    move: Callable[[str, int], None]
    reorder: Callable[[str, list[str]], None]

    def __init__(self, store: SessionStore) -> None:
        self._store = store
        self.add = store.add_stakeholder
        self.update = store.update_stakeholder
        self.remove = store.remove_stakeholder
        self.move = store.move_stakeholder
        self.reorder = store.reorder_stakeholders

    def add_lines(self, session_id: str, text: str) -> list[Stakeholder]:
        """Typed or pasted lines, one person each: 'Name, Role, Team, notes…'."""
        return self._store.add_stakeholders(session_id, parse_stakeholder_lines(text))

    def import_csv(self, session_id: str, csv_path: Path) -> list[Stakeholder]:
        return self._store.add_stakeholders(session_id, read_stakeholders_csv(csv_path))

    def by_name(self, session_id: str, name: str) -> Stakeholder:
        """The stakeholder of that name (case and spacing aside)."""
        wanted = " ".join(name.casefold().split())
        for person in self._store.stakeholders(session_id):
            if " ".join(person.name.casefold().split()) == wanted:
                return person
        raise NotFoundError(f"No stakeholder called {name!r} in this session.")

    def leave(
        self, session_id: str, name: str, on: date | None = None, replaced_by: str | None = None
    ) -> Stakeholder | None:
        """NAME left their seat (today unless `on`); the newcomer who replaces them, if any,
        joins unplaced in the same role, to be resold. Returns the newcomer."""
        person = self.by_name(session_id, name)
        if person.has_left:
            raise WorkshopError(f"{person.name} is already marked as left ({person.left_on}).")
        return self._store.mark_left(person.id, on or date.today(), replaced_by)
