"""The CLI's between-workshops commands: measurements, progress, the plan as it happens,
impact updates and what is due."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

import click

from sessions import PlanStatus
from workshop.cli import stopping
from workshop.errors import WorkshopError
from workshop.rules.cadence_due import DueUpdate
from workshop.rules.plan_view import EntryState
from workshop.rules.progress import OutcomeProgress
from workshop.service.facade import WorkshopService
from workshop.service.files import write_private_file

T = TypeVar("T")
BAR = 20  # characters for the whole way from baseline to target


def record_measurement(
    service: WorkshopService,
    session_ref: str,
    outcome_ref: str,
    value: str,
    on: date | None,
    source: str,
    note: str,
) -> None:
    measurement = service.progress.measure(session_ref, outcome_ref, value, on, source, note)
    click.echo(
        f"Recorded {measurement.value:g} on {measurement.measured_on.isoformat()} "
        f"for {measurement.outcome_id} ({measurement.id}).",
        err=True,
    )


def print_progress(service: WorkshopService, session_ref: str, as_json: bool) -> None:
    found = service.progress.progress(session_ref)
    empty = "No approved outcome yet: approve one on stage 5 to track it."
    _print_rows(found, as_json, _as_dict, _line, empty)


def _print_rows(rows: Sequence[T], as_json: bool, as_dict, as_line, empty: str) -> None:
    """JSON for scripts, else a line (or a few) per row, else what to do when none."""
    if as_json:
        click.echo(json.dumps([as_dict(r) for r in rows], indent=2, ensure_ascii=False))
    elif not rows:
        click.echo(empty)
    else:
        for row in rows:
            click.echo(as_line(row))


def _line(p: OutcomeProgress) -> str:
    latest = p.latest
    figures = " → ".join(
        [
            _figure(p.baseline, "baseline"),
            f"{latest.value:g} on {latest.measured_on.isoformat()}" if latest else "no data yet",
            _figure(p.target, "target"),
        ]
    )
    way, time = p.share_of_way, p.share_of_time
    shares = []
    if way is not None:
        shares.append(f"{_bar(way)} {way:.0%} of the way")
    if time is not None and p.due is not None:
        shares.append(
            f"past its due day, {p.due.isoformat()}"
            if time >= 1
            else f"{time:.0%} of the time gone (due {p.due.isoformat()})"
        )
    why = f" ({p.why})" if p.why and p.status in ("not judged", "no data yet") else ""
    return f"{p.outcome_id}  [{p.status}]{why}  {p.result}\n    {p.metric}: {figures}" + (
        f"\n    {'; '.join(shares)}" if shares else ""
    )


def _figure(value: float | None, name: str) -> str:
    return f"{value:g}" if value is not None else f"{name} unknown"


def _bar(share: float) -> str:
    filled = round(max(0.0, min(1.0, share)) * BAR)
    return "█" * filled + "░" * (BAR - filled)


def _as_dict(p: OutcomeProgress) -> dict:
    return {
        "outcome_id": p.outcome_id,
        "result": p.result,
        "metric": p.metric,
        "baseline": p.baseline,
        "target": p.target,
        "start": p.start.isoformat(),
        "due": p.due.isoformat() if p.due else None,
        "status": p.status,
        "why": p.why,
        "share_of_way": p.share_of_way,
        "share_of_time": p.share_of_time,
        "measurements": [
            {
                "id": m.id,
                "value": m.value,
                "on": m.measured_on.isoformat(),
                "source": m.source,
                "note": m.note,
            }
            for m in p.measurements
        ],
    }


def plan(
    service: WorkshopService,
    session_ref: str,
    entry_ref: str | None,
    status: str | None,
    on: date | None,
    note: str,
    as_json: bool,
) -> None:
    """`workshop plan`: mark an entry, or show the plan as it happens."""
    if entry_ref is not None:
        if status is None:
            raise WorkshopError("Say what happened to the entry with --status (" + STATUSES + ").")
        change = service.progress.set_plan_status(session_ref, entry_ref, status, on, note)
        click.echo(
            f"{change.entry_id}: {change.status.value} from {change.on_day.isoformat()}.",
            err=True,
        )
        return
    states = service.progress.plan(session_ref)
    _print_rows(
        states, as_json, _entry_dict, _entry_line, "No plan entries yet: add them on stage 6."
    )


STATUSES = ", ".join(s.value for s in PlanStatus)


def _entry_line(s: EntryState) -> str:
    when = f"{_day(s.starts)} – {_day(s.ends)}"
    flags = " LATE" if s.late else " due" if s.due else ""
    since = f" since {s.since.isoformat()}" if s.since else ""
    line = f"{s.entry_id}  [{s.status.value}{since}]{flags}  {when}  {s.title}"
    if s.note:
        line += f"\n    note: {s.note}"
    if s.moved is not None:
        line += f"\n    its outcome {s.outcome_id}: {s.before:g} → {s.after:g} ({s.moved:+g})"
    return line


def _day(value: date | None) -> str:
    return value.isoformat() if value else "?"


def _entry_dict(s: EntryState) -> dict:
    return {
        "entry_id": s.entry_id,
        "title": s.title,
        "starts": s.starts.isoformat() if s.starts else None,
        "ends": s.ends.isoformat() if s.ends else None,
        "status": s.status.value,
        "since": s.since.isoformat() if s.since else None,
        "note": s.note,
        "late": s.late,
        "due": s.due,
        "outcome_id": s.outcome_id,
        "outcome_before": s.before,
        "outcome_after": s.after,
        "outcome_moved": s.moved,
    }


def write_update(
    service: WorkshopService,
    session_ref: str,
    segment: str,
    period: str | None,
    output: Path | None,
    force: bool,
    with_model: bool = False,
) -> None:
    """`workshop update`: a draft update for a segment, from what was recorded (and with
    --draft, put in the segment's terms by the model)."""
    if with_model:
        item = _drafted_update(service, session_ref, segment, period)
    else:
        item = service.updates.write_template(session_ref, segment, period)
    text = service.updates.markdown(item)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
    else:
        write_private_file(output, text, force)
        click.echo(f"Wrote {output}", err=True)
    terms = service.updates.terms(segment)
    click.echo(
        f"Saved as a draft, {item.id}. Put it in their terms before sending"
        + (f" ({terms})" if terms else "")
        + f"; `workshop approve {item.session_id} {item.id}` then marks it as the update sent.",
        err=True,
    )


def _drafted_update(service: WorkshopService, session_ref: str, segment: str, period: str | None):
    from sessions import ItemKind
    from workshop.cli.drafting import run_jobs

    session_id = service.sessions.resolve(session_ref)
    segment_id = service.updates.segment_id(segment)
    period = period or date.today().strftime("%B %Y")
    facts = service.updates.facts(session_id, period)
    drafter = service.drafting.drafter()
    jobs = drafter.update_jobs(
        session_id, segment_id, period, f"{facts['headline']}\n\n{facts['text']}"
    )
    summary = stopping.run(run_jobs(drafter, ItemKind.IMPACT_UPDATE, jobs))
    if not summary.drafted:
        why = summary.failed[0][1] if summary.failed else "no answer"
        raise WorkshopError(
            f"The model did not draft the update ({why}). Without --draft the update is "
            "written from the record alone."
        )
    return summary.drafted[0]


def print_due(service: WorkshopService, as_json: bool) -> None:
    """`workshop due`: which segment updates are due or overdue, in which session."""
    empty = "No impact cadence is approved in any session yet (stage 6 sets one)."
    _print_rows(service.updates.due(), as_json, _due_dict, _due_line, empty)


def _due_line(d: DueUpdate) -> str:
    when = d.due.isoformat() if d.due else "?"
    late = f", {d.days_late} days late" if d.days_late else ""
    last = f"last sent {d.last.isoformat()}" if d.last else "none sent yet"
    return (
        f"{d.state:<8} {when}{late}  {d.session_id}  {d.segment} ({d.frequency}; {last})"
        f"  {d.session_title}: {d.report}"
    )


def _due_dict(d: DueUpdate) -> dict:
    return {
        "session_id": d.session_id,
        "session_title": d.session_title,
        "segment": d.segment,
        "report": d.report,
        "frequency": d.frequency,
        "last": d.last.isoformat() if d.last else None,
        "due": d.due.isoformat() if d.due else None,
        "state": d.state,
        "days_late": d.days_late,
    }
