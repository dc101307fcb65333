"""File names made from what people typed: an export named after its session's title."""

from __future__ import annotations

import re
import unicodedata


def title_slug(title: str) -> str:
    """A file name from a title: 'Q3 Strategy: EU!' → 'q3-strategy-eu'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:60].rstrip("-") or "workshop"


def export_file_name(title: str) -> str:
    """The file an export is offered to be written to: the title's slug, as Markdown."""
    return f"{title_slug(title)}.md"
