"""The CLI's past-session commands: list filters, diff, dump/load, archive, delete.

cli.py declares the commands; the work behind them is here, over the service layer.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from workshop.errors import WorkshopError
from workshop.service.facade import WorkshopService


def as_date(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def list_sessions(
    service: WorkshopService,
    as_json: bool,
    query: str | None,
    limit: int,
    include_archived: bool,
    status: str | None,
    since: date | None,
    until: date | None,
) -> None:
    """`workshop list`: sessions newest first, or search hits, both with the same filters."""
    from workshop.cli.output import print_hits, print_summaries

    filters: dict[str, Any] = {
        "include_archived": include_archived,
        "status": status,
        "since": since,
        "until": until,
    }
    if query is not None:
        hits = service.sessions.search_filtered(query, limit, **filters)
        if as_json:
            click.echo(json.dumps([h.model_dump() for h in hits], indent=2, ensure_ascii=False))
        else:
            print_hits(hits)
        return
    summaries = service.sessions.list_filtered(limit, **filters)
    if as_json:
        data = [s.model_dump(mode="json") for s in summaries]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif not summaries and any(v for k, v in filters.items() if k != "include_archived"):
        click.echo("No sessions match these filters.")
    else:
        print_summaries(summaries)


def run_diff(service: WorkshopService, a: str, b: str | None, as_json: bool) -> None:
    """`workshop diff A B`; with one id, what changed since the session it follows up."""
    from workshop.cli.output import print_changes

    if b is None:
        later = service.sessions.get(a)
        if later.parent_id is None:
            raise WorkshopError(
                f"{later.id} does not follow up another session; give two ids: "
                "workshop diff EARLIER LATER."
            )
        a, b = later.parent_id, later.id
    changes = service.history.compare(a, b)
    if as_json:
        data = [asdict(c) | {"sentence": c.sentence()} for c in changes]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_changes(changes)


def read_dump(service: WorkshopService, file: Path) -> dict[str, Any]:
    """The dump in file, or on stdin when file is '-'."""
    if str(file) == "-":
        from sessions.transfer import parse_dump

        return parse_dump(sys.stdin.read(), "standard input")
    return service.history.read_dump(file)


def load(service: WorkshopService, file: Path, as_copy: bool) -> None:
    data = read_dump(service, file)
    session = service.history.load_dump(data, as_copy)
    dumped = data.get("session") or {}
    parent = dumped.get("parent_id") if isinstance(dumped, dict) else None
    if parent and session.parent_id is None:
        click.echo(
            f"note: it follows up {parent}, which is not in this database; "
            "the link was left out (load that session first to keep it).",
            err=True,
        )
    click.echo(session.id)


def set_archived(service: WorkshopService, session_ref: str, archived: bool) -> None:
    session = service.sessions.get(session_ref)
    word = "archived" if archived else "not archived"
    if session.archived == archived:
        click.echo(f"{session.id} is already {word}; nothing changed.")
        return
    session = (
        service.sessions.archive(session.id) if archived else service.sessions.unarchive(session.id)
    )
    if archived:
        click.echo(f"Archived {session.id}; `workshop list --all` still shows it.")
    else:
        click.echo(f"Unarchived {session.id}.")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def deletion_lines(title: str, session_id: str, counts: dict[str, int]) -> list[str]:
    lines = [
        f'Session {session_id} "{title}" will be deleted with everything in it:',
        "  "
        + ", ".join(
            [
                _plural(counts["stakeholders"], "stakeholder"),
                _plural(counts["items"], "item"),
                _plural(counts["revisions"], "revision"),
                _plural(counts["llm_calls"], "model call"),
            ]
        )
        + f" and {_plural(counts['events'], 'event')}.",
    ]
    if counts.get("follow_ups"):
        lines.append(
            f"  {_plural(counts['follow_ups'], 'follow-up session')} of it will stay, "
            "without the link to it."
        )
    lines.append("This cannot be undone (`workshop dump` keeps a copy first).")
    return lines


def delete(service: WorkshopService, session_ref: str, yes: bool) -> None:
    """Say exactly what goes; ask on a terminal; without one, only with --yes."""
    session, counts = service.sessions.deletion_summary(session_ref)
    click.echo("\n".join(deletion_lines(session.title, session.id, counts)))
    if not yes:
        if not sys.stdin.isatty():
            raise WorkshopError(
                "Not deleted: there is no terminal to confirm on; add --yes to delete."
            )
        if not click.confirm("Delete it?", default=False):
            raise WorkshopError("Not deleted.")
    service.sessions.delete(session.id)
    click.echo(f"Deleted {session.id}.")
