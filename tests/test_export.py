"""The Markdown export: structure checked with a CommonMark/GFM parser, for hostile input too."""

from __future__ import annotations

from markdown_it import MarkdownIt

from sessions import ItemKind, Origin, SessionStore
from workshop.export_markdown import export_markdown

HOSTILE = "x | y `code` # not a heading\n- not a list\n<script>alert(1)</script> **b** [l](u) ~~s~~"


def parse(text: str):
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)


def text_of(inline) -> str:
    """The text a reader sees in an inline token (escapes and entities resolved)."""
    return "".join(child.content for child in inline.children or [] if child.type == "text")


def headings(tokens) -> list[str]:
    return [text_of(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]


def table_rows(tokens) -> list[list[str]]:
    rows, row = [], None
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(text_of(tokens[i + 1]))
        elif token.type == "tr_close":
            rows.append(row)
    return rows


def segmentation_body(segment: str = "champion", text: str = "Keen on shared goals") -> dict:
    return {
        "segment": segment,
        "rationale": text,
        "motivations": ["Better launches"],
        "objections": [],
        "approach": "Co-own the launch metrics",
        "messages": ["Let us share the number"],
        "confidence": "high",
    }


def make_session(store: SessionStore, text: str = "Keen") -> str:
    session = store.create_session(
        {"title": "Q3 strategy", "organisation": "Acme", "priorities": ["Grow EU pipeline"]},
        [{"name": "Ada", "role": "CFO", "notes": text}, {"name": "Bob", "role": "VP Sales"}],
    )
    people = store.stakeholders(session.id)
    approved = store.create_item(
        session.id,
        ItemKind.SEGMENTATION,
        segmentation_body(text=text),
        Origin.MODEL,
        "model",
        stakeholder_id=people[0].id,
    )
    store.approve_item(approved.id, "Priya")
    store.create_item(
        session.id,
        ItemKind.SEGMENTATION,
        segmentation_body("detractor"),
        Origin.MODEL,
        "model",
        stakeholder_id=people[1].id,
    )
    return session.id


def test_export_structure(store):
    session_id = make_session(store)
    text = export_markdown(store.load_session(session_id))
    tokens = parse(text)
    assert headings(tokens)[:2] == ["Q3 strategy", "Brief"]
    assert "Stakeholders" in headings(tokens)
    assert "Ada: champion" in headings(tokens)
    rows = table_rows(tokens)
    assert rows[0] == ["Name", "Role", "Team", "Influence", "Stance", "Involvement"]
    assert rows[1][:2] == ["Ada", "CFO"]
    # The unapproved draft is left out and counted.
    assert "Bob: detractor" not in headings(tokens)
    assert "Not included: 1 draft item(s) not approved." in text


def test_drafts_included_when_asked_and_marked(store):
    session_id = make_session(store)
    text = export_markdown(store.load_session(session_id), include_drafts=True)
    assert "Bob: detractor (draft, not approved)" in headings(parse(text))


def test_hostile_text_cannot_break_the_document(store):
    session = store.create_session(
        {"title": HOSTILE, "organisation": HOSTILE, "priorities": [HOSTILE]},
        [{"name": "A | B", "role": HOSTILE, "team": "`t`", "notes": HOSTILE}],
    )
    person = store.stakeholders(session.id)[0]
    item = store.create_item(
        session.id,
        ItemKind.SEGMENTATION,
        segmentation_body(text=HOSTILE),
        Origin.PERSON,
        "Priya",
        stakeholder_id=person.id,
    )
    store.approve_item(item.id, "Priya")
    text = export_markdown(store.load_session(session.id))
    tokens = parse(text)
    # One title heading, holding the whole title as text.
    assert headings(tokens)[0] == " ".join(HOSTILE.split())
    assert sum(1 for t in tokens if t.type == "heading_open" and t.tag == "h1") == 1
    # The stakeholder table still has exactly six cells per row, the pipe kept in the name.
    rows = table_rows(tokens)
    assert all(len(row) == 6 for row in rows)
    assert rows[1][0] == "A | B"
    # No raw HTML and no code spans or links made from user text.
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in rendered
    assert "<code>" not in rendered and "<a " not in rendered and "<strong>b" not in rendered
    assert not any(t.type == "bullet_list_open" and t.level > 4 for t in tokens)


def test_export_is_deterministic(store):
    session_id = make_session(store)
    record = store.load_session(session_id)
    assert export_markdown(record) == export_markdown(store.load_session(session_id))
    assert export_markdown(record).endswith("\n")
