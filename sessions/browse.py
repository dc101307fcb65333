"""Browsing past sessions: the session list and full-text search, with filters.

Filters: status (`open`: has drafts still open; `approved`: has approved items;
`archived`: archived ones only), and a date range on the workshop date, else the day the
session was created. Archived sessions are left out unless asked for (`include_archived`
or status `archived`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from .errors import InvalidInputError
from .models import SearchHit, SessionSummary
from .search import MARK_END, MARK_START, fts_query

STATUSES = ("open", "approved", "archived")


@dataclass(frozen=True)
class SessionFilter:
    status: str | None = None
    since: date | None = None
    until: date | None = None
    include_archived: bool = False

    def where(self) -> tuple[str, dict[str, Any]]:
        """SQL conditions on the sessions table aliased `s`, and their parameters."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if self.status is not None and self.status not in STATUSES:
            raise InvalidInputError(
                f"Unknown status {self.status!r}; one of: {', '.join(STATUSES)}."
            )
        if self.status == "archived":
            conditions.append("s.archived = 1")
        elif not self.include_archived:
            conditions.append("s.archived = 0")
        if self.status in ("open", "approved"):
            item_status = "draft" if self.status == "open" else "approved"
            conditions.append(
                "EXISTS (SELECT 1 FROM items i WHERE i.session_id = s.id "
                "AND i.status = :item_status)"
            )
            params["item_status"] = item_status
        day = "coalesce(s.workshop_date, substr(s.created_at, 1, 10))"
        if self.since is not None:
            conditions.append(f"{day} >= :since")
            params["since"] = self.since.isoformat()
        if self.until is not None:
            conditions.append(f"{day} <= :until")
            params["until"] = self.until.isoformat()
        return (" AND ".join(conditions) or "1"), params


def list_sessions(
    db: Database, where: SessionFilter, limit: int = 50, offset: int = 0
) -> list[SessionSummary]:
    conditions, params = where.where()
    rows = db.query(
        f"""SELECT s.id, s.title, s.organisation, s.workshop_date, s.stage, s.archived,
            s.created_at, s.updated_at,
            (SELECT count(*) FROM stakeholders k WHERE k.session_id = s.id) AS stakeholders,
            (SELECT count(*) FROM items i WHERE i.session_id = s.id
                AND i.status = 'approved') AS approved,
            (SELECT count(*) FROM items i WHERE i.session_id = s.id
                AND i.status = 'draft') AS open
        FROM sessions s WHERE {conditions}
        ORDER BY s.created_at DESC, s.rowid DESC LIMIT :limit OFFSET :offset""",
        params | {"limit": max(0, limit), "offset": max(0, offset)},
    )
    return [SessionSummary.model_validate(r) for r in rows]


def search_sessions(
    db: Database, text: str, where: SessionFilter, limit: int = 50
) -> list[SearchHit]:
    """Full-text hits in the sessions that pass the filter: matches in a session's own
    brief first, then in its people, then in its items; newest first within each.

    Newest-first lets FTS5 walk its index backwards and stop after `limit` rows, where
    ranking by relevance would score every match first: with a large history a common
    word matches hundreds of thousands of rows, and search must stay instant.
    """
    query = fts_query(text)
    if not query:
        return []
    conditions, params = where.where()
    params |= {"q": query, "limit": max(1, limit)}
    hits: list[SearchHit] = []
    for sql in _SEARCHES:
        if len(hits) >= limit:
            break
        rows = db.query(sql.format(conditions=conditions), params)
        hits += [SearchHit.model_validate(row) for row in rows]
    return hits[:limit]


def _snippet(fts: str) -> str:
    return f"snippet({fts}, -1, '{MARK_START}', '{MARK_END}', '…', 12)"


_SEARCHES = [
    f"""SELECT s.id AS session_id, s.title AS session_title, 'session' AS "where",
        {_snippet("sessions_fts")} AS snippet
    FROM sessions_fts JOIN sessions s ON s.rowid = sessions_fts.rowid
    WHERE sessions_fts MATCH :q AND {{conditions}}
    ORDER BY sessions_fts.rowid DESC LIMIT :limit""",
    f"""SELECT s.id AS session_id, s.title AS session_title, 'stakeholder' AS "where",
        {_snippet("stakeholders_fts")} AS snippet
    FROM stakeholders_fts JOIN stakeholders k ON k.rowid = stakeholders_fts.rowid
    JOIN sessions s ON s.id = k.session_id
    WHERE stakeholders_fts MATCH :q AND {{conditions}}
    ORDER BY stakeholders_fts.rowid DESC LIMIT :limit""",
    f"""SELECT s.id AS session_id, s.title AS session_title, i.kind AS "where",
        {_snippet("items_fts")} AS snippet
    FROM items_fts JOIN items i ON i.rowid = items_fts.rowid
    JOIN sessions s ON s.id = i.session_id
    WHERE items_fts MATCH :q AND {{conditions}}
    ORDER BY items_fts.rowid DESC LIMIT :limit""",
    f"""SELECT s.id AS session_id, s.title AS session_title, 'measurement' AS "where",
        {_snippet("measurements_fts")} AS snippet
    FROM measurements_fts JOIN measurements m ON m.rowid = measurements_fts.rowid
    JOIN sessions s ON s.id = m.session_id
    WHERE measurements_fts MATCH :q AND {{conditions}}
    ORDER BY measurements_fts.rowid DESC LIMIT :limit""",
]


def session_counts(db: Database, session_id: str) -> dict[str, int]:
    """What deleting a session would delete (and the follow-ups that would lose their link)."""
    one = {"session_id": session_id}
    queries = {
        "stakeholders": "SELECT count(*) AS n FROM stakeholders WHERE session_id = :session_id",
        "items": "SELECT count(*) AS n FROM items WHERE session_id = :session_id",
        "revisions": """SELECT count(*) AS n FROM revisions r JOIN items i ON i.id = r.item_id
            WHERE i.session_id = :session_id""",
        "llm_calls": "SELECT count(*) AS n FROM llm_calls WHERE session_id = :session_id",
        "events": "SELECT count(*) AS n FROM events WHERE session_id = :session_id",
        "follow_ups": "SELECT count(*) AS n FROM sessions WHERE parent_id = :session_id",
    }
    return {name: next(iter(db.query(sql, one)))["n"] for name, sql in queries.items()}
