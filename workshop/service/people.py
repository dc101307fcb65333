"""The stakeholder register: typed and pasted lines, CSV files, and the store's edits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sessions import SessionStore, Stakeholder
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
