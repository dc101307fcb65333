"""The session as a GitHub-flavoured Markdown document, to share the approved strategy.

The document, in order: the title and metadata; an executive summary (the figures, the
business priorities, marketing today, the known challenges); for a follow-up, what
changed since the session it continues; the outcomes (a table, then each outcome's
invested stakeholders, leading indicators and plan entries); the stakeholder map (a
Mermaid quadrant chart of influence against support, then a table per segment); the
engagement plan per segment and person; the discussion guides with the answers
captured; the 90-day plan; the impact cadence; an appendix on provenance.

Unapproved items are left out and counted, or with include_drafts shown and marked
"(draft)" (export_view.py says exactly which items are shown). Deterministic: the same
session gives the same bytes (no export time, stable order everywhere). Everything
people or models wrote goes through markdown_text, so it cannot break the document.
"""

from __future__ import annotations

import re
from collections import Counter

from sessions import SessionRecord, Status
from workshop.export import people, sections
from workshop.export.provenance import models_used, provenance
from workshop.export.sections import plural
from workshop.export.text import inline, list_item, paragraphs
from workshop.export.view import DEFAULT_SEGMENTS, ExportData, ExportView, ModelCall, SegmentInfo

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def export_markdown(source: ExportData | SessionRecord, include_drafts: bool = False) -> str:
    """The whole document. A bare record exports without revisions or model details."""
    data = source if isinstance(source, ExportData) else ExportData(record=source)
    view = ExportView(data, include_drafts)
    parts = [f"# {inline(view.session.title)}", _metadata(view)]
    parts += _summary(view)
    parts += _changes(view)
    parts += sections.outcomes(view)
    parts += people.stakeholder_map(view)
    parts += people.engagement_plan(view)
    parts += people.discussions(view)
    parts += sections.plan(view)
    parts += sections.cadence(view)
    parts += provenance(view)
    return "\n\n".join(part for part in parts if part) + "\n"


def _metadata(view: ExportView) -> str:
    s = view.session
    contents = (
        "approved items and open drafts, each draft marked *(draft)*"
        if view.drafts
        else "approved items only"
    )
    rows = [
        ("Organisation", inline(s.organisation)),
        ("Workshop date", s.workshop_date.isoformat() if s.workshop_date else ""),
        ("Facilitator", inline(s.facilitator)),
        ("Participants", inline(", ".join(s.participants))),
        ("Models used", models_used(view) or "none recorded"),
        ("Follows up", inline(view.data.parent_title or "")),
        ("Contents", contents),
        ("Session id", f"`{s.id}`" if _ID.fullmatch(s.id) else inline(s.id)),
    ]
    return "\n".join(f"- **{label}:** {value}" for label, value in rows if value)


def _summary(view: ExportView) -> list[str]:
    s = view.session
    parts = ["## Executive summary", "\n".join(_figures(view))]
    parts.append(_left_out(view))
    if s.priorities:
        parts.append("### Business priorities this quarter")
        parts.append("\n".join(list_item(p, f"{n}. ") for n, p in enumerate(s.priorities, 1)))
    for title, text in (("Marketing today", s.marketing_today), ("Known challenges", s.challenges)):
        if text.strip():
            parts += [f"### {title}", paragraphs(text)]
    return parts


def _figures(view: ExportView) -> list[str]:
    placed = Counter(view.segment_of(p.id) for p in view.people if p.id in view.assignment)
    by_segment = ", ".join(
        f"{placed[seg.id]} {inline(seg.name)}" for seg in view.segments if placed[seg.id]
    )
    people = plural(len(view.people), "person", "people") + " in the register"
    if view.people:
        people += (
            f"; {sum(placed.values())} placed in a segment: {by_segment}"
            if placed
            else "; none placed in a segment yet"
        )
    lines = [f"- **Stakeholders:** {people}."]

    outcomes = view.outcomes()
    text = plural(len(outcomes), "outcome" if view.drafts else "approved outcome")
    gaps = [
        f"{field} unknown for {n}"
        for field in ("baseline", "target")
        if (n := sum(1 for o in outcomes if not str(o.body.get(field) or "").strip()))
    ]
    lines.append(f"- **Outcomes:** {text}" + (f" ({', '.join(gaps)})." if gaps else "."))

    entries = view.plan()
    dates = sorted(str(d) for e in entries for d in (e.body.get("starts"), e.body.get("ends")) if d)
    span = f", from {dates[0]} to {dates[-1]}" if dates else ""
    lines.append(
        f"- **90-day plan:** {plural(len(entries), 'campaign entry', 'campaign entries')}{span}."
    )

    covered = {str(i.body.get("segment")) for i in view.cadences()}
    lines.append(
        f"- **Impact cadence:** reporting agreed for {len(covered)} of "
        f"{len(view.segments)} segments."
    )
    answered = {i.stakeholder_id for i in view.answers() if _has_answers(i.body)}
    guided = {str(i.body.get("segment")) for i in view.guides()}
    lines.append(
        f"- **Discussions:** questions for {plural(len(guided), 'segment')}; answers "
        f"captured from {plural(len(answered), 'person', 'people')}."
    )
    return lines


def _has_answers(body: dict) -> bool:
    return any(str(e.get("answer") or "").strip() for e in body.get("entries") or [])


def _left_out(view: ExportView) -> str:
    left = view.left_out()
    drafts = sum(1 for i in left if i.status is Status.DRAFT)
    rejected = sum(1 for i in left if i.status is Status.REJECTED)
    if not drafts and not rejected:
        return ""
    pieces = []
    if drafts and view.drafts:
        pieces.append(f"{plural(drafts, 'older or alternative draft')} of items shown")
    elif drafts:
        pieces.append(f"{plural(drafts, 'draft item')} not yet approved")
    if rejected:
        pieces.append(plural(rejected, "rejected item"))
    hint = "; an export with drafts shows them, marked" if drafts and not view.drafts else ""
    return f"*Not included: {' and '.join(pieces)}{hint}.*"


def _changes(view: ExportView) -> list[str]:
    changes = list(view.data.changes)
    if not changes:
        return []
    parent = view.data.parent_title
    title = inline(parent) if parent and parent.strip() else "the previous workshop"
    lines = [list_item(change.sentence()) for change in changes]
    return [f"## What changed since {title}", "\n".join(lines)]


__all__ = [
    "DEFAULT_SEGMENTS",
    "ExportData",
    "ModelCall",
    "SegmentInfo",
    "export_markdown",
]
