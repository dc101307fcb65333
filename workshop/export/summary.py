"""The top of the Markdown export: the metadata, the executive summary and, for a
follow-up, what changed since the session it continues.

The summary names each outcome shown (its result, target, due day and how it is doing),
not only how many there are. Leadership's version counts people but never says who sits
in which segment, and the metadata names no model, prompt or session id (the team's
appendix has those).
"""

from __future__ import annotations

from collections import Counter

from sessions import Item, Status
from workshop.export.sections import DRAFT_CELL, mark, plural, text_of
from workshop.export.text import inline, list_item, paragraphs
from workshop.export.view import ExportView

TEAM_CONTENTS = "approved items only"
DRAFT_CONTENTS = "approved items and open drafts, each draft marked *(draft)*"
LEADERSHIP_CONTENTS = (
    "for leadership: the approved outcomes and their progress, the 90-day plan, the impact "
    "cadence and the asks (the stakeholder map, engagement plans and discussions stay with "
    "the team)"
)


def metadata(view: ExportView) -> str:
    s = view.session
    if view.leadership:
        contents = LEADERSHIP_CONTENTS
    else:
        contents = DRAFT_CONTENTS if view.drafts else TEAM_CONTENTS
    rows = [
        ("Organisation", inline(s.organisation)),
        ("Workshop date", s.workshop_date.isoformat() if s.workshop_date else ""),
        ("Facilitator", inline(s.facilitator)),
        ("Participants", inline(", ".join(s.participants))),
        ("Follows up", inline(view.data.parent_title or "")),
        ("Contents", contents),
    ]
    return "\n".join(f"- **{label}:** {value}" for label, value in rows if value)


def summary(view: ExportView) -> list[str]:
    s = view.session
    parts = ["## Executive summary", "\n".join(_figures(view)), _left_out(view)]
    if s.priorities:
        parts.append("### Business priorities this quarter")
        parts.append("\n".join(list_item(p, f"{n}. ") for n, p in enumerate(s.priorities, 1)))
    for title, text in (("Marketing today", s.marketing_today), ("Known challenges", s.challenges)):
        if text.strip():
            parts += [f"### {title}", paragraphs(text)]
    return parts


def _figures(view: ExportView) -> list[str]:
    lines = [f"- **Stakeholders:** {_people(view)}."]

    outcomes = view.outcomes()
    text = plural(len(outcomes), "outcome" if view.drafts else "approved outcome")
    gaps = [
        f"{field} unknown for {n}"
        for field in ("baseline", "target")
        if (n := sum(1 for o in outcomes if not text_of(o.body.get(field)).strip()))
    ]
    text += f" ({', '.join(gaps)})" if gaps else ""
    lines.append(f"- **Outcomes:** {text}" + (":" if outcomes else "."))
    lines += [_outcome_line(view, item) for item in outcomes]

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
    if view.leadership:  # the discussions stay with the team
        return lines
    answered = {i.stakeholder_id for i in view.answers() if _has_answers(i.body)}
    guided = {str(i.body.get("segment")) for i in view.guides()}
    lines.append(
        f"- **Discussions:** questions for {plural(len(guided), 'segment')}; answers "
        f"captured from {plural(len(answered), 'person', 'people')}."
    )
    return lines


def _people(view: ExportView) -> str:
    text = plural(len(view.people), "person", "people") + " in the register"
    if not view.people or view.leadership:  # who sits where stays with the team
        return text
    placed = Counter(view.segment_of(p.id) for p in view.people if p.id in view.assignment)
    if not placed:
        return text + "; none placed in a segment yet"
    by_segment = ", ".join(
        f"{placed[seg.id]} {inline(seg.name)}" for seg in view.segments if placed[seg.id]
    )
    return text + f"; {sum(placed.values())} placed in a segment: {by_segment}"


def _outcome_line(view: ExportView, item: Item) -> str:
    """'  - The result (target 70 per month, due 2026-09-30; on track)'."""
    body = item.body
    target = text_of(body.get("target")).strip() or "unknown"
    due = text_of(body.get("due")).strip() or "unknown"
    facts = f"target {target}, due {due}"
    progress = view.progress(item)
    if progress is not None and view.as_of is not None:  # something was measured
        facts += f"; {progress.status}"
        if progress.share_of_way is not None:
            facts += f", {progress.share_of_way:.0%} of the way"
    result = text_of(body.get("result")).strip() or "Outcome"
    line = list_item(f"{result} ({facts})", "  - ", 4)
    return line + mark(item, DRAFT_CELL)


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
    hint = ""
    if drafts and not view.drafts and not view.leadership:
        hint = "; an export with drafts shows them, marked"
    return f"*Not included: {' and '.join(pieces)}{hint}.*"


def changes(view: ExportView) -> list[str]:
    found = view.changes()
    if not found:
        return []
    parent = view.data.parent_title
    title = inline(parent) if parent and parent.strip() else "the previous workshop"
    lines = [list_item(change.sentence()) for change in found]
    return [f"## What changed since {title}", "\n".join(lines)]
