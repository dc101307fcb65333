"""The Textual application: a thin front end over the service layer."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from sessions.text import clean_text
from workshop.paths import config_path
from workshop.tui.key_guide import key_entries
from workshop.tui.preview_memory import PreviewMemory
from workshop.tui.screens.home import HomeScreen
from workshop.tui.ui_state import THEMES, load_keymap, load_state, save_state

if TYPE_CHECKING:
    from workshop.service.facade import WorkshopService

PASTE_MAX = 100_000  # characters in one paste: a list of a thousand people fits
# How often the app asks SQLite whether another window or the CLI committed: one cheap
# PRAGMA, so a change shows in under a second without costing the UI anything.
LIVE_POLL_SECONDS = 0.75


class WorkshopApp(App[None]):
    TITLE = "Strategy Workshop"
    # Home is the default screen (see get_default_screen), and Textual reads a screen's
    # own CSS_PATH only when the screen is pushed: the app reads it instead.
    CSS_PATH = "screens/home.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", id="app.theme"),
    ]

    def __init__(
        self,
        service: WorkshopService | None = None,
        remember: bool = True,
        db_path: Path | None = None,
        open_session: str | None = None,
    ) -> None:
        """Give a service, or a database path to open once the first screen is up;
        open_session (a whole id) goes straight to that session, with home beneath it."""
        super().__init__()
        self.service = service
        self.db_path = db_path
        self.open_session = open_session
        # Made with the service, before any screen reads from it: a commit elsewhere in
        # between would otherwise be neither read nor noticed.
        self._watch = service.watch() if service is not None else None
        self._live_pending = False  # a change seen elsewhere, not yet redrawn
        self._keymap_read: dict[str, str] = {}
        # Tests pass remember=False so they neither read nor write the user's preferences.
        self.remember = remember
        self.preview_memory = PreviewMemory(persist=self._remember_preview_every_time)

    def get_default_screen(self) -> Screen:
        """Home is the base of the screen stack, composed with the app itself: pushed from
        on_mount instead, its first frame would wait for a second compose and a refresh
        tick (about 25 ms of start-up)."""
        if self.remember and config_path().is_file():
            # Before the screen exists, so its footer shows the user's keys from the start.
            # Without a config file there is nothing to read (nor tomllib to load).
            from workshop.tui.keymap_check import usable

            self._keymap_read = load_keymap()
            self.set_keymap(usable(self._keymap_read))
        return HomeScreen(self.service)

    def on_mount(self) -> None:
        if self.remember:
            state = load_state()
            if state.get("theme") in THEMES:
                self.theme = state["theme"]
            self.preview_memory = PreviewMemory(
                state.get("preview_every_time") is True, self._remember_preview_every_time
            )
        if self._keymap_read:
            self.call_after_refresh(
                lambda: self.run_worker(self._check_keymap(), exit_on_error=False)
            )
        if self.service is None:
            home = self.screen_stack[0]
            assert isinstance(home, HomeScreen)
            # After the first frame: the screen must not wait for the database's imports.
            self.call_after_refresh(
                lambda: self.run_worker(self._open_database(home), exit_on_error=False)
            )
        else:
            self.sub_title = str(self.service.db_path)
            self._opened(self.screen_stack[0])
        self.set_interval(LIVE_POLL_SECONDS, self._poll_live)

    def _opened(self, home: Screen) -> None:
        if self.open_session is not None and isinstance(home, HomeScreen):
            self.call_after_refresh(home.open_session, self.open_session)

    def _poll_live(self) -> None:
        """Redraw what another window or the CLI committed. The screen on top decides
        whether it can redraw now (returns True) or must wait, because someone is typing
        or a dialog is open; the change then stays pending for the next tick."""
        if self.service is None:
            return
        from sessions import StoreError

        try:
            if self._watch is not None and self._watch.changed():
                self._live_pending = True
        except StoreError:
            return  # the database is unusable for now; the next save or read says why
        if self._live_pending:
            refresh = getattr(self.screen, "live_refresh", None)
            if refresh is not None and refresh():
                self._live_pending = False

    async def _open_database(self, home: HomeScreen) -> None:
        """The store's imports (pydantic, sqlite-utils) load off the UI thread, after the
        first screen is drawn; the connection itself is made here, on the UI thread."""
        from workshop.tui.screens.error import DatabaseErrorScreen

        await asyncio.to_thread(importlib.import_module, "workshop.service.facade")
        from sessions import DatabaseError
        from workshop.service.facade import WorkshopService

        try:
            self.service = WorkshopService.open(self.db_path)
            self._watch = self.service.watch()
        except DatabaseError as error:
            self.push_screen(DatabaseErrorScreen(str(error)))
            return
        self.sub_title = str(self.service.db_path)
        home.service_ready(self.service)
        self._opened(home)

    async def _check_keymap(self) -> None:
        """Said once, after the first screen: knowing every binding id means importing
        every screen, which the start must not wait for."""
        from workshop.tui.keymap_check import keymap_problems

        problems = await asyncio.to_thread(keymap_problems, self._keymap_read)
        if problems:
            self.notify(
                f"In [keys] of {config_path()}: " + "; ".join(problems) + ". The other keys "
                "work as set; ? lists every key with its id.",
                title="Some keys in the config file are not used",
                severity="warning",
                timeout=15,
                markup=False,
            )

    async def on_event(self, event: events.Event) -> None:
        # Pasted text goes into fields as it is and is drawn before any save cleans it:
        # escape sequences and control characters are dropped here, at the door.
        if isinstance(event, events.Paste) and not event.is_forwarded:
            if len(event.text) > PASTE_MAX:
                # A text box holding megabytes would slow every keystroke, and no field
                # keeps more than 20,000 characters: refuse it whole, change nothing.
                self.notify(
                    f"That paste is {len(event.text):,} characters; one paste can bring at "
                    f"most {PASTE_MAX:,}. Nothing was pasted. For a long list of people, "
                    "import a CSV file on stage 2 (c).",
                    title="Too long to paste",
                    severity="error",
                    timeout=10,
                )
                return
            cleaned = clean_text(event.text)
            if cleaned != event.text:
                event = events.Paste(cleaned)
        await super().on_event(event)

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        if self.remember:
            save_state(theme=self.theme)

    def _remember_preview_every_time(self, every_time: bool) -> None:
        if self.remember:
            save_state(preview_every_time=every_time)

    def action_help(self) -> None:
        from workshop.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(key_entries(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action a key can take here, once, by its name; then Textual's own
        commands that no key of ours already offers (its Quit and Keys would repeat)."""
        entries = key_entries(screen)
        offered = {entry.description for entry in entries}
        for entry in entries:
            yield SystemCommand(
                entry.description,
                f"{entry.section} · key {entry.keys_text}",
                partial(entry.node.run_action, entry.binding.action),
            )
        for command in super().get_system_commands(screen):
            if command.title not in offered:
                yield command

    def on_unmount(self) -> None:
        if self.service is not None:
            self.service.close()


def run_app(db_path: Path | None = None, open_session: str | None = None) -> int:
    """Run the app (at one session, given its whole id); the exit code says whether the
    database could be used."""
    app = WorkshopApp(db_path=db_path, open_session=open_session)
    app.run()
    return app.return_code or 0
