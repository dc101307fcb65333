"""Writing the workshop's decisions from the shell, so a quarter can be scripted without
the app or a model: an outcome, a 90-day plan entry, a segment's impact cadence.

Each is saved as a draft written by the session's facilitator and its id printed, to be
approved with `workshop approve`, as the room would approve it on screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from workshop.cli.context import service_for as _service

if TYPE_CHECKING:  # the store loads only when a command runs (the app's start-up)
    from sessions import Item

DAY = click.DateTime(["%Y-%m-%d"])


def _saved(item: Item, what: str) -> None:
    click.echo(item.id)
    click.echo(
        f"Saved {what} as a draft; `workshop approve {item.session_id} {item.id}` approves it.",
        err=True,
    )


@click.command()
@click.argument("session_id")
@click.option("--result", required=True, help="The result marketing owns, in a sentence.")
@click.option("--metric", required=True, help="How it is measured.")
@click.option("--baseline", help="Where it stands now (left unknown if not given).")
@click.option("--target", help="Where it should be (left unknown if not given).")
@click.option("--due", help="By when: a date or a time frame such as Q3 or 90 days.")
@click.option("--owner", default="", help="Who owns it (the facilitator if not given).")
@click.option("--priority", default="", help="The business priority it serves.")
@click.option("--stakeholder", "stakeholders", multiple=True, help="Invested in it (repeatable).")
@click.pass_context
def outcome(
    ctx, session_id, result, metric, baseline, target, due, owner, priority, stakeholders
) -> None:
    """Write an outcome statement for SESSION_ID by hand."""
    from sessions import ItemKind

    service = _service(ctx)
    session_id = service.sessions.resolve(session_id)
    by = service.items.author(session_id)
    body = {
        "result": result,
        "metric": metric,
        "baseline": baseline,
        "target": target,
        "due": due,
        "owner": owner or by,
        "priority": priority,
        "stakeholders": list(stakeholders),
        "leading_indicators": [],
    }
    _saved(service.items.write(session_id, ItemKind.OUTCOME, body, by), "the outcome")


@click.command()
@click.argument("session_id")
@click.argument("title")
@click.option("--outcome", "outcome_ref", required=True, help="The approved outcome it serves.")
@click.option("--starts", type=DAY, help="First day (YYYY-MM-DD).")
@click.option("--ends", type=DAY, help="Last day (YYYY-MM-DD).")
@click.option("--channel", default="", help="e.g. Webinar, Email, Events.")
@click.option("--description", default="", help="What happens.")
@click.pass_context
def entry(ctx, session_id, title, outcome_ref, starts, ends, channel, description) -> None:
    """Add TITLE to the 90-day plan of SESSION_ID, serving an approved outcome."""
    from sessions import ItemKind
    from workshop.service.refs import find_item

    service = _service(ctx)
    record = service.sessions.load(session_id)
    served = find_item(record.items_of(ItemKind.OUTCOME), outcome_ref, "outcome")
    body = {
        "title": title,
        "starts": _day(starts),
        "ends": _day(ends),
        "channel": channel,
        "outcome_id": served.id,
        "description": description,
    }
    by = service.items.author(record.session.id)
    _saved(service.items.write(record.session.id, ItemKind.PLAN_ENTRY, body, by), "the entry")


@click.command()
@click.argument("session_id")
@click.argument("segment")
@click.option("--report", required=True, help="What they get, e.g. 'One page of pipeline'.")
@click.option("--frequency", required=True, help="How often, e.g. monthly, every two weeks.")
@click.pass_context
def cadence(ctx, session_id, segment, report, frequency) -> None:
    """Say what impact report SEGMENT (id or name) gets, and how often."""
    service = _service(ctx)
    session_id = service.sessions.resolve(session_id)
    segment_id = service.updates.segment_id(segment)
    item = service.items.save_cadence(
        session_id, segment_id, report, frequency, service.items.author(session_id)
    )
    _saved(item, f"the cadence for {segment_id}")


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


COMMANDS = (outcome, entry, cadence)
