"""What changed since the session a follow-up continues: one plain sentence a line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from workshop.rules.compare import Change


class ChangesScreen(ModalScreen[None]):
    CSS_PATH = "changes.tcss"
    BINDINGS = [Binding("escape,q,c", "dismiss", "Close", id="changes.close")]

    def __init__(self, earlier: str, later: str, changes: list[Change]) -> None:
        super().__init__()
        self.earlier, self.later, self.changes = earlier, later, changes

    def compose(self) -> ComposeResult:
        with Vertical(id="changes-box"):
            yield Static(
                Text(f"What changed from “{self.earlier}” to “{self.later}”", style="bold"),
                id="changes-title",
            )
            with VerticalScroll(id="changes-list"):
                if not self.changes:
                    yield Static("Nothing has changed yet.", markup=False)
                for change in self.changes:
                    yield Static(f"• {change.sentence()}", markup=False, classes="change")
            yield Static("Esc to close", id="changes-hint", markup=False)
