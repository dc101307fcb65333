"""The CLI's drafting and doctor commands: progress on stderr, a summary at the end."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from sessions import ItemKind, SessionRecord, Status
from workshop.drafting.config import ModelSettings, no_model_message
from workshop.drafting.drafter import Drafter, DraftSummary
from workshop.drafting.engine import DraftJob, Progress
from workshop.errors import WorkshopError
from workshop.service.facade import WorkshopService


def _progress(event: Progress) -> None:
    # One line per draft when it ends (and when it needs a repair or is held back for a
    # server that takes one at a time); chunks and plain queueing would flood a log.
    told = event.state in ("done", "failed", "cancelled", "repairing")
    if not told and not (event.state == "queued" and event.message):
        return
    line = f"  {event.label}: {event.state}"
    if event.message:
        line += f" — {event.message}"
    click.echo(line, err=True)


async def run_draft(
    drafter: Drafter,
    record: SessionRecord,
    kind: str,
    names: Sequence[str],
    guidance: str,
    preview: bool = False,
    missing: bool = False,
) -> DraftSummary:
    session_id = record.session.id
    item_kind = ItemKind(kind)
    try:
        if item_kind is ItemKind.SEGMENTATION:
            ids = _stakeholder_ids(record, names)
            jobs = drafter.segmentation_jobs(
                session_id, ids, {i: guidance for i in ids or [s.id for s in record.stakeholders]}
            )
        elif item_kind is ItemKind.DISCUSSION_GUIDE:
            ids = _stakeholder_ids(record, names)
            jobs = (
                [job for i in ids for job in drafter.question_jobs(session_id, stakeholder_id=i)]
                if ids
                else drafter.question_jobs(session_id)
            )
        else:
            jobs = drafter.outcome_jobs(session_id)
        if missing:
            jobs = without_a_draft(record, item_kind, jobs)
            if not jobs:
                click.echo(f"Every {kind.replace('_', ' ')} draft is there; nothing to do.")
                return DraftSummary()
        if preview:
            requests = [drafter.preview(job) for job in jobs]
            click.echo(json.dumps(requests, indent=2, ensure_ascii=False))
            return DraftSummary()
        click.echo(
            f"Drafting {len(jobs)} {kind.replace('_', ' ')} draft(s) with "
            f"{drafter.settings.model} at {drafter.settings.endpoint_host}…",
            err=True,
        )
        summary = await drafter.run(item_kind, jobs, _progress)
    finally:
        await drafter.aclose()
    cost = f", about ${summary.cost:.4f}" if summary.cost is not None else ""
    click.echo(
        f"Drafted {len(summary.drafted)}, failed {len(summary.failed)}; tokens "
        f"{summary.tokens()}{cost}.",
        err=True,
    )
    for label, message in summary.failed:
        click.echo(f"  failed: {label}: {message}", err=True)
    return summary


def without_a_draft(record: SessionRecord, kind: ItemKind, jobs: list[DraftJob]) -> list[DraftJob]:
    """The jobs whose person or segment has no draft of this kind yet (rejected ones count as
    none): what `--missing` re-runs after some drafts failed."""
    have = {
        (item.stakeholder_id, item.segment.value if item.segment else None)
        for item in record.items_of(kind)
        if item.status is not Status.REJECTED
    }

    def drafted(job: DraftJob) -> bool:
        if kind is ItemKind.SEGMENTATION:
            return any(person == job.stakeholder_id for person, _ in have)
        return (job.stakeholder_id, job.fixed.get("segment")) in have

    return [job for job in jobs if not drafted(job)]


def _stakeholder_ids(record: SessionRecord, names: Sequence[str]) -> list[str] | None:
    if not names:
        return None
    by_name = {s.name.casefold(): s.id for s in record.stakeholders}
    ids = []
    for name in names:
        if name.casefold() not in by_name:
            raise WorkshopError(f"No stakeholder named {name!r} in this session.")
        ids.append(by_name[name.casefold()])
    return ids


async def run_doctor(service: WorkshopService, settings: ModelSettings | None) -> bool:
    from workshop.drafting.doctor import run_checks

    if settings is None:
        click.echo(no_model_message())
        return False
    click.echo("Configuration:")
    for key, value in settings.describe().items():
        click.echo(f"  {key + ':':<16}{value}")
    click.echo("Checks:")
    checks = await run_checks(settings, service.drafting.record_call)
    for check in checks:
        mark = "ok " if check.ok and not check.warning else ("warn" if check.ok else "FAIL")
        click.echo(f"  [{mark}] {check.name}: {check.detail}")
    return all(check.ok for check in checks)
