"""The CLI's drafting and doctor commands: progress on stderr, a summary at the end."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Sequence

import click

from sessions import ItemKind, SessionRecord, Status
from workshop.drafting.config import ModelSettings, no_model_message
from workshop.drafting.drafter import Drafter, DraftSummary
from workshop.drafting.engine import DraftJob, Progress
from workshop.drafting.placing import PLACED, unsettled
from workshop.drafting.waiting import WaitWatch
from workshop.errors import WorkshopError
from workshop.service.facade import WorkshopService


class _Progress:
    """One line per draft when it ends (and when it needs a repair or is held back for a
    server that takes one at a time); chunks and plain queueing would flood a log. While
    drafts are out and the endpoint says nothing, a line now and then says why."""

    def __init__(self, settings: ModelSettings) -> None:
        self.last_message = ""
        self.watch = WaitWatch(settings)

    def __call__(self, event: Progress) -> None:
        self.watch.heard(event)
        told = event.state in ("done", "failed", "cancelled", "repairing", PLACED)
        if not told and not (event.state == "queued" and event.message):
            return
        if event.state == "queued":
            if event.message == self.last_message:
                return  # said once for the whole room, not once a person
            self.last_message = event.message
        line = f"  {event.label}: {event.state}"
        if event.state == PLACED and event.partial:
            line += f" → {str(event.partial.get('segment', '')).replace('_', ' ')}"
        if event.message:
            line += f" — {event.message}"
        click.echo(line, err=True)

    async def heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.watch.every / 2)
            said = self.watch.due()
            if said:
                click.echo(f"  … {said}", err=True)


@contextlib.asynccontextmanager
async def _watched(settings: ModelSettings) -> AsyncIterator[_Progress]:
    progress = _Progress(settings)
    beat = asyncio.create_task(progress.heartbeat())
    try:
        yield progress
    finally:
        beat.cancel()


async def run_draft(
    drafter: Drafter,
    record: SessionRecord,
    kind: str,
    names: Sequence[str],
    guidance: str,
    preview: bool = False,
    missing: bool = False,
    quick: bool = False,
) -> DraftSummary:
    session_id = record.session.id
    item_kind = ItemKind(kind)
    try:
        if item_kind is ItemKind.SEGMENTATION:
            return await _run_placement(drafter, record, names, guidance, preview, missing, quick)
        if item_kind is ItemKind.DISCUSSION_GUIDE:
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
        async with _watched(drafter.settings) as progress:
            summary = await drafter.run(item_kind, jobs, progress)
    finally:
        await drafter.aclose()
    _report(summary, f"Drafted {len(summary.drafted)}")
    return summary


async def _run_placement(
    drafter: Drafter,
    record: SessionRecord,
    names: Sequence[str],
    guidance: str,
    preview: bool,
    missing: bool,
    quick: bool,
) -> DraftSummary:
    """Place the room in one request or a few, then draft each person's details."""
    from workshop.drafting.placing import needing_details

    session_id = record.session.id
    ids = _stakeholder_ids(record, names) or _unsettled(record, missing)
    settled = len(record.stakeholders) - len(ids) if not names and not missing else 0
    if settled:
        click.echo(
            f"{settled} placement(s) approved or edited by people are left as they are.",
            err=True,
        )
    if preview:
        jobs = drafter.placement_jobs(session_id, ids, guidance) if ids else []
        click.echo(json.dumps([drafter.preview(j) for j in jobs], indent=2, ensure_ascii=False))
        return DraftSummary()
    lacking = [] if quick else [i.stakeholder_id or "" for i in needing_details(record, None)]
    if not ids and not lacking:
        click.echo("Every segmentation draft is there; nothing to do.")
        return DraftSummary()
    model = f"{drafter.settings.model} at {drafter.settings.endpoint_host}"
    jobs = drafter.placement_jobs(session_id, ids, guidance) if ids else []
    if jobs:
        click.echo(f"Placing {_people(len(ids))} in {len(jobs)} request(s) with {model}…", err=True)
    # Those placed earlier without their details (an earlier --quick, a cut round).
    earlier = [i for i in lacking if i not in ids]
    if earlier:
        click.echo(f"Drafting the details for {_people(len(earlier))} with {model}…", err=True)
    async with _watched(drafter.settings) as progress:
        if quick:
            summary = await drafter.place(jobs, progress, details=False)
        else:
            summary = await drafter.complete(session_id, lacking, jobs, progress)
    details = "" if quick else f", details for {len(summary.detailed)}"
    _report(summary, f"Placed {len(summary.drafted)}{details}")
    if quick and summary.drafted:
        click.echo(
            "The engagement details come next: run the same command with --missing "
            "(without --quick) to draft them.",
            err=True,
        )
    return summary


def _people(n: int) -> str:
    return f"{n} person" if n == 1 else f"{n} people"


def _unsettled(record: SessionRecord, missing: bool) -> list[str]:
    """Whom to place: everyone no person has decided on; with `missing`, who has nothing."""
    if not missing:
        return unsettled(record)
    have = {
        i.stakeholder_id
        for i in record.items_of(ItemKind.SEGMENTATION)
        if i.status is not Status.REJECTED
    }
    return [p.id for p in record.stakeholders if p.id not in have]


def _report(summary: DraftSummary, done: str) -> None:
    cost = f", about ${summary.cost:.4f}" if summary.cost is not None else ""
    click.echo(f"{done}, failed {len(summary.failed)}; tokens {summary.tokens()}{cost}.", err=True)
    for label, message in summary.failed:
        click.echo(f"  failed: {label}: {message}", err=True)


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


async def run_jobs(drafter: Drafter, kind: ItemKind, jobs: Sequence[DraftJob]) -> DraftSummary:
    """A few jobs of one kind, with the usual progress lines; the drafter closed after."""
    try:
        click.echo(
            f"Drafting with {drafter.settings.model} at {drafter.settings.endpoint_host}…",
            err=True,
        )
        async with _watched(drafter.settings) as progress:
            return await drafter.run(kind, jobs, progress)
    finally:
        await drafter.aclose()
