"""Plain-text output of the CLI: readable in a terminal, stable enough for grep."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import click

from sessions import (
    Item,
    ItemKind,
    SearchHit,
    SessionRecord,
    SessionSummary,
    has_engagement_details,
)
from workshop.rules.compare import Change
from workshop.rules.draft_flags import DraftFlag
from workshop.rules.seats import seat_note
from workshop.service.drafting import Usage
from workshop.service.facade import WorkshopService


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_summaries(summaries: list[SessionSummary]) -> None:
    if not summaries:
        click.echo("No sessions yet. Create one with: workshop new --title 'Q3 strategy'")
        return
    click.echo(f"{'ID':<17} {'CREATED':<10} {'STAGE':<12} {'PEOPLE':>6} {'OK/OPEN':>8}  TITLE")
    for s in summaries:
        counts = f"{s.approved}/{s.open}"
        title = s.title + (f" — {s.organisation}" if s.organisation else "")
        click.echo(
            f"{s.id:<17} {s.created_at[:10]:<10} {s.stage.value:<12} {s.stakeholders:>6} "
            f"{counts:>8}  {_short(title, 60)}"
        )


def print_hits(hits: list[SearchHit]) -> None:
    if not hits:
        click.echo("Nothing found.")
        return
    for hit in hits:
        snippet = " ".join(hit.snippet.split())
        click.echo(f"{hit.session_id}  {_short(hit.session_title, 40)}  [{hit.where}]  {snippet}")


def print_session(record: SessionRecord, service: WorkshopService, usage: Usage) -> None:
    s = record.session
    click.echo(s.title)
    click.echo("=" * min(len(s.title), 80))
    for label, value in (
        ("Id", s.id),
        ("Organisation", s.organisation),
        ("Date", s.workshop_date.isoformat() if s.workshop_date else ""),
        ("Facilitator", s.facilitator),
        ("Participants", ", ".join(s.participants)),
        ("Stage", s.stage.value),
        ("Created", s.created_at),
        ("Follows", s.parent_id or ""),
    ):
        if value:
            click.echo(f"{label + ':':<14}{value}")
    if s.priorities:
        click.echo("\nPriorities:")
        for number, priority in enumerate(s.priorities, 1):
            click.echo(f"  {number}. {priority}")
    for title, text in (("Marketing today", s.marketing_today), ("Challenges", s.challenges)):
        if text:
            click.echo(f"\n{title}:\n  " + text.replace("\n", "\n  "))
    click.echo(f"\nStakeholders ({len(record.stakeholders)}):")
    for person in record.stakeholders:
        extra = ", ".join(x for x in (person.role, person.team) if x)
        attrs = " ".join(
            f"{name}={value.value}"
            for name, value in (
                ("influence", person.influence),
                ("stance", person.stance),
                ("involvement", person.involvement),
            )
            if value
        )
        seat = seat_note(record, person)
        click.echo(
            f"  - {person.name}"
            + (f" ({extra})" if extra else "")
            + (f"  {attrs}" if attrs else "")
            + (f"  [{seat}]" if seat else "")
        )
    counts = Counter((item.kind.value, item.status.value) for item in record.items)
    if counts:
        click.echo("\nItems:")
        for (kind, status), n in sorted(counts.items()):
            click.echo(f"  {kind:<18} {status:<9} {n}")
    else:
        click.echo("\nNo drafts or items yet.")
    flags = service.method.draft_flags(record)
    _print_segmentation(record, service, flags)
    _print_outcomes(record, service, flags)
    if usage.calls:
        cost = f", about ${usage.cost:.4f}" if usage.cost is not None else ""
        click.echo(
            f"\nModel calls: {usage.calls} ({usage.failed_text()}); tokens {usage.tokens()}{cost}."
        )


def _print_segmentation(
    record: SessionRecord, service: WorkshopService, flags: Mapping[str, DraftFlag]
) -> None:
    items = [i for i in record.items_of(ItemKind.SEGMENTATION) if i.status.value != "rejected"]
    suggestions = service.method.suggestions(record)
    if not items and not suggestions:
        return
    click.echo("\nSegmentation:")
    names = {p.id: p.name for p in record.stakeholders}
    placed = set()
    for item in items:
        placed.add(item.stakeholder_id)
        segment = str(item.body.get("segment", "")).replace("_", " ")
        line = f"  - {names.get(item.stakeholder_id or '', '?')}: {segment} [{_flags(item)}]"
        if not has_engagement_details(item.body):
            line += " · placement only"
        suggestion = suggestions.get(item.stakeholder_id or "")
        if suggestion and suggestion.segment_id != item.body.get("segment"):
            rule_segment = suggestion.segment_id.replace("_", " ")
            line += f"\n      rules suggest {rule_segment}: {suggestion.reason}"
        if item.id in flags:
            line += f"\n      ⚠ {flags[item.id].message}"
        click.echo(line)
    for person_id, suggestion in suggestions.items():
        if person_id not in placed:
            click.echo(
                f"  - {names[person_id]}: no draft yet; rules suggest "
                f"{suggestion.segment_id.replace('_', ' ')} ({suggestion.reason})"
            )


def _print_outcomes(
    record: SessionRecord, service: WorkshopService, flags: Mapping[str, DraftFlag]
) -> None:
    from workshop.rules.outcome_checks import summarise

    items = [i for i in record.items_of(ItemKind.OUTCOME) if i.status.value != "rejected"]
    if not items:
        return
    click.echo("\nOutcomes:")
    for item in items:
        findings = service.method.outcome_findings(item, flags)
        click.echo(f"  - {_short(str(item.body.get('result', '')), 70)} [{_flags(item)}]")
        click.echo(f"      {summarise(findings)}")
        for finding in findings:
            if not finding.ok:
                click.echo(f"      ✗ {finding.rule_title}: {finding.message}")


def _flags(item: Item) -> str:
    origin = {"model": "model draft", "person": "written by a person", "edited": "edited draft"}
    flags = [item.status.value, origin[item.origin.value]]
    if item.stale:
        flags.append("stale: its inputs changed")
    return ", ".join(flags)


def print_changes(changes: list[Change]) -> None:
    """What changed between two sessions: one sentence a line, or that nothing did."""
    if not changes:
        click.echo("No changes.")
        return
    for change in changes:
        click.echo(change.sentence())
