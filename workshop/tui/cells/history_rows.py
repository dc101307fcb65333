"""What the review stage shows of items and revisions, as Rich Text (never markup)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from rich.text import Text

from sessions import Item, ItemKind, Origin, Revision, SessionRecord, Status
from workshop.rules.item_diff import DiffLine
from workshop.tui.cells.readable import Readable

# The kinds in the order of the stages that make them, with the label the review shows.
KINDS: list[tuple[ItemKind, str]] = [
    (ItemKind.SEGMENTATION, "3 Segmentation"),
    (ItemKind.DISCUSSION_GUIDE, "4 Guides"),
    (ItemKind.ANSWERS, "4 Answers"),
    (ItemKind.OUTCOME, "5 Outcomes"),
    (ItemKind.PLAN_ENTRY, "6 Plan"),
    (ItemKind.CADENCE, "6 Cadence"),
    (ItemKind.IMPACT_UPDATE, "Updates"),
]
KIND_LABEL = dict(KINDS)
ORIGIN_WORDS = {
    Origin.MODEL: "drafted by a model",
    Origin.PERSON: "written by a person",
    Origin.EDITED: "a model's draft edited by a person",
}
COUNT_ROWS = [(Status.APPROVED, "Approved"), (Status.DRAFT, "Open (draft)"),
              (Status.REJECTED, "Rejected")]  # fmt: skip
ITEM_COLUMNS = [("Stage", 14), ("Item", 34), ("Status", 12), ("Origin", 7),
                ("Approved by", 16), ("Approved at", 16)]  # fmt: skip
REVISION_COLUMNS = [("#", 3), ("When", 12), ("Author", 14), ("Status", 10), ("Origin", 7)]
STATUS_STYLE = {Status.APPROVED: "bold green", Status.DRAFT: "yellow", Status.REJECTED: "dim"}
DIFF_STYLE = {"+": "bold green", "-": "bold red", " ": "", "@": "dim"}
STATUS_ORDER = {Status.APPROVED: 0, Status.DRAFT: 1, Status.REJECTED: 2}


def clip(text: str, width: int) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def local_time(stamp: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC ISO time, shown in this computer's time zone."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment.astimezone().strftime(fmt)


def counts(record: SessionRecord) -> dict[ItemKind, Counter[Status]]:
    tally: dict[ItemKind, Counter[Status]] = {kind: Counter() for kind, _ in KINDS}
    for item in record.items:
        tally.setdefault(item.kind, Counter())[item.status] += 1
    return tally


def item_label(item: Item, names: dict[str, str], segment_names: dict[str, str]) -> str:
    """A few words that say which item this is, whatever its kind."""
    body = item.body
    who = names.get(item.stakeholder_id or "", "")
    segment = segment_names.get(str(body.get("segment")), str(body.get("segment", "")))
    if item.kind is ItemKind.SEGMENTATION:
        return f"{who or 'Stakeholder'} → {segment}"
    if item.kind is ItemKind.DISCUSSION_GUIDE:
        return f"Questions for {who or segment}"
    if item.kind is ItemKind.ANSWERS:
        return f"Answers of {who or 'a stakeholder'}"
    if item.kind is ItemKind.OUTCOME:
        return str(body.get("result") or "Outcome")
    if item.kind is ItemKind.PLAN_ENTRY:
        return str(body.get("title") or "Entry")
    if item.kind is ItemKind.CADENCE:
        return f"Impact report for {segment}"
    if item.kind is ItemKind.IMPACT_UPDATE:
        return f"Update for {segment}, {body.get('period', '')}"
    return item.kind.value


def status_cell(status: Status, stale: bool = False) -> Text:
    text = Text("✓ approved" if status is Status.APPROVED else status.value)
    text.stylize(STATUS_STYLE[status])
    if stale:
        text.append(" stale", style="bold magenta")
    return text


def sorted_items(record: SessionRecord, show_rejected: bool) -> list[Item]:
    order = {kind: n for n, (kind, _) in enumerate(KINDS)}
    items = [i for i in record.items if show_rejected or i.status is not Status.REJECTED]
    return sorted(
        items, key=lambda i: (order.get(i.kind, 99), STATUS_ORDER[i.status], i.created_at)
    )


def item_cells(item: Item, label: str, first_of_kind: bool) -> list[Text]:
    widths = dict(ITEM_COLUMNS)
    cells = [
        Text(KIND_LABEL.get(item.kind, item.kind.value) if first_of_kind else "", style="bold"),
        Text(clip(label, widths["Item"])),
        status_cell(item.status, item.stale),
        Text(item.origin.value),
        Text(clip(item.approved_by or "", widths["Approved by"])),
        Text(local_time(item.approved_at)),
    ]
    if item.status is Status.REJECTED:
        for cell in cells[1:]:
            cell.stylize("dim")
    return cells


def kind_words(kind: ItemKind) -> str:
    """The kind as the heading names it: the stage's label without its number."""
    label = KIND_LABEL.get(kind, kind.value.replace("_", " "))
    number, _, words = label.partition(" ")
    return words if number.isdigit() else label


def revision_cells(revision: Revision, readable: Readable) -> list[Text]:
    return [
        Text(str(revision.number)),
        Text(local_time(revision.created_at, "%d %b %H:%M")),
        Text(clip(readable.author(revision.author, short=True), dict(REVISION_COLUMNS)["Author"])),
        status_cell(revision.status),
        Text(revision.origin.value),
    ]


def item_heading(item: Item, label: str) -> Text:
    """Which item, where it stands, and who approved it when. The approval's text hash is
    left to the export's provenance appendix: on the room's screen it is noise."""
    text = Text(f"{kind_words(item.kind)}: ", style="bold")
    text.append(clip(label, 100), style="bold")
    text.append("\n")
    text.append_text(status_cell(item.status, item.stale))
    text.append(f" · {ORIGIN_WORDS[item.origin]} · version {item.version}")
    if item.status is Status.APPROVED and item.approved_by:
        text.append(f" · approved by {item.approved_by}, {local_time(item.approved_at)}")
    return text


def revision_heading(
    revision: Revision, previous: Revision | None, changed: list[str], readable: Readable
) -> Text:
    text = Text(f"Revision {revision.number}", style="bold")
    text.append(f" · {local_time(revision.created_at, '%Y-%m-%d %H:%M:%S')} · ")
    text.append(readable.author(revision.author))
    text.append(" · ")
    text.append_text(status_cell(revision.status))
    text.append(f" · {revision.origin.value}")
    if revision.llm_call_id:
        text.append(" (model call recorded)", style="dim")
    if revision.note:
        text.append("\nNote: ", style="bold")
        text.append(readable.note(revision.note))
    text.append("\n")
    if previous is None:
        text.append("The first version:", style="italic")
    elif changed:
        text.append(f"Compared with revision {previous.number}, changed: ", style="italic")
        text.append(", ".join(changed), style="bold")
    else:
        text.append(f"Same text as revision {previous.number}", style="italic")
        if previous.status is not revision.status:
            text.append(f" (status {previous.status.value} → {revision.status.value})")
    return text


def diff_text(lines: list[DiffLine]) -> Text:
    text = Text()
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
        text.append(f"{line.tag} {line.text}", style=DIFF_STYLE[line.tag])
    return text
