"""Escaping people's text for GitHub-flavoured Markdown.

Text from users and models is data: it must never open a heading, a list, a table cell,
a code span or raw HTML in the exported document.
"""

from __future__ import annotations

import re

# Characters that open inline syntax anywhere in a line: emphasis, code, links, tables,
# strikethrough. ( ) ! only matter next to [ ], which are escaped, so prose stays readable.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# Starts of a line that would open a block: heading, list, quote, setext underline, fence.
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def inline(text: str) -> str:
    """One line of text, safe anywhere inline (paragraph, list item, heading)."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_block_start, text)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    # "12." → "12\." ; "#" → "\#": a backslash before the punctuation defuses it.
    return indent + marker[:-1] + "\\" + marker[-1]


def paragraphs(text: str) -> str:
    """Free text with its line breaks kept as hard breaks; blank lines separate paragraphs."""
    blocks = [block for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    rendered = []
    for block in blocks:
        lines = [inline(line) for line in block.splitlines() if line.strip()]
        rendered.append("\\\n".join(lines))
    return "\n\n".join(rendered)


def cell(text: str | None, empty: str = "") -> str:
    """A table cell: one line, pipes escaped, line breaks as <br>."""
    if text is None or not str(text).strip():
        return empty
    lines = [inline(line) for line in str(text).splitlines() if line.strip()]
    return "<br>".join(lines)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A GFM table from already-escaped cells."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
