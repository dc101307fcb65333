"""When the database cannot be used: say why, plainly, and let the person leave."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static


class DatabaseErrorScreen(Screen[None]):
    CSS_PATH = "error.tcss"
    BINDINGS = [Binding("escape,q,enter", "leave", "Quit", id="error.quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Static("The workshop database cannot be opened", id="error-title")
            yield Static(self.message, id="error-message", markup=False)
            # Opening changes nothing whatever went wrong; said once, here or in the message.
            said = "nothing was changed" in self.message.casefold()
            yield Static(
                ("" if said else "Nothing was changed. ")
                + "Press q to quit; `workshop --db OTHER.db` opens another file.",
                id="error-hint",
                markup=False,
            )

    def action_leave(self) -> None:
        from workshop.errors import EXIT_DATABASE

        self.app.exit(return_code=EXIT_DATABASE)
