"""Escaping people's text for GitHub-flavoured Markdown and Mermaid.

Text from users and models is data: it must never open a heading, a list, a table cell,
a code span, raw HTML, math or a link in the exported document, nor end or break the
Mermaid block it is drawn in.
"""

from __future__ import annotations

import re

# Characters that open inline syntax anywhere in a line: emphasis, code, links, tables,
# strikethrough, GitHub's math ($) and a heading's closing #s. ( ) ! only matter next
# to [ ], which are escaped, so prose stays readable.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|~$#])")
# Starts of a line that would open a block: quote, list, setext underline, ordered list.
# (# is escaped everywhere already.)
_BLOCK_START = re.compile(r"^(\s*)([>+=-]|\d+[.)])")
# Mermaid: keep letters, digits, spaces and a little harmless punctuation; no quotes,
# colons, brackets, backticks, #, %, ;, < or > that the quadrant chart would parse.
_MERMAID_UNSAFE = re.compile(r"[^\w .,'/+()-]")
MERMAID_LABEL_MAX = 40


def inline(text: str) -> str:
    """One line of text, safe anywhere inline (paragraph, list item, heading, table cell
    apart from its line breaks)."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_block_start, text)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    # "12." → "12\." ; "-" → "\-": a backslash before the punctuation defuses it.
    return indent + marker[:-1] + "\\" + marker[-1]


def _lines(text: str) -> list[str]:
    return [inline(line) for line in text.splitlines() if line.strip()]


def paragraphs(text: str) -> str:
    """Free text with its line breaks kept as hard breaks; blank lines separate paragraphs."""
    blocks = [block for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "\n\n".join("\\\n".join(_lines(block)) for block in blocks)


def labelled(label: str, text: str) -> str:
    """'**Label:** text' where text may run over several lines and paragraphs."""
    return f"**{label}:** {paragraphs(text)}" if text.strip() else ""


def list_item(text: str, marker: str = "- ", indent: int | None = None) -> str:
    """One list item holding free text: its lines as hard breaks, indented under it
    (by the marker's width unless told)."""
    lines = _lines(text) or [""]
    width = len(marker) if indent is None else indent
    return marker + ("\\\n" + " " * width).join(lines)


def bullets(values: list[str]) -> str:
    """A bullet list of free texts; empty entries are left out."""
    return "\n".join(list_item(v) for v in values if v.strip())


def cell(text: str | None, empty: str = "") -> str:
    """A table cell: one line, pipes escaped, line breaks as <br>."""
    if text is None or not str(text).strip():
        return empty
    return "<br>".join(_lines(str(text)))


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A GFM table from already-escaped cells."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def mermaid_label(text: str, fallback: str = "?", limit: int = MERMAID_LABEL_MAX) -> str:
    """Text made safe inside a quoted Mermaid quadrant-chart point label.

    Only letters, digits, spaces and . , ' / + ( ) - survive; & becomes "and"; runs of
    hyphens shrink to one (no arrows); the result is one line of at most `limit`
    characters (… marks a cut), never empty. It can hold no quote, colon, bracket,
    backtick, comment (%%), entity (#…;), HTML or fence, so it cannot end the label,
    the point or the code block.
    """
    text = text.replace("&", " and ")
    text = _MERMAID_UNSAFE.sub(" ", text)
    text = re.sub(r"-{2,}", "-", text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or fallback
