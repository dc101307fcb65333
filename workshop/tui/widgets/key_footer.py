"""The footer of key hints, in as many rows as the keys need.

Textual's Footer is one row that cuts off whatever does not fit: at 100 or 120 columns
the last hints ("Keys", "Time box") were lost, and those are the ones a new facilitator
looks for. This one keeps Textual's keys (their look, their click) and starts a second
row, or a third, when the first is full.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

MAX_ROWS = 3


def hint_width(key_display: str, description: str) -> int:
    """Cells a FooterKey takes, with its padding and the gap after it."""
    return cell_len(key_display) + cell_len(description) + 3


def rows_of(widths: list[int], room: int) -> list[list[int]]:
    """Indexes of the hints on each row, filling a row before starting the next."""
    rows: list[list[int]] = [[]]
    used = 0
    for index, width in enumerate(widths):
        if rows[-1] and used + width > room:
            rows.append([])
            used = 0
        rows[-1].append(index)
        used += width
    return rows


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter {
        layout: vertical;
        height: auto;
        max-height: 3;
    }
    KeyFooter > .key-row {
        width: 1fr;
        height: 1;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._laid_out_for = 0

    def _hints(self) -> tuple[list[tuple[Binding, bool, str]], tuple[Binding, bool] | None]:
        """The shown bindings, one per action, and the command palette's key."""
        active = self.screen.active_bindings
        seen: set[str] = set()
        hints = []
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                hints.append((binding, enabled, tooltip))
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = (found[1], found[2])
        return hints, palette

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        hints, palette = self._hints()
        room = self.size.width or self.app.size.width
        self._laid_out_for = room
        displays = [self.app.get_key_display(binding) for binding, _, _ in hints]
        widths = [
            hint_width(display, binding.description)
            for display, (binding, _, _) in zip(displays, hints, strict=True)
        ]
        palette_display = self.app.get_key_display(palette[0]) if palette else ""
        first_room = room - (hint_width(palette_display, palette[0].description) if palette else 0)
        rows = rows_of(widths, first_room)
        if len(rows) > 1:
            # The rows after the first have the whole width: lay those out again.
            rest = [i for row in rows[1:] for i in row]
            again = rows_of([widths[i] for i in rest], room)
            rows = [rows[0]] + [[rest[i] for i in row] for row in again]
        for number, row in enumerate(rows[:MAX_ROWS]):
            with HorizontalGroup(classes="key-row"):
                for index in row:
                    binding, enabled, tooltip = hints[index]
                    yield FooterKey(
                        binding.key,
                        displays[index],
                        binding.description,
                        binding.action,
                        disabled=not enabled,
                        tooltip=tooltip,
                    ).data_bind(compact=Footer.compact)
                if number == 0 and palette:
                    binding, enabled = palette
                    yield FooterKey(
                        binding.key,
                        palette_display,
                        binding.description,
                        binding.action,
                        classes="-command-palette",
                        disabled=not enabled,
                        tooltip=binding.tooltip or binding.description,
                    )

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)
