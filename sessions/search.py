"""Full-text search over sessions, stakeholders and items (SQLite FTS5)."""

from __future__ import annotations

from sqlite_utils import Database

from .models import SearchHit
from .text import clean_text

MARK_START, MARK_END = "«", "»"


def fts_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query.

    Every word becomes a quoted phrase, so `co-op`, stray quotes or `AND` never reach
    FTS5's own syntax; the last word matches as a prefix, for search as you type.
    """
    # Control characters go first: a NUL would cut the query short inside SQLite.
    words = clean_text(text).split()
    phrases = ['"' + word.replace('"', '""') + '"' for word in words]
    if phrases:
        phrases[-1] += " *"
    return " ".join(phrases)


def search_sessions(db: Database, text: str, limit: int = 50) -> list[SearchHit]:
    query = fts_query(text)
    if not query:
        return []
    snippet = f"snippet({{fts}}, -1, '{MARK_START}', '{MARK_END}', '…', 12)"
    sql = f"""
        SELECT s.id AS session_id, s.title AS session_title, 'session' AS "where",
            {snippet.format(fts="sessions_fts")} AS snippet, sessions_fts.rank AS rank
        FROM sessions_fts JOIN sessions s ON s.rowid = sessions_fts.rowid
        WHERE sessions_fts MATCH :q
        UNION ALL
        SELECT s.id, s.title, 'stakeholder',
            {snippet.format(fts="stakeholders_fts")}, stakeholders_fts.rank
        FROM stakeholders_fts JOIN stakeholders k ON k.rowid = stakeholders_fts.rowid
        JOIN sessions s ON s.id = k.session_id
        WHERE stakeholders_fts MATCH :q
        UNION ALL
        SELECT s.id, s.title, i.kind,
            {snippet.format(fts="items_fts")}, items_fts.rank
        FROM items_fts JOIN items i ON i.rowid = items_fts.rowid
        JOIN sessions s ON s.id = i.session_id
        WHERE items_fts MATCH :q
        ORDER BY rank LIMIT :limit
    """
    rows = db.query(sql, {"q": query, "limit": max(1, limit)})
    return [SearchHit.model_validate(row) for row in rows]
