"""The service's past sessions: follow-ups, what changed, moving, archiving, browsing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sessions import (
    SearchHit,
    Session,
    SessionStore,
    SessionSummary,
)
from workshop.errors import WorkshopError
from workshop.rules.compare import Change, compare_sessions
from workshop.service.files import write_private_file


class HistoryOps:
    """Past-session operations of WorkshopService (needs `self.store`)."""

    store: SessionStore

    # Past sessions: follow-ups, what changed, moving sessions, archive ---------------

    def get_session(self, session_ref: str) -> Session:
        """One session's brief and state, without its people and items."""
        return self.store.get_session(self.resolve(session_ref))

    def follow_up(self, session_id: str, title: str | None = None) -> Session:
        """Start the next workshop from a past one (sessions/follow_up.py says what it carries)."""
        parent_id = self.resolve(session_id)
        return self.store.follow_up(parent_id, title, by=self.author(parent_id))

    def compare(self, a_ref: str, b_ref: str) -> list[Change]:
        """What changed from session a (earlier) to session b (later)."""
        a_id, b_id = self.resolve(a_ref), self.resolve(b_ref)
        return compare_sessions(
            self.store.load_session(a_id),
            self.store.load_session(b_id),
            links=self.store.carried_links(b_id, a_id),
            notes=self.store.revision_notes(b_id),
        )

    def changes_since_parent(self, session_id: str) -> list[Change]:
        """What changed since the session this one follows up; empty when it has none."""
        session = self.get_session(session_id)
        if session.parent_id is None:
            return []
        return self.compare(session.parent_id, session.id)

    def dump(self, session_ref: str) -> dict[str, Any]:
        """The whole session as a JSON-ready document (see sessions/transfer.py)."""
        return self.store.dump_session(self.resolve(session_ref))

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
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise WorkshopError(f"{path}: no such file.") from None
        except UnicodeDecodeError:
            raise WorkshopError(f"{path} is not a session dump: not UTF-8 text.") from None
        except OSError as error:
            raise WorkshopError(f"Cannot read {path}: {error.strerror}.") from None
        return parse_dump(text, str(path))

    def load_dump(self, data: dict[str, Any], as_copy: bool = False) -> Session:
        """Load a dumped session: the same ids (refused if taken), or new ones with as_copy."""
        return self.store.load_session_dump(data, as_copy)

    def archive(self, session_ref: str) -> Session:
        return self.store.set_archived(self.resolve(session_ref), True)

    def unarchive(self, session_ref: str) -> Session:
        return self.store.set_archived(self.resolve(session_ref), False)

    def deletion_summary(self, session_ref: str) -> tuple[Session, dict[str, int]]:
        """The session and what deleting it would delete (see SessionStore.session_counts)."""
        session_id = self.resolve(session_ref)
        return self.store.get_session(session_id), self.store.session_counts(session_id)

    def delete(self, session_ref: str) -> None:
        self.store.delete_session(self.resolve(session_ref))

    def list_filtered(
        self,
        limit: int = 50,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SessionSummary]:
        return self.store.list_sessions_filtered(
            limit, 0, include_archived, status=status, since=since, until=until
        )

    def search_filtered(
        self,
        query: str,
        limit: int = 50,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SearchHit]:
        return self.store.search_filtered(
            query, limit, include_archived, status=status, since=since, until=until
        )
