"""Past sessions: follow-ups, what changed since the last one, sessions as JSON dumps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sessions import Session, SessionStore
from workshop.drafting.reading import read_bounded
from workshop.errors import WorkshopError
from workshop.rules.compare import Change, compare_sessions
from workshop.rules.compare_progress import progress_changes
from workshop.service.files import write_private_file
from workshop.service.items import ItemOps
from workshop.service.method import MethodOps
from workshop.service.sessions import SessionOps

# A dump of a 30-person session with its whole history is well under 1 MB.
MAX_DUMP_BYTES = 200_000_000


class HistoryOps:
    """`service.history`: follow-ups, what changed since, and sessions as JSON dumps."""

    def __init__(
        self, store: SessionStore, sessions: SessionOps, items: ItemOps, method: MethodOps
    ) -> None:
        self._store = store
        self._sessions = sessions
        self._items = items
        self._method = method
        # The store's own operation, offered as it is.
        self.load_dump: Callable[..., Session] = store.load_session_dump

    def follow_up(self, session_id: str, title: str | None = None) -> Session:
        """Start the next workshop from a past one (sessions/follow_up.py says what it carries)."""
        parent_id = self._sessions.resolve(session_id)
        return self._store.follow_up(parent_id, title, by=self._items.author(parent_id))

    def compare(self, a_ref: str, b_ref: str) -> list[Change]:
        """What changed from session a (earlier) to session b (later)."""
        a_id, b_id = self._sessions.resolve(a_ref), self._sessions.resolve(b_ref)
        earlier = self._store.load_session(a_id)
        changes = compare_sessions(
            earlier,
            self._store.load_session(b_id),
            links=self._store.carried_links(b_id, a_id),
            notes=self._store.revision_notes(b_id),
        )
        # Then the quarter between them: what the earlier session's outcomes, plan and
        # updates came to.
        return changes + progress_changes(
            earlier,
            self._store.measurements(a_id),
            self._store.plan_statuses(a_id),
            {s.id: s.name for s in self._method.playbook.segments},
            date.today(),
        )

    def changes_since_parent(self, session_id: str) -> list[Change]:
        """What changed since the session this one follows up; empty when it has none."""
        session = self._sessions.get(session_id)
        if session.parent_id is None:
            return []
        return self.compare(session.parent_id, session.id)

    def dump(self, session_ref: str) -> dict[str, Any]:
        """The whole session as a JSON-ready document (see sessions/transfer.py)."""
        return self._store.dump_session(self._sessions.resolve(session_ref))

    def dump_text(self, session_ref: str) -> str:
        from sessions.transfer import dump_text

        return dump_text(self.dump(session_ref))

    def write_dump(self, session_ref: str, path: Path, force: bool = False) -> Path:
        """Write the dump to path, owner-readable only, never over a file unless forced."""
        write_private_file(path, self.dump_text(session_ref), force)
        return path

    def read_dump(self, path: Path) -> dict[str, Any]:
        from sessions.transfer import parse_dump

        try:
            text = read_bounded(Path(path), MAX_DUMP_BYTES, "session dump").decode("utf-8")
        except FileNotFoundError:
            raise WorkshopError(f"{path}: no such file.") from None
        except UnicodeDecodeError:
            raise WorkshopError(f"{path} is not a session dump: not UTF-8 text.") from None
        except OSError as error:
            raise WorkshopError(f"Cannot read {path}: {error.strerror}.") from None
        return parse_dump(text, str(path))
