"""Reading a Markdown export back with a CommonMark/GFM parser (markdown-it-py): its
headings, tables and code fences, as a reader (or another tool) would see them."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

H2 = [
    "Executive summary",
    "Outcomes",
    "Progress",
    "Stakeholder map",
    "Engagement plan",
    "Discussion guide and captured answers",
    "90-day plan",
    "Impact cadence",
    "Asks",
    "Appendix: provenance",
]
# A leadership document: nothing about people, no provenance appendix.
LEADERSHIP_H2 = [
    "Executive summary",
    "Outcomes",
    "Progress",
    "90-day plan",
    "Impact cadence",
    "Asks",
]
POINT = re.compile(r'^    "[\w .,\'/+()…-]+": \[0\.\d{3}, 0\.\d{3}\]$')
CHART_HEAD = [
    "quadrantChart",
    "    title Influence and support",
    "    x-axis Low support --> High support",
    "    y-axis Low influence --> High influence",
    "    quadrant-1 Partners",
    "    quadrant-2 Win over",
    "    quadrant-3 Keep informed",
    "    quadrant-4 Mobilise",
]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse(text: str):
    return _parser().parse(text)


def render_html(text: str) -> str:
    """The HTML a CommonMark/GFM renderer makes of it (what a viewer would show)."""
    return _parser().render(text)


def text_of(inline) -> str:
    """The text a reader sees in an inline token (escapes and entities resolved)."""
    return "".join(child.content for child in inline.children or [] if child.type == "text")


def headings(tokens, tag: str | None = None) -> list[str]:
    return [
        text_of(tokens[i + 1])
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and (tag is None or t.tag == tag)
    ]


def tables(tokens) -> list[list[list[str]]]:
    """Every table as its rows of cell texts, the header row first."""
    found, rows, row = [], None, None
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(text_of(tokens[i + 1]))
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "table_close":
            found.append(rows)
    return found


def table_after(tokens, heading: str) -> list[list[str]]:
    """The first table after the first heading with this text."""
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "inline" and t.content and text_of(t) == heading
    )
    return tables(tokens[start:])[0]


def fences(tokens) -> list:
    return [t for t in tokens if t.type == "fence"]


def inline_children(tokens):
    for token in tokens:
        yield from token.children or []
