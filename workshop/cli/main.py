"""The `workshop` command: the TUI by default, subcommands for scripting.

Exit codes are in workshop/errors.py.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from pathlib import Path
from typing import IO, Any

import click

from workshop.cli import stopping
from workshop.cli.context import service_for as _service
from workshop.errors import (
    EXIT_DATABASE,
    EXIT_INTERRUPTED,
    EXIT_MISTAKE,
    EXIT_TERMINATED,
    WorkshopError,
)


class UserFacingError(click.ClickException):
    """Shown as one line, 'workshop: …', with no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_MISTAKE) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"workshop: {self.format_message()}", err=True, file=file)


class WorkshopGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        # The store is imported only by the commands that use it (start-up of the app
        # must not wait for it), so its errors are looked up only when one happens.
        from sessions import DatabaseError, StoreError

        try:
            return super().invoke(ctx)
        except DatabaseError as error:
            raise UserFacingError(str(error), EXIT_DATABASE) from None
        except (StoreError, WorkshopError) as error:
            raise UserFacingError(str(error)) from None


@click.group(cls=WorkshopGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The database file (default: WORKSHOP_DB, else the user data directory).",
)
@click.version_option(package_name="strategy-workshop", prog_name="workshop")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """Strategy Workshop: run a marketing-strategy workshop in the terminal.

    Without a command, opens the workshop app.
    """
    ctx.obj = db_path
    if ctx.invoked_subcommand is None:
        from workshop.tui.app import run_app  # Textual is only loaded when the TUI is wanted

        ctx.exit(run_app(db_path))


@cli.command()
@click.option("--title", help="The workshop's title.")
@click.option("--org", "organisation", help="The organisation.")
@click.option(
    "--from",
    "brief_file",
    type=click.Path(path_type=Path),
    help="A brief as TOML or JSON, optionally with stakeholders (see examples/).",
)
@click.option(
    "--stakeholders",
    "stakeholders_csv",
    type=click.Path(path_type=Path),
    help="A CSV of stakeholders: name, role, team, notes, influence, stance, involvement.",
)
@click.pass_context
def new(ctx, title, organisation, brief_file, stakeholders_csv) -> None:
    """Create a session and print its id."""
    session = _service(ctx).sessions.new(title, organisation, brief_file, stakeholders_csv)
    click.echo(session.id)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--search", "query", help="Only sessions matching these words.")
@click.option(
    "--status",
    type=click.Choice(["open", "approved", "archived"]),
    help="open: drafts still open; approved: has approved items; archived: only archived ones.",
)
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="Workshop (else created) on or after."
)
@click.option(
    "--until", type=click.DateTime(["%Y-%m-%d"]), help="Workshop (else created) on or before."
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--all", "include_archived", is_flag=True, help="Include archived sessions.")
@click.pass_context
def list_(ctx, as_json, query, status, since, until, limit, include_archived) -> None:
    """List sessions, newest first (or search them), with filters."""
    from workshop.cli.history import as_date, list_sessions

    list_sessions(
        _service(ctx),
        as_json,
        query,
        limit,
        include_archived,
        status,
        as_date(since),
        as_date(until),
    )


@cli.command()
@click.argument("session_id")
@click.option("--json", "as_json", is_flag=True, help="The whole session as JSON, with ids.")
@click.pass_context
def show(ctx, session_id: str, as_json: bool) -> None:
    """Show a session: brief, stakeholders and items."""
    from workshop.cli.output import print_session

    service = _service(ctx)
    if as_json:
        from workshop.cli.review import print_session_json

        print_session_json(service, session_id)
        return
    record = service.sessions.load(session_id)
    try:
        settings = service.drafting.settings()
    except WorkshopError:
        settings = None  # a broken config must not stop anyone reading a session
    print_session(record, service, service.drafting.usage(record.session.id, settings))


@cli.command()
@click.argument("session_id")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to this file (- for stdout)."
)
@click.option("--drafts", is_flag=True, help="Include unapproved drafts, marked as such.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--for",
    "audience",
    type=click.Choice(["team", "leadership"]),
    default="team",
    show_default=True,
    help="team: everything; leadership: outcomes, progress, plan, cadence and asks, "
    "nothing about people's segments.",
)
@click.pass_context
def export(
    ctx, session_id: str, output: Path | None, drafts: bool, force: bool, audience: str
) -> None:
    """Export a session as Markdown, to stdout or a file."""
    service = _service(ctx)
    if output is None or str(output) == "-":
        click.echo(service.export.markdown(session_id, drafts, audience), nl=False)
    else:
        service.export.write(session_id, output, drafts, force, audience)
        click.echo(f"Wrote {output}", err=True)


DRAFT_KINDS = {
    "segmentation": "segmentation",
    "questions": "discussion_guide",
    "outcomes": "outcome",
}


@cli.command()
@click.argument("session_id")
@click.argument("what", type=click.Choice(sorted(DRAFT_KINDS)))
@click.option("--profile", help="A model profile from the config file.")
@click.option("--model", help="The model name (overrides WORKSHOP_MODEL and the profile).")
@click.option("--base-url", help="The endpoint (overrides OPENAI_BASE_URL and the profile).")
@click.option("--stakeholder", "names", multiple=True, help="Only these people (repeatable).")
@click.option("--guidance", default="", help="A line of guidance for the model.")
@click.option("--pseudonymise", is_flag=True, help="Send labels instead of people's names.")
@click.option("--preview", is_flag=True, help="Print the exact requests as JSON; send nothing.")
@click.option(
    "--missing", is_flag=True, help="Only what has no draft yet (after some drafts failed)."
)
@click.option("--quick", is_flag=True, help="Segmentation: only place people; details come later.")
@click.pass_context
def draft(
    ctx,
    session_id,
    what,
    profile,
    model,
    base_url,
    names,
    guidance,
    pseudonymise,
    preview,
    missing,
    quick,
) -> None:
    """Draft segmentations, discussion questions or outcomes with the model.

    Segmentation places the whole room in one request or a few (segment, rationale,
    confidence), then drafts each person's engagement details; --quick stops after the
    placing.
    """
    from workshop.cli.drafting import run_draft

    service = _service(ctx)
    drafter = service.drafting.drafter(profile, model, base_url, pseudonymise)
    record = service.sessions.load(session_id)
    summary = stopping.run(
        run_draft(
            drafter,
            record,
            DRAFT_KINDS[what],
            names,
            guidance,
            preview=preview,
            missing=missing,
            quick=quick,
        )
    )
    if summary.failed:
        asked = len(summary.failed) + len(summary.drafted) + len(summary.detailed)
        raise UserFacingError(
            f"{len(summary.failed)} of {asked} drafts failed; "
            "run the same command with --missing to retry only those."
        )


@cli.command()
@click.option("--profile", help="A model profile from the config file.")
@click.option("--model", help="The model name.")
@click.option("--base-url", help="The endpoint URL.")
@click.pass_context
def doctor(ctx, profile, model, base_url) -> None:
    """Check the model configuration and the endpoint, and say what to fix."""
    from workshop.cli.drafting import run_doctor

    service = _service(ctx)
    settings = service.drafting.settings(profile, model, base_url)
    if not stopping.run(run_doctor(service, settings)):
        raise UserFacingError("The model is not usable yet; see the checks above.")


# Past sessions: follow-ups, what changed, moving, archiving, deleting ---------------


@cli.command()
@click.argument("session_id")
@click.option("--title", help="The follow-up's title (default: the parent's, marked follow-up).")
@click.pass_context
def followup(ctx, session_id: str, title: str | None) -> None:
    """Start the next workshop from a past one and print its id.

    It carries the brief, the stakeholders with their last approved segments, and the
    approved outcomes and impact cadences.
    """
    click.echo(_service(ctx).history.follow_up(session_id, title).id)


@cli.command()
@click.argument("earlier")
@click.argument("later", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def diff(ctx, earlier: str, later: str | None, as_json: bool) -> None:
    """What changed from session EARLIER to LATER, one sentence a line.

    With one id: what changed since the session it follows up.
    """
    from workshop.cli.history import run_diff

    run_diff(_service(ctx), earlier, later, as_json)


@cli.command()
@click.argument("session_id")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to this file (- for stdout)."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.pass_context
def dump(ctx, session_id: str, output: Path | None, force: bool) -> None:
    """Write a whole session as JSON, to move it to another machine (`workshop load`)."""
    service = _service(ctx)
    if output is None or str(output) == "-":
        click.echo(service.history.dump_text(session_id), nl=False)
    else:
        service.history.write_dump(session_id, output, force)
        click.echo(f"Wrote {output}", err=True)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--as-copy", is_flag=True, help="Load as a new session with new ids.")
@click.pass_context
def load(ctx, file: Path, as_copy: bool) -> None:
    """Load a session from a `workshop dump` file (- for stdin) and print its id.

    The session keeps its ids; if it is already in this database, nothing is loaded
    unless --as-copy.
    """
    from workshop.cli import history as cli_history

    cli_history.load(_service(ctx), file, as_copy)


@cli.command()
@click.argument("session_id")
@click.pass_context
def archive(ctx, session_id: str) -> None:
    """Hide a session from the default list (`list --all` still shows it)."""
    from workshop.cli.history import set_archived

    set_archived(_service(ctx), session_id, True)


@cli.command()
@click.argument("session_id")
@click.pass_context
def unarchive(ctx, session_id: str) -> None:
    """Show an archived session in the default list again."""
    from workshop.cli.history import set_archived

    set_archived(_service(ctx), session_id, False)


@cli.command()
@click.argument("session_id")
@click.option("--yes", is_flag=True, help="Do not ask (needed when stdin is not a terminal).")
@click.pass_context
def delete(ctx, session_id: str, yes: bool) -> None:
    """Delete a session and everything in it, after saying exactly what goes."""
    from workshop.cli import history as cli_history

    cli_history.delete(_service(ctx), session_id, yes)


@cli.group()
def prompts() -> None:
    """The prompt templates and playbooks in use, and where each comes from."""


@prompts.command("list")
def prompts_list() -> None:
    """List the active templates and playbooks."""
    from prompt_library import load_library

    library = load_library()
    click.echo(f"{'KIND':<9} {'ID':<18} {'VER':>3}  {'SOURCE':<8} {'HASH':<12}  FILE")
    for info in library.sources():
        note = f"  (overrides {info.overrides})" if info.overrides else ""
        click.echo(
            f"{info.kind:<9} {info.id:<18} {info.version:>3}  {info.source:<8} "
            f"{info.content_hash[:12]}  {info.path}{note}"
        )
    click.echo(f"\nUser prompts directory: {library.user_dir}")
    for problem in library.problems:
        click.echo(f"warning: {problem}", err=True)


@prompts.command("show")
@click.argument("template_id")
def prompts_show(template_id: str) -> None:
    """Print the active file for a template or playbook id."""
    from prompt_library import PromptLibraryError, load_library

    library = load_library()
    for info in library.sources():
        if info.id == template_id:
            click.echo(f"# {info.kind} {info.id} v{info.version} ({info.source}: {info.path})")
            click.echo(f"# sha256 {info.content_hash}")
            click.echo(info.path.read_text(encoding="utf-8"), nl=False)
            return
    try:
        library.get(template_id)
    except PromptLibraryError as error:
        raise UserFacingError(str(error)) from None


def _add_commands() -> None:
    from workshop.cli import live, planning, quarter_commands, review_commands

    for module in (planning, review_commands, quarter_commands, live):
        for command in module.COMMANDS:
            cli.add_command(command)


_add_commands()


def main() -> None:
    signal.signal(signal.SIGTERM, stopping.raise_terminated)
    try:
        code = cli.main(prog_name="workshop", standalone_mode=False)
        sys.stdout.flush()  # a full or closed stdout shows here, not at exit
    except click.ClickException as error:
        error.show()
        code = error.exit_code
    except (click.Abort, KeyboardInterrupt) as error:
        # click turns the interrupt into Abort, "from" the interrupt itself.
        stopped = isinstance(error, stopping.Terminated) or isinstance(
            error.__cause__, stopping.Terminated
        )
        click.echo(
            f"workshop: {'stopped' if stopped else 'interrupted'}; what was finished is "
            "saved, and whatever was under way was cancelled (nothing half-done is kept).",
            err=True,
        )
        code = EXIT_TERMINATED if stopped else EXIT_INTERRUPTED
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EFBIG):
            raise
        _quiet_stdout()
        click.echo(f"workshop: could not write the output ({error.strerror}).", err=True)
        code = EXIT_MISTAKE
    sys.exit(code if isinstance(code, int) else 0)


def _quiet_stdout() -> None:
    # The interpreter flushes stdout once more on its way out; with the same fault that
    # would print a second, unreadable error.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
