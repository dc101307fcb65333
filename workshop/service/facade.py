"""The one door to a workshop database, shared by the CLI and the TUI.

`WorkshopService` composes small objects by subject; a front end reaches the store and
the drafting engine only through them (docs/architecture.md), so that a shared backend
could later stand behind this layer without touching the screens.
"""

from __future__ import annotations

from pathlib import Path

from sessions import SessionStore
from workshop.service.drafting import DraftingOps, Usage
from workshop.service.export import ExportOps
from workshop.service.history import HistoryOps
from workshop.service.items import ItemOps
from workshop.service.live import LiveWatch
from workshop.service.method import MethodOps
from workshop.service.people import PeopleOps
from workshop.service.progress import ProgressOps
from workshop.service.sessions import SessionOps
from workshop.service.undo import UndoJournal
from workshop.service.updates import UpdateOps


class WorkshopService:
    """One object per open database: `service.sessions`, `.people`, `.items`,
    `.drafting`, `.method`, `.export`, `.history`, `.progress`, `.updates` and `.undo`."""

    def __init__(self, store: SessionStore) -> None:
        # The store stays private to this layer (and to tests that set up data directly).
        self.store = store
        self.sessions = SessionOps(store)
        self.undo = UndoJournal(store)
        self.people = PeopleOps(store, self.undo)
        self.items = ItemOps(store, self.undo)
        self.drafting = DraftingOps(store)
        self.method = MethodOps()
        self.history = HistoryOps(store, self.sessions, self.items, self.method)
        self.export = ExportOps(store, self.sessions, self.method, self.history)
        self.progress = ProgressOps(store, self.sessions)
        self.updates = UpdateOps(store, self.sessions, self.method, self.progress)

    @classmethod
    def open(cls, db_path: Path | str | None = None) -> WorkshopService:
        return cls(SessionStore.open(db_path))

    def watch(self) -> LiveWatch:
        """Says when another window or the CLI has committed a change since last asked."""
        return LiveWatch(self.store)

    @property
    def db_path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> WorkshopService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Usage", "WorkshopService"]
