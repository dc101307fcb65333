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
from workshop.tui.screens.help import all_bindings
from workshop.tui.screens.home import HomeScreen
from workshop.tui.ui_state import THEMES, load_keymap, load_state, save_state

if TYPE_CHECKING:
    from workshop.service.facade import WorkshopService

PASTE_MAX = 100_000  # characters in one paste: a list of a thousand people fits


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
    ) -> None:
        """Give a service, or a database path to open once the first screen is up."""
        super().__init__()
        self.service = service
        self.db_path = db_path
        self._keymap_read: dict[str, str] = {}
        # Tests pass remember=False so they neither read nor write the user's preferences.
        self.remember = remember

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

    async def _open_database(self, home: HomeScreen) -> None:
        """The store's imports (pydantic, sqlite-utils) load off the UI thread, after the
        first screen is drawn; the connection itself is made here, on the UI thread."""
        from workshop.tui.screens.error import DatabaseErrorScreen

        await asyncio.to_thread(importlib.import_module, "workshop.service.facade")
        from sessions import DatabaseError
        from workshop.service.facade import WorkshopService

        try:
            self.service = WorkshopService.open(self.db_path)
        except DatabaseError as error:
            self.push_screen(DatabaseErrorScreen(str(error)))
            return
        self.sub_title = str(self.service.db_path)
        home.service_ready(self.service)

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

    def action_help(self) -> None:
        from workshop.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(all_bindings(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key's action is in the command palette too."""
        yield from super().get_system_commands(screen)
        for node, binding in all_bindings(screen):
            if binding.description:
                yield SystemCommand(
                    binding.description,
                    f"{binding.key_display or binding.key} · {binding.id or binding.action}",
                    partial(node.run_action, binding.action),
                )

    def on_unmount(self) -> None:
        if self.service is not None:
            self.service.close()


def run_app(db_path: Path | None = None) -> int:
    """Run the app; the exit code says whether the database could be used."""
    app = WorkshopApp(db_path=db_path)
    app.run()
    return app.return_code or 0
