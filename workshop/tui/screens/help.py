"""`?`: every key of the current screen, with the binding ids a config file can remap."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


def all_bindings(screen: Screen) -> list[tuple[DOMNode, Binding]]:
    """The app's, the screen's and every widget's own bindings, once each."""
    nodes: list[DOMNode] = [screen.app, screen, *screen.walk_children()]
    seen: set[tuple[str, str]] = set()
    found = []
    for node in nodes:
        for binding in getattr(type(node), "BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.id:
                continue  # only our own bindings have ids; widgets' built-ins stay out
            key = (binding.id, binding.action)
            if key not in seen:
                seen.add(key)
                found.append((node, binding))
    return found


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, bindings: list[tuple[DOMNode, Binding]]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        yield Static("Keys  (Esc to close)", id="help-title")
        yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        yield Static(
            'Remap a key in config.toml, e.g.  [keys]  "workshop.back" = "ctrl+b"',
            id="help-footer",
            markup=False,
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Binding id")
        for _node, binding in self.bindings:
            key = self.app.get_key_display(binding)
            table.add_row(
                Text(key), Text(binding.description or binding.action), Text(binding.id or "")
            )
        table.focus()
