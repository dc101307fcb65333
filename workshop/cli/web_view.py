"""`workshop serve`: the read-only live view, served to browsers through textual-serve.

textual-serve starts the launch command once per browser connection and shows its title
on the page before the app starts. So the command names only the session (`workshop view
ID --live`); the database travels in the environment (WORKSHOP_DB), and every page sits
under a token made for this run, so that knowing the port is not enough to watch.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import shlex
import signal
import socket
import sys
import sysconfig
from pathlib import Path

import aiohttp_jinja2
import click
import jinja2
from aiohttp import web
from textual_serve.server import Server

from workshop.errors import WorkshopError

PAGE_TITLE = "Strategy Workshop · live view (read-only)"
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}
SHUTDOWN_SECONDS = 5.0


class TokenServer(Server):
    """textual-serve's server with every route under /<token>/ (the rest is 404) and
    quieter logs: its own banner and the access log would print the token for each hit."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        self.token = token
        self._viewers: set[asyncio.Task] = set()
        shown = socket.getfqdn() if host in WILDCARD_HOSTS else host
        shown = f"[{shown}]" if ":" in shown else shown
        super().__init__(
            command, host=host, port=port, title=PAGE_TITLE, public_url=f"http://{shown}:{port}"
        )
        self.url = f"{self.public_url}/{token}/"

    def initialize_logging(self) -> None:
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def _make_app(self) -> web.Application:
        # textual-serve's own routes, handlers and route names (the page builds its URLs
        # from the names), under the token instead of at the root.
        secured = web.Application()
        aiohttp_jinja2.setup(secured, loader=jinja2.FileSystemLoader(self.templates_path))
        secured.router.add_routes(
            [
                web.get(f"/{self.token}/", self.handle_index, name="index"),
                web.get(f"/{self.token}/ws", self._viewer, name="websocket"),
                web.get(f"/{self.token}/download/{{key}}", self.handle_download, name="download"),
                web.static(f"/{self.token}/static", self.statics_path, name="static"),
            ]
        )
        secured.on_shutdown.append(self._end_viewers)
        return secured

    async def _viewer(self, request: web.Request) -> web.StreamResponse:
        """One browser's page, remembered so that stopping can end it at once."""
        task = asyncio.current_task()
        assert task is not None
        self._viewers.add(task)
        try:
            return await self.handle_websocket(request)
        finally:
            self._viewers.discard(task)

    async def _end_viewers(self, app: web.Application) -> None:
        # Cancelled, textual-serve closes the page's socket and tells its app to quit;
        # otherwise aiohttp would wait for each page to leave of its own accord.
        for task in list(self._viewers):
            task.cancel()

    def serve(self, debug: bool = False) -> None:
        """Until Ctrl+C or SIGTERM. textual-serve's own serve() announces the URL before
        the port is open; here it is said once the browser can connect."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        # The viewers' pages end when the server stops: their sockets are closed and
        # each viewer's app told to quit, within a few seconds rather than aiohttp's 60.
        runner = web.AppRunner(
            await self._make_app(), handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            click.echo(f"Serving a read-only live view at {self.url}")
            click.echo("Anyone with this URL can watch; Ctrl+C stops it.")
            sys.stdout.flush()  # read by scripts through a pipe, where it would sit buffered
            await stop.wait()
        finally:
            await runner.cleanup()


def serve_view(session_id: str, db_path: Path, host: str, port: int) -> None:
    """Serve until Ctrl+C (or SIGTERM); a port that cannot be had is one clear line."""
    os.environ["WORKSHOP_DB"] = str(db_path.resolve())
    # Each viewer runs `workshop` found on PATH: put this installation's first, so the
    # command on the page carries no path and still runs this very version.
    scripts = sysconfig.get_path("scripts")
    os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    command = f"workshop view {shlex.quote(session_id)} --live"
    server = TokenServer(command, host, port, secrets.token_urlsafe(16))
    try:
        server.serve()
    except OSError as error:
        raise WorkshopError(
            f"Cannot serve on {host}:{port} ({error.strerror or error}); "
            "choose another --port or --host."
        ) from None
    click.echo("Stopped serving; every viewer's page has ended.", err=True)
