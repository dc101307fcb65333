"""The session as a GitHub-flavoured Markdown document.

Deterministic: the same session gives the same bytes (no export time, stable order).
Everything people or models wrote goes through markdown_text, so it cannot break the
document's structure.
"""

from __future__ import annotations

from collections import Counter

from sessions import Item, ItemKind, SessionRecord, Status

from .markdown_text import cell, inline, paragraphs, table

KIND_TITLES = {
    ItemKind.SEGMENTATION: "Stakeholder segmentation",
    ItemKind.DISCUSSION_GUIDE: "Discussion guide",
    ItemKind.ANSWERS: "Captured answers",
    ItemKind.OUTCOME: "Outcomes",
    ItemKind.PLAN_ENTRY: "90-day plan",
    ItemKind.CADENCE: "Impact cadence",
}
UNKNOWN = "*unknown*"


def export_markdown(record: SessionRecord, include_drafts: bool = False) -> str:
    session = record.session
    names = {s.id: s.name for s in record.stakeholders}
    shown = [i for i in record.items if _included(i, include_drafts)]
    parts = [f"# {inline(session.title)}", _metadata(record)]
    parts += _brief(record)
    parts.append("## Stakeholders")
    parts.append(_stakeholder_table(record) if record.stakeholders else "No stakeholders yet.")
    for kind, title in KIND_TITLES.items():
        items = [i for i in shown if i.kind is kind]
        if items:
            parts.append(f"## {title}")
            parts += [_item(item, names) for item in items]
    left_out = Counter(i.status.value for i in record.items if not _included(i, include_drafts))
    if left_out:
        counts = ", ".join(f"{n} {status}" for status, n in sorted(left_out.items()))
        parts.append(f"*Not included: {counts} item(s) not approved.*")
    return "\n\n".join(part for part in parts if part) + "\n"


def _included(item: Item, include_drafts: bool) -> bool:
    if item.status is Status.APPROVED:
        return True
    return include_drafts and item.status is Status.DRAFT


def _metadata(record: SessionRecord) -> str:
    s = record.session
    rows = [
        ("Organisation", s.organisation),
        ("Date", s.workshop_date.isoformat() if s.workshop_date else ""),
        ("Facilitator", s.facilitator),
        ("Participants", ", ".join(s.participants)),
        ("Stage", s.stage.value),
        ("Session id", s.id),
    ]
    return "\n".join(f"- **{label}:** {inline(value)}" for label, value in rows if value)


def _brief(record: SessionRecord) -> list[str]:
    s = record.session
    parts = ["## Brief"]
    if s.priorities:
        parts.append("### Business priorities this quarter")
        parts.append("\n".join(f"{n}. {inline(p)}" for n, p in enumerate(s.priorities, 1)))
    for title, text in (("Marketing today", s.marketing_today), ("Challenges", s.challenges)):
        if text:
            parts += [f"### {title}", paragraphs(text)]
    return parts if len(parts) > 1 else []


def _stakeholder_table(record: SessionRecord) -> str:
    rows = [
        [
            cell(s.name),
            cell(s.role),
            cell(s.team),
            cell(s.influence.value if s.influence else ""),
            cell(s.stance.value if s.stance else ""),
            cell(s.involvement.value if s.involvement else ""),
        ]
        for s in record.stakeholders
    ]
    return table(["Name", "Role", "Team", "Influence", "Stance", "Involvement"], rows)


def _item(item: Item, names: dict[str, str]) -> str:
    body = item.body
    heading = _item_heading(item, names)
    marker = "" if item.status is Status.APPROVED else " *(draft, not approved)*"
    lines = [f"### {heading}{marker}"]
    for key, value in body.items():
        if key in ("segment",) and item.kind is ItemKind.SEGMENTATION:
            continue
        label = key.replace("_", " ").capitalize()
        if isinstance(value, list):
            if not value:
                continue
            lines.append(f"**{label}:**")
            lines.append("\n".join(f"- {_flat(v)}" for v in value))
        elif value is None:
            lines.append(f"**{label}:** {UNKNOWN}")
        elif str(value).strip():
            lines.append(f"**{label}:** {inline(str(value))}")
    return "\n\n".join(lines)


def _item_heading(item: Item, names: dict[str, str]) -> str:
    who = names.get(item.stakeholder_id or "", "")
    segment = item.body.get("segment")
    if item.kind is ItemKind.SEGMENTATION:
        return f"{inline(who or 'Stakeholder')}: {inline(str(segment).replace('_', ' '))}"
    if item.kind is ItemKind.OUTCOME:
        return inline(str(item.body.get("result", "Outcome")))
    if item.kind is ItemKind.PLAN_ENTRY:
        return inline(str(item.body.get("title", "Entry")))
    if segment:
        return inline(str(segment).replace("_", " ").capitalize())
    return inline(who or KIND_TITLES[item.kind])


def _flat(value: object) -> str:
    if isinstance(value, dict):
        return " — ".join(inline(str(v)) for v in value.values() if v)
    return inline(str(value))
