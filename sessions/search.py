"""Full-text search: turning what people type into safe FTS5 queries (see browse.py)."""

from __future__ import annotations

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
