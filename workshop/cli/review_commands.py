"""Review from the shell: approve, reject, the brief and the register, as on screen."""

from __future__ import annotations

import click

from workshop.cli.context import service_for as _service


@click.command()
@click.argument("session_id")
@click.argument("item")
@click.pass_context
def approve(ctx, session_id: str, item: str) -> None:
    """Approve ITEM (its id, or the start of it) as the session's facilitator."""
    from workshop.cli.review import approve as approve_item

    approve_item(_service(ctx), session_id, item)


@click.command()
@click.argument("session_id")
@click.argument("item")
@click.option("--note", default="", help="Why it is rejected.")
@click.pass_context
def reject(ctx, session_id: str, item: str, note: str) -> None:
    """Reject ITEM (its id, or the start of it), with an optional note saying why."""
    from workshop.cli.review import reject as reject_item

    reject_item(_service(ctx), session_id, item, note)


@click.command()
@click.argument("session_id")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A field of the brief (repeatable); participants and priorities take a;b;c.",
)
@click.pass_context
def brief(ctx, session_id: str, assignments: tuple[str, ...]) -> None:
    """Set fields of the brief: all of them at once, or none if one is wrong."""
    from workshop.cli.review import set_brief

    set_brief(_service(ctx), session_id, assignments)


@click.command()
@click.argument("session_id")
@click.argument("name")
@click.option("--role", help="Their role.")
@click.option("--team", help="Their team.")
@click.option("--influence", help="high, medium or low (empty to clear).")
@click.option("--stance", help="supportive, neutral or resistant (empty to clear).")
@click.option("--involvement", help="approves, executes, advises or none (empty to clear).")
@click.option("--left", is_flag=True, help="They left their seat (on --on, else today).")
@click.option("--replaced-by", "replaced_by", help="Who takes the seat over (with --left).")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="The day they left.")
@click.pass_context
def person(
    ctx, session_id, name, role, team, influence, stance, involvement, left, replaced_by, on
) -> None:
    """Edit the stakeholder named NAME (any case), or add them if they are not there;
    --left marks that they left their seat, --replaced-by who took it over."""
    from workshop.cli.history import as_date
    from workshop.cli.review import leave, set_person

    if left or replaced_by:
        leave(_service(ctx), session_id, name, as_date(on), replaced_by)
        return
    changes = {
        "role": role,
        "team": team,
        "influence": influence,
        "stance": stance,
        "involvement": involvement,
    }
    set_person(_service(ctx), session_id, name, changes)


COMMANDS = (
    approve,
    reject,
    brief,
    person,
)
