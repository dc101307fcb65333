"""The outcomes, the 90-day plan and the impact cadence of the Markdown export, and the
helpers the other sections share (people.py has the people's sections).

Each function takes an ExportView and returns Markdown blocks (to be joined by blank
lines). Every piece of text from people or models goes through markdown_text.
"""

from __future__ import annotations

from sessions import Item, ItemKind, Status
from workshop.export.text import bullets, cell, inline, table
from workshop.export.view import ExportView

UNKNOWN = "*unknown*"
DRAFT_HEADING = " *(draft, not approved)*"
DRAFT_CELL = " *(draft)*"


def mark(item: Item, marker: str = DRAFT_CELL) -> str:
    return marker if ExportView.is_draft(item) else ""


def flag_note(view: ExportView, item: Item) -> list[str]:
    """A warning under a draft the checks flagged (an instruction followed, a made-up figure)."""
    flag = view.data.flags.get(item.id)
    return [f"> ⚠ {inline(flag.message)}"] if flag else []


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def text_of(value: object) -> str:
    return "" if value is None else str(value)


# Outcomes ---------------------------------------------------------------------------------


def outcomes(view: ExportView) -> list[str]:
    items = view.outcomes()
    parts = ["## Outcomes"]
    if not items:
        parts.append("No outcomes yet." if view.drafts else "No approved outcomes yet.")
        return parts + left_out_note(view, ItemKind.OUTCOME, "outcome")
    rows, unknown = [], False
    for item in items:
        body = item.body
        row = [cell(text_of(body.get("result"))) + mark(item), cell(text_of(body.get("metric")))]
        for key in ("baseline", "target", "due"):
            value = text_of(body.get(key))
            unknown = unknown or not value.strip()
            row.append(cell(value, UNKNOWN))
        row += [cell(text_of(body.get("owner")), UNKNOWN), cell(text_of(body.get("priority")))]
        rows.append(row)
    headers = ["Outcome", "Metric", "Baseline", "Target", "Due", "Owner", "Priority"]
    parts.append(table(headers, rows))
    if unknown:
        parts.append(
            f"{UNKNOWN}: nobody in the workshop gave this figure; it stays open for a person "
            "to fill in and is never estimated."
        )
    parts += left_out_note(view, ItemKind.OUTCOME, "outcome")
    for item in items:
        parts += _outcome_details(view, item)
    return parts


def _outcome_details(view: ExportView, item: Item) -> list[str]:
    body = item.body
    parts = [f"### {inline(text_of(body.get('result')) or 'Outcome')}{mark(item, DRAFT_HEADING)}"]
    parts += flag_note(view, item)
    failing = view.data.failing.get(item.id)
    if failing and item.status is Status.APPROVED:
        parts.append(
            f"> Approved although it fails {plural(len(failing), 'check')}: "
            f"{inline(', '.join(failing))}."
        )
    people = [str(p) for p in body.get("stakeholders") or [] if str(p).strip()]
    if people:
        parts.append(f"**Invested stakeholders:** {inline(', '.join(people))}")
    indicators = [str(v) for v in body.get("leading_indicators") or []]
    if any(v.strip() for v in indicators):
        parts += ["**Leading indicators:**", bullets(indicators)]
    entries = [e for e in view.plan() if e.body.get("outcome_id") == item.id]
    if entries:
        titles = ", ".join(text_of(e.body.get("title")) for e in entries)
        parts.append(f"**In the 90-day plan:** {inline(titles)}")
    if len(parts) == 1:
        parts.append("*No invested stakeholders, leading indicators or plan entries recorded.*")
    return parts


def left_out_note(view: ExportView, kind: ItemKind, noun: str) -> list[str]:
    if view.drafts:
        return []
    drafts = sum(1 for i in view.left_out(kind) if i.status.value == "draft")
    if not drafts:
        return []
    verb = "is" if drafts == 1 else "are"
    return [f"*{plural(drafts, 'draft ' + noun)} not yet approved {verb} left out.*"]


# The 90-day plan and the impact cadence -----------------------------------------------


def plan(view: ExportView) -> list[str]:
    items = view.plan()
    parts = ["## 90-day plan"]
    if not items:
        parts.append("No plan entries yet." if view.drafts else "No approved plan entries yet.")
        return parts + left_out_note(view, ItemKind.PLAN_ENTRY, "plan entry")
    rows = []
    for item in items:
        body = item.body
        rows.append(
            [
                _when(body.get("starts"), body.get("ends")),
                cell(text_of(body.get("title"))) + mark(item),
                cell(text_of(body.get("channel"))),
                _serves(view, body.get("outcome_id")),
                cell(text_of(body.get("description"))),
            ]
        )
    parts.append(table(["When", "Entry", "Channel", "Serves outcome", "Description"], rows))
    return parts + left_out_note(view, ItemKind.PLAN_ENTRY, "plan entry")


def _when(starts: object, ends: object) -> str:
    starts, ends = text_of(starts), text_of(ends)
    if starts and ends:
        return cell(f"{starts} to {ends}")
    if starts or ends:
        return cell(f"from {starts}" if starts else f"until {ends}")
    return "*not scheduled*"


def _serves(view: ExportView, outcome_id: object) -> str:
    outcome = view.by_id.get(text_of(outcome_id))
    if outcome is None or outcome.kind is not ItemKind.OUTCOME:
        return "*none*"
    text = cell(text_of(outcome.body.get("result")))
    if outcome.id not in view.shown_ids:
        return text + " *(outcome not approved)*"
    return text + mark(outcome)


def cadence(view: ExportView) -> list[str]:
    items = view.cadences()
    parts = ["## Impact cadence"]
    if not items:
        parts.append("No impact reporting agreed yet.")
        return parts + left_out_note(view, ItemKind.CADENCE, "impact cadence")
    if view.leadership:
        # Which segment hears what would say who is who: the reports and their rhythm only.
        rows = [
            [cell(text_of(i.body.get("report"))), cell(text_of(i.body.get("frequency")))]
            for i in items
        ]
        parts.append("Each report goes to the stakeholders it concerns, in their own terms.")
        parts.append(table(["Impact report", "How often"], rows))
        return parts + left_out_note(view, ItemKind.CADENCE, "impact cadence")
    rows = [
        [
            cell(view.segment_name(item.body.get("segment"))) + mark(item),
            cell(text_of(item.body.get("report"))),
            cell(text_of(item.body.get("frequency"))),
        ]
        for item in items
    ]
    parts.append(table(["Segment", "Impact report", "How often"], rows))
    return parts + left_out_note(view, ItemKind.CADENCE, "impact cadence")
