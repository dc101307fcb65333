"""Past sessions: follow-ups, what changed, moving sessions, browsing."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from .database import translate_errors
from .errors import InvalidInputError, invalid
from .models import (
    SearchHit,
    Session,
    SessionSummary,
)
from .store_base import StoreBase


class HistoryMethods(StoreBase):
    """Operations on past sessions (the SQL lives in follow_up.py, transfer.py, browse.py)."""

    # Past sessions: follow-ups, what changed, moving sessions, browsing -------------
    # (the SQL lives in follow_up.py, transfer.py and browse.py)

    def follow_up(self, parent_id: str, title: str | None = None, by: str = "") -> Session:
        """Start the next workshop from parent_id's approved strategy (see follow_up.py)."""
        from .follow_up import create_follow_up

        self.get_session(parent_id)
        by = by.strip()
        if not by:
            raise InvalidInputError("A follow-up needs the name of who starts it.")
        with self._write() as db:
            try:
                session_id = create_follow_up(db, parent_id, title, by)
            except ValidationError as error:
                raise invalid(error, "follow-up") from None
        return self.get_session(session_id)

    def carried_links(self, session_id: str, ancestor_id: str) -> dict[str, str]:
        """{item of session_id: item of ancestor_id} it was carried forward from.

        Follows a chain of follow-ups; empty when ancestor_id is not an ancestor.
        """
        from .follow_up import carried_map

        links: dict[str, str] | None = None
        current: str | None = session_id
        seen: set[str] = set()
        with translate_errors(self.path):
            while current is not None and current not in seen:
                seen.add(current)
                parent, step = carried_map(self.db, current)
                if parent is None:
                    return {}
                links = (
                    step if links is None else {b: step[p] for b, p in links.items() if p in step}
                )
                if parent == ancestor_id:
                    return links
                current = parent
        return {}

    def revision_notes(self, session_id: str) -> dict[str, list[str]]:
        """Every item's revision notes, oldest first: the reasons people gave."""
        rows = self._rows(
            """SELECT r.item_id, r.note FROM revisions r JOIN items i ON i.id = r.item_id
            WHERE i.session_id = ? ORDER BY r.item_id, r.number""",
            [session_id],
        )
        notes: dict[str, list[str]] = {}
        for row in rows:
            notes.setdefault(row["item_id"], []).append(row["note"])
        return notes

    def dump_session(self, session_id: str) -> dict[str, Any]:
        """The whole session as a JSON-ready document, read from one snapshot."""
        from .transfer import dump_session

        self.get_session(session_id)
        with translate_errors(self.path):
            self.db.conn.execute("BEGIN")
            try:
                return dump_session(self.db, session_id)
            finally:
                self.db.conn.execute("COMMIT")

    def load_session_dump(self, document: dict[str, Any], as_copy: bool = False) -> Session:
        """Load a dump in one transaction: the same ids, or new ones with as_copy."""
        from .transfer import load_session

        with self._write() as db:
            session_id = load_session(db, document, as_copy)
        return self.get_session(session_id)

    def session_counts(self, session_id: str) -> dict[str, int]:
        """Stakeholders, items, revisions, llm_calls, events of a session; its follow-ups."""
        from .browse import session_counts

        self.get_session(session_id)
        with translate_errors(self.path):
            return session_counts(self.db, session_id)

    def list_sessions_filtered(
        self,
        limit: int = 50,
        offset: int = 0,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SessionSummary]:
        """Newest first; status open|approved|archived; dates on the workshop (else created) day."""
        from .browse import SessionFilter, list_sessions

        where = SessionFilter(status, since, until, include_archived)
        with translate_errors(self.path):
            return list_sessions(self.db, where, limit, offset)

    def search_filtered(
        self,
        query: str,
        limit: int = 50,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SearchHit]:
        """Full-text search limited to the sessions that pass the same filters."""
        from .browse import SessionFilter, search_sessions

        where = SessionFilter(status, since, until, include_archived)
        with translate_errors(self.path):
            return search_sessions(self.db, query, where, limit)
