"""Commands that show a session as it changes: `open` (the app, straight at a session),
`serve` (a read-only live view for browsers) and the hidden `view` that `serve` runs once
per browser."""

from __future__ import annotations

from pathlib import Path

import click


def _resolved(ctx: click.Context, session_ref: str) -> tuple[str, Path]:
    """The whole id and the database file, or the usual one-line error (unknown id)."""
    from workshop.service.facade import WorkshopService

    with WorkshopService.open(ctx.find_root().obj) as service:
        return service.sessions.resolve(session_ref), service.db_path


@click.command("open")
@click.argument("session_id")
@click.pass_context
def open_session(ctx: click.Context, session_id: str) -> None:
    """Open the app at SESSION_ID (an id or an unambiguous start of one)."""
    whole_id, db_path = _resolved(ctx, session_id)
    from workshop.tui.app import run_app

    ctx.exit(run_app(db_path, open_session=whole_id))


@click.command("view", hidden=True)
@click.argument("session_id")
@click.option("--live", is_flag=True, help="Redraw as other windows change the session.")
@click.pass_context
def view(ctx: click.Context, session_id: str, live: bool) -> None:
    """Show SESSION_ID read-only: the board, the map and the approved outcomes."""
    whole_id, db_path = _resolved(ctx, session_id)
    from workshop.service.facade import WorkshopService
    from workshop.tui.live_view import LiveViewApp

    LiveViewApp(WorkshopService.open(db_path), whole_id, live=live).run()


@click.command()
@click.argument("session_id")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Where to listen; 0.0.0.0 lets other machines in (the URL's token still guards it).",
)
@click.pass_context
def serve(ctx: click.Context, session_id: str, port: int, host: str) -> None:
    """Serve a read-only live view of SESSION_ID to browsers, until Ctrl+C.

    Each browser that opens the printed URL (it carries a token made for this run) gets
    its own view of the board, the map and the approved outcomes, redrawn as the room
    changes them. Nobody can change anything through it.
    """
    whole_id, db_path = _resolved(ctx, session_id)
    from workshop.cli.web_view import serve_view  # textual-serve and aiohttp: only here

    serve_view(whole_id, db_path, host, port)


COMMANDS = [open_session, view, serve]
