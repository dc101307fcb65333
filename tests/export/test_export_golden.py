"""The Markdown export of a fixed sample session, byte for byte against golden files: the
team's document and leadership's (the sample is support/export_sample.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.export_sample import sample_data
from support.markdown_reading import (
    CHART_HEAD,
    H2,
    LEADERSHIP_H2,
    POINT,
    fences,
    headings,
    parse,
    tables,
)

from workshop.export.markdown import export_markdown

GOLDEN = Path(__file__).parent / "golden"
FILES = {"team": GOLDEN / "sample_export.md", "leadership": GOLDEN / "sample_leadership.md"}


@pytest.mark.parametrize("audience", ["team", "leadership"])
def test_golden_sample_export(audience):
    text = export_markdown(sample_data(), audience=audience)
    golden = FILES[audience]
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    assert text == expected, (
        f"The export of the sample session differs from {golden}. If the change is intended, "
        "regenerate it with "
        "`UPDATE_GOLDEN=1 python -m pytest tests/export/test_export_golden.py`, "
        "then read the diff before committing it."
    )


def test_golden_sample_structure():
    text = export_markdown(sample_data())
    assert text == export_markdown(sample_data())  # same session, same bytes
    tokens = parse(text)
    assert headings(tokens, "h2") == [
        H2[0],
        "What changed since Q2 marketing strategy workshop",
        *H2[1:],
    ]
    bars, quadrant = fences(tokens)  # progress comes before the stakeholder map
    assert all(POINT.match(line) for line in quadrant.content.splitlines()[len(CHART_HEAD) :])
    assert bars.content.splitlines()[0] == "xychart-beta"
    for rows in tables(tokens):
        assert all(len(row) == len(rows[0]) for row in rows)
    drafts = export_markdown(sample_data(), include_drafts=True)
    assert "Jonas Berg (Sales enablement lead, Sales) *(draft, not approved)*" in drafts
    assert "Self-serve sign-ups without more support tickets *(draft)*" in drafts


def test_golden_leadership_structure():
    text = export_markdown(sample_data(), audience="leadership")
    tokens = parse(text)
    assert headings(tokens, "h2") == [
        LEADERSHIP_H2[0],
        "What changed since Q2 marketing strategy workshop",
        *LEADERSHIP_H2[1:],
    ]
    (bars,) = fences(tokens)  # the progress chart; no stakeholder map
    assert bars.info == "mermaid" and "quadrantChart" not in text
    for rows in tables(tokens):
        assert all(len(row) == len(rows[0]) for row in rows)
    assert text.endswith("*Prepared with Strategy Workshop.*\n")
    with pytest.raises(ValueError, match="approved items only"):
        export_markdown(sample_data(), include_drafts=True, audience="leadership")
