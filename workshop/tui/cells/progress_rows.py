"""What the progress stage shows in its cells: each approved outcome's way from baseline
to target, each plan entry as it happens, and each segment's impact update on its cadence.

Pure functions from the rules' results to rich Text, so the pane only places them.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from sessions import Item, Measurement, PlanStatus, Status
from workshop.rules.cadence_due import DueUpdate
from workshop.rules.plan_view import EntryState
from workshop.rules.progress import AT_RISK, BEHIND, MET, NO_DATA, ON_TRACK, OutcomeProgress

OUTCOME_COLUMNS = [
    ("Status", 11),
    ("Outcome", 34),
    ("Baseline → latest → target", 27),
    ("Of the way", 17),
    ("Time gone", 10),
]
ENTRY_COLUMNS = [("Status", 13), ("When", 23), ("Entry", 36), ("Due", 5), ("Its outcome", 24)]
UPDATE_COLUMNS = [
    ("Segment", 16),
    ("How often", 16),
    ("Last sent", 10),
    ("Next due", 10),
    ("State", 15),
    ("Latest update", 28),
]
SPARKS = "▁▂▃▄▅▆▇█"
BAR = 10  # characters for the whole way from baseline to target

STATUS_STYLES = {
    MET: "bold green",
    ON_TRACK: "green",
    AT_RISK: "bold yellow",
    BEHIND: "bold red",
    NO_DATA: "dim",
}
PLAN_STYLES = {
    PlanStatus.DONE: "green",
    PlanStatus.IN_PROGRESS: "cyan",
    PlanStatus.SLIPPED: "bold yellow",
    PlanStatus.DROPPED: "dim",
}
DUE_STYLES = {"overdue": "bold red", "due": "bold yellow", "frequency unclear": "dim"}


def number(value: float | None, unknown: str = "?") -> str:
    return f"{value:g}" if value is not None else unknown


def bar(share: float) -> str:
    filled = round(max(0.0, min(1.0, share)) * BAR)
    return "█" * filled + "░" * (BAR - filled)


def trend(values: list[float]) -> str:
    """A sparkline in text, one mark per measurement (the last 24)."""
    values = values[-24:]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return "".join(SPARKS[round((v - low) / span * (len(SPARKS) - 1))] for v in values)


def outcome_cells(p: OutcomeProgress) -> list[Text]:
    latest = p.latest
    way = p.share_of_way
    time = p.share_of_time
    return [
        Text(p.status, style=STATUS_STYLES.get(p.status, "")),
        Text(p.result, overflow="ellipsis", no_wrap=True),
        Text(
            f"{number(p.baseline)} → {number(latest.value if latest else None, '—')} "
            f"→ {number(p.target)}",
            no_wrap=True,
        ),
        Text(f"{bar(way)} {way:.0%}" if way is not None else "—", no_wrap=True),
        Text(
            "past due" if time is not None and time >= 1 else f"{time:.0%}" if time else "—",
            no_wrap=True,
        ),
    ]


def outcome_detail(p: OutcomeProgress) -> Text:
    """The selected outcome: its figures, why the status, and the latest measurements."""
    text = Text()
    text.append(p.result, style="bold")
    text.append(f"  ·  {p.metric or 'no metric'}")
    text.append(
        f"  ·  baseline {number(p.baseline, 'unknown')}, target {number(p.target, 'unknown')}"
    )
    text.append(f", due {p.due.isoformat()}" if p.due else ", no due date the app can read")
    if p.why:
        text.append(f"\n{p.why}", style="italic")
    if not p.measurements:
        text.append("\nNo measurement yet: m records one (a value, its day and its source).")
        return text
    if len(p.measurements) >= 2:
        text.append(f"\nTrend, oldest first: {trend([m.value for m in p.measurements])}")
    for m in p.measurements[-3:][::-1]:
        text.append("\n")
        text.append(_measurement_line(m))
    if len(p.measurements) > 3:
        text.append(f"\n… and {len(p.measurements) - 3} earlier", style="dim")
    return text


def _measurement_line(m: Measurement) -> Text:
    line = Text(f"{m.measured_on.isoformat()}  {m.value:g}")
    if m.source:
        line.append(f"  from {m.source}", style="dim")
    if m.note:
        line.append(f"  — {m.note}", style="italic")
    return line


def entry_cells(s: EntryState, results: dict[str, str]) -> list[Text]:
    status = s.status.value + (f" {s.since:%d %b}" if s.since else "")
    when = f"{_day(s.starts)} – {_day(s.ends)}"
    flag = (
        Text("LATE", style="bold red")
        if s.late
        else Text("due", style="yellow")
        if s.due
        else Text("")
    )
    moved = ""
    if s.moved is not None:
        moved = f"{s.before:g} → {s.after:g} ({s.moved:+g})"
    elif s.outcome_id:
        moved = results.get(s.outcome_id, "")
    return [
        Text(status, style=PLAN_STYLES.get(s.status, ""), no_wrap=True),
        Text(when, no_wrap=True),
        Text(s.title, overflow="ellipsis", no_wrap=True),
        flag,
        Text(moved, overflow="ellipsis", no_wrap=True),
    ]


def entry_detail(s: EntryState, results: dict[str, str]) -> Text:
    text = Text()
    text.append(s.title, style="bold")
    text.append(f"  ·  {s.status.value}")
    if s.since:
        text.append(f" since {s.since.isoformat()}")
    if s.late:
        text.append("  ·  LATE: its end has passed and it is not done", style="bold red")
    elif s.due:
        text.append("  ·  running now", style="yellow")
    if s.outcome_id:
        text.append(f"\nServes: {results.get(s.outcome_id, s.outcome_id)}")
        if s.moved is not None:
            text.append(f"; while it ran the figure went {s.before:g} → {s.after:g}")
    if s.note:
        text.append(f"\nNote: {s.note}", style="italic")
    text.append("\ns says what happened (planned, in progress, done, slipped, dropped).", "dim")
    return text


def update_cells(due: DueUpdate, name: str, latest: Item | None) -> list[Text]:
    return [
        Text(name, no_wrap=True, overflow="ellipsis"),
        Text(due.frequency, no_wrap=True, overflow="ellipsis"),
        Text(_day(due.last) if due.last else "never", no_wrap=True),
        Text(_day(due.due), no_wrap=True),
        Text(
            due.state + (f", {due.days_late} d" if due.days_late else ""),
            style=DUE_STYLES.get(due.state, ""),
            no_wrap=True,
        ),
        Text(update_label(latest), no_wrap=True, overflow="ellipsis"),
    ]


def update_label(item: Item | None) -> str:
    if item is None:
        return "none yet: w writes one"
    state = "sent (approved)" if item.status is Status.APPROVED else "draft"
    return f"{state}: {item.body.get('headline', '')}"


def update_detail(due: DueUpdate, name: str, terms: str, latest: Item | None) -> Text:
    text = Text()
    text.append(f"{name}", style="bold")
    text.append(f" hears {due.frequency}: {due.report}")
    if terms:
        text.append(f"\nIn their terms: {terms}", style="italic")
    if latest is None:
        text.append("\nNo update yet: w writes one from what was recorded")
        return text
    text.append(f"\n{update_label(latest)}", style="bold")
    body = str(latest.body.get("text", ""))
    first = body.strip().splitlines()[0] if body.strip() else ""
    if first:
        text.append(f"\n{first}")
    return text


def _day(value: date | None) -> str:
    return value.isoformat() if value else "?"
