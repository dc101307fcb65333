"""Rows of the plan stage's two tables, as Rich Text (people's text is never markup)."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text

from sessions import Item, Status

PLAN_DAYS = 90
PLAN_COLUMNS = [("Starts", 10), ("Ends", 10), ("Title", 28), ("Channel", 14),
                ("Serves outcome", 30), ("Status", 10)]  # fmt: skip
CADENCE_COLUMNS = [("Segment", 16), ("Impact report", 56), ("How often", 20), ("Status", 10)]
STATUS_STYLE = {Status.APPROVED: "bold green", Status.DRAFT: "yellow", Status.REJECTED: "dim"}


def clip(text: str, width: int) -> str:
    """The first line of text, cut to width with an ellipsis."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def outcome_label(item: Item) -> str:
    return clip(str(item.body.get("result") or "Outcome"), 200)


def status_cell(item: Item | None) -> Text:
    if item is None:
        return Text("not set", style="dim italic")
    label = "✓ approved" if item.status is Status.APPROVED else item.status.value
    return Text(label, style=STATUS_STYLE[item.status])


def plan_window(workshop_date: date | None) -> tuple[date, date] | None:
    """The 90 days the plan covers: from the workshop date."""
    if workshop_date is None:
        return None
    return workshop_date, workshop_date + timedelta(days=PLAN_DAYS - 1)


def entry_sort_key(item: Item) -> tuple:
    body = item.body
    return (
        body.get("starts") is None,
        body.get("starts") or "",
        body.get("ends") or "",
        str(body.get("title", "")).casefold(),
        item.created_at,
    )


def _date_cell(value: str | None, window: tuple[date, date] | None, empty: str) -> Text:
    if not value:
        return Text(empty, style="dim italic")
    outside = window is not None and not window[0] <= date.fromisoformat(value) <= window[1]
    return Text(value, style="bold yellow" if outside else "")


def entry_cells(
    item: Item, outcomes: dict[str, Item], window: tuple[date, date] | None
) -> list[Text]:
    body = item.body
    served = outcomes.get(str(body.get("outcome_id") or ""))
    widths = dict(PLAN_COLUMNS)
    if served is None:
        outcome = Text("no outcome", style="bold red")
    elif served.status is not Status.APPROVED:
        outcome = Text(clip(outcome_label(served), widths["Serves outcome"] - 15))
        outcome.append(" (not approved)", style="bold red")
    else:
        outcome = Text(clip(outcome_label(served), widths["Serves outcome"]))
    cells = [
        _date_cell(body.get("starts"), window, "undated"),
        _date_cell(body.get("ends"), window, "open"),
        Text(clip(str(body.get("title", "")), widths["Title"])),
        Text(clip(str(body.get("channel", "")), widths["Channel"])),
        outcome,
        status_cell(item),
    ]
    if item.status is Status.REJECTED:
        for cell in cells:
            cell.stylize("dim")
    return cells


def cadence_cells(segment_name: str, item: Item | None) -> list[Text]:
    widths = dict(CADENCE_COLUMNS)
    if item is None:
        return [
            Text(segment_name, style="bold"),
            Text("— e or Enter to say what they get —", style="dim italic"),
            Text(""),
            status_cell(None),
        ]
    return [
        Text(segment_name, style="bold"),
        Text(clip(str(item.body.get("report", "")), widths["Impact report"])),
        Text(clip(str(item.body.get("frequency", "")), widths["How often"])),
        status_cell(item),
    ]


def entry_detail(item: Item, outcomes: dict[str, Item], window: tuple[date, date] | None) -> Text:
    body = item.body
    text = Text(str(body.get("title", "")), style="bold")
    when = f"{body.get('starts') or 'undated'} → {body.get('ends') or 'open'}"
    text.append(f"   {when}")
    if body.get("channel"):
        text.append("   ·   ")
        text.append(str(body["channel"]))
    for value in (body.get("starts"), body.get("ends")):
        if value and window and not window[0] <= date.fromisoformat(value) <= window[1]:
            text.append("   outside the 90 days", style="bold yellow")
            break
    served = outcomes.get(str(body.get("outcome_id") or ""))
    text.append("\nServes: ", style="bold")
    if served is None:
        text.append("no outcome: e to choose an approved one", style="bold red")
    else:
        text.append(outcome_label(served))
        if served.status is not Status.APPROVED:
            text.append("  (not approved: choose an approved outcome)", style="bold red")
    if str(body.get("description", "")).strip():
        text.append("\n")
        text.append(str(body["description"]))
    return text


def cadence_detail(segment_name: str, needs: str, item: Item | None) -> Text:
    text = Text(segment_name, style="bold")
    if item is None:
        text.append("   not set yet: e or Enter says what impact report they get, how often")
        if needs:
            text.append("\nWhat they need from marketing: ", style="bold")
            text.append(needs)
        return text
    text.append("   how often: ")
    text.append(str(item.body.get("frequency", "")))
    text.append("\n")
    text.append(str(item.body.get("report", "")))
    return text
