"""Review from the shell: a session as JSON, approvals and rejections, brief and register edits.

Each command says what it did in one line on stderr; stdout carries only data (the JSON).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import click

from sessions import Item, ItemKind, SessionRecord, Stakeholder, Status
from workshop.errors import WorkshopError
from workshop.service.facade import WorkshopService
from workshop.service.refs import find_item
from workshop.service.sessions import brief_fields

RESULT_WIDTH = 60  # characters of an outcome's result quoted in a message


def print_session_json(service: WorkshopService, session_ref: str) -> None:
    """`workshop show ID --json`: the brief, the people and the items, for scripts."""
    record = service.sessions.load(session_ref)
    click.echo(json.dumps(session_dict(record), indent=2, ensure_ascii=False))


def session_dict(record: SessionRecord) -> dict[str, Any]:
    s = record.session
    return {
        "id": s.id,
        "stage": s.stage.value,
        "parent_id": s.parent_id,
        "archived": s.archived,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "brief": s.brief.model_dump(mode="json"),
        "stakeholders": [_person_dict(p) for p in record.stakeholders],
        "items": [_item_dict(i) for i in record.items],
    }


PERSON_FIELDS = ("id", "name", "role", "team", "notes", "influence", "stance", "involvement")
ITEM_FIELDS = (
    "id",
    "kind",
    "status",
    "origin",
    "stakeholder_id",
    "segment",
    "version",
    "stale",
    "body",
    "approved_by",
    "approved_at",
    "created_at",
    "updated_at",
)


def _person_dict(p: Stakeholder) -> dict[str, Any]:
    data = p.model_dump(mode="json")
    return {name: data[name] for name in PERSON_FIELDS}


def _item_dict(i: Item) -> dict[str, Any]:
    data = i.model_dump(mode="json")
    return {name: data[name] for name in ITEM_FIELDS}


def approve(service: WorkshopService, session_ref: str, item_ref: str) -> None:
    """`workshop approve ID ITEM`: approved as the facilitator; failing checks are named."""
    record = service.sessions.load(session_ref)
    item = find_item(record.items, item_ref)
    what = describe(item, record)
    if item.status is Status.APPROVED:
        click.echo(
            f"{item.id} ({what}) is already approved, by {item.approved_by} "
            f"on {(item.approved_at or '')[:10]}; nothing changed.",
            err=True,
        )
        return
    if item.kind is ItemKind.ANSWERS:
        raise WorkshopError(
            f"{item.id} holds captured answers, a record of what was said rather than a "
            "draft to approve; reject it to leave it out."
        )
    failing = []
    if item.kind is ItemKind.OUTCOME:
        findings = service.method.outcome_findings(item, service.method.draft_flags(record))
        failing = [f.rule_title for f in findings if not f.ok]
    by = service.items.author(record.session.id)
    service.items.approve(item.id, by, item.version)
    if failing:
        click.echo(
            f"warning: {item.id} fails its checks: {', '.join(failing)} (approved anyway).",
            err=True,
        )
    click.echo(f"Approved {item.id} ({what}) as {by}.", err=True)


def reject(service: WorkshopService, session_ref: str, item_ref: str, note: str) -> None:
    """`workshop reject ID ITEM [--note N]`: rejected as the facilitator, with why."""
    record = service.sessions.load(session_ref)
    item = find_item(record.items, item_ref)
    what = describe(item, record)
    if item.status is Status.REJECTED:
        click.echo(f"{item.id} ({what}) is already rejected; nothing changed.", err=True)
        return
    service.items.reject(item.id, service.items.author(record.session.id), note)
    click.echo(f"Rejected {item.id} ({what}).", err=True)


def describe(item: Item, record: SessionRecord) -> str:
    """A few words that say which item this is: 'segmentation of Dana Reyes'."""
    names = {p.id: p.name for p in record.stakeholders}
    person = names.get(item.stakeholder_id or "", "someone no longer in the register")
    segment = str(item.segment or item.body.get("segment") or "").replace("_", " ")
    match item.kind:
        case ItemKind.SEGMENTATION:
            return f"segmentation of {person}"
        case ItemKind.ANSWERS:
            return f"answers of {person}"
        case ItemKind.DISCUSSION_GUIDE:
            return f"discussion guide for {person if item.stakeholder_id else segment}"
        case ItemKind.CADENCE:
            return f"impact cadence for {segment}"
        case ItemKind.OUTCOME:
            return f"outcome {_quoted(item.body.get('result'))}"
        case _:
            return f"plan entry {_quoted(item.body.get('title'))}"


def _quoted(text: object) -> str:
    text = " ".join(str(text or "").split())
    if len(text) > RESULT_WIDTH:
        text = text[: RESULT_WIDTH - 1] + "…"
    return f'"{text}"'


def set_brief(service: WorkshopService, session_ref: str, assignments: Sequence[str]) -> None:
    """`workshop brief ID --set FIELD=VALUE …`: all of them in one update, or none."""
    fields = brief_fields()
    if not assignments:
        raise WorkshopError(
            f"Say what to set with --set FIELD=VALUE; the fields are: {', '.join(fields)}."
        )
    changes: dict[str, str] = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        name = name.strip().lower()
        if not equals:
            raise WorkshopError(
                f"--set takes FIELD=VALUE, not {assignment!r}; the fields are: {', '.join(fields)}."
            )
        if name in changes:
            raise WorkshopError(f"--set names {name} twice; nothing was changed.")
        changes[name] = value
    session, changed = service.sessions.set_brief_fields(session_ref, changes)
    if changed:
        click.echo(f"Updated the brief of {session.id}: {', '.join(changed)}.", err=True)
    else:
        click.echo(f"The brief of {session.id} already says that; nothing changed.", err=True)


def set_person(
    service: WorkshopService, session_ref: str, name: str, changes: dict[str, str | None]
) -> None:
    """`workshop person ID NAME [--role R] …`: edit them, or add them if absent."""
    session_id = service.sessions.resolve(session_ref)
    given = {k: v for k, v in changes.items() if v is not None}
    person, added, changed = service.people.set_person(session_id, name, given)
    if added:
        click.echo(f"Added {person.name} ({person.id}){_values(person, changed)}.", err=True)
    elif changed:
        click.echo(f"Updated {person.name} ({person.id}){_values(person, changed)}.", err=True)
    else:
        click.echo(f"{person.name} ({person.id}) already has that; nothing changed.", err=True)


def leave(
    service: WorkshopService,
    session_ref: str,
    name: str,
    on: date | None,
    replaced_by: str | None,
) -> None:
    """`workshop person ID NAME --left [--replaced-by NEW]`: a seat that changed hands."""
    session_id = service.sessions.resolve(session_ref)
    newcomer = service.people.leave(session_id, name, on, replaced_by)
    person = service.people.by_name(session_id, name)
    said = f"{person.name} left their seat on {person.left_on}"
    if newcomer is not None:
        said += (
            f"; {newcomer.name} takes it over as {newcomer.role or 'their successor'}, "
            "unplaced and to be resold"
        )
    click.echo(said + ".", err=True)


def _values(person: Stakeholder, fields: Sequence[str]) -> str:
    parts = []
    for field in fields:
        value = getattr(person, field)
        shown = getattr(value, "value", value)
        parts.append(f"{field} {shown}" if shown else f"{field} cleared")
    return ": " + ", ".join(parts) if parts else ""
