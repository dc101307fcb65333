"""`?`: what the keys do here, the shown stage's first, in the footer's key names."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from workshop.tui.key_guide import KeyEntry


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, entries: list[KeyEntry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        yield Static("Keys  (Esc to close)", id="help-title")
        yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        yield Static(
            "Any key can be changed in config.toml under [keys], by the name in the last "
            'column, e.g.  "workshop.back" = "ctrl+b"',
            id="help-footer",
            markup=False,
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Name in config.toml")
        section = None
        for entry in self.entries:
            if entry.section != section:
                section = entry.section
                table.add_row(Text(section, style="bold"), Text(""), Text(""))
            table.add_row(
                Text(f"  {entry.keys_text}"),
                Text(entry.description),
                Text(entry.binding.id or "", style="dim"),
            )
        table.focus()
