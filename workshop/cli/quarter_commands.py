"""Between workshops from the shell: measurements, progress, the plan as it happens, impact
updates and what is due."""

from __future__ import annotations

from pathlib import Path

import click

from workshop.cli.context import service_for as _service


@click.command("plan")
@click.argument("session_id")
@click.argument("entry", required=False)
@click.option("--status", help="planned, in progress, done, slipped or dropped.")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="From which day (today).")
@click.option("--note", default="", help="Why, or what happened.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def plan_(ctx, session_id, entry, status, on, note, as_json) -> None:
    """The 90-day plan as it happens; with ENTRY and --status, mark what happened to it."""
    from workshop.cli.history import as_date
    from workshop.cli.progress import plan

    plan(_service(ctx), session_id, entry, status, as_date(on), note, as_json)


@click.command()
@click.argument("session_id")
@click.option("--segment", required=True, help="The segment the update is for (id or name).")
@click.option("--period", help="What it covers, e.g. 'September 2026' (this month).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="A file (- for stdout).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option("--draft", "with_model", is_flag=True, help="Have the model put it in their terms.")
@click.pass_context
def update(ctx, session_id, segment, period, output, force, with_model) -> None:
    """An impact update for SEGMENT from the recorded progress and plan, saved as a draft."""
    from workshop.cli.progress import write_update

    write_update(_service(ctx), session_id, segment, period, output, force, with_model)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def due(ctx, as_json: bool) -> None:
    """Which segments' impact updates are due or overdue, across sessions."""
    from workshop.cli.progress import print_due

    print_due(_service(ctx), as_json)


@click.command()
@click.argument("session_id")
@click.argument("outcome")
@click.argument("value")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="The day measured (today).")
@click.option("--source", default="", help="Where the figure comes from (a report, a tool).")
@click.option("--note", default="", help="Anything the figure needs beside it.")
@click.pass_context
def measure(ctx, session_id: str, outcome: str, value: str, on, source: str, note: str) -> None:
    """Record VALUE for an approved OUTCOME (its id, or the start of it)."""
    from workshop.cli.history import as_date
    from workshop.cli.progress import record_measurement

    record_measurement(_service(ctx), session_id, outcome, value, as_date(on), source, note)


@click.command()
@click.argument("session_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def progress(ctx, session_id: str, as_json: bool) -> None:
    """How each approved outcome is doing: baseline, latest, target, status."""
    from workshop.cli.progress import print_progress

    print_progress(_service(ctx), session_id, as_json)


COMMANDS = (
    measure,
    progress,
    plan_,
    update,
    due,
)
