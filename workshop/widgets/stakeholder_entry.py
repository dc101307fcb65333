"""The fast-entry line of the stakeholder register: one person per Enter, or a pasted list."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

STAGE_KEYS = "12345678"
PLACEHOLDER = "Name, Role, Team, notes…  then Enter (or paste a whole list)"


class StakeholderEntry(Input):
    """An Input that hands a multi-line paste to its pane instead of keeping the first line."""

    BINDINGS = [
        Binding("down", "to_register", "To the register", id="stakeholders.to_register"),
    ]

    class LinesPasted(Message):
        """Several lines were pasted; `text` is what the entry would hold with them in it."""

        def __init__(self, entry: StakeholderEntry, text: str) -> None:
            super().__init__()
            self.entry = entry
            self.text = text

        @property
        def control(self) -> StakeholderEntry:
            return self.entry

    class Leave(Message):
        """Down was pressed: the person wants the register."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("placeholder", PLACEHOLDER)
        kwargs.setdefault("max_length", 5000)
        super().__init__(**kwargs)

    def _stage_key(self, character: str | None) -> bool:
        # While the entry is empty the digits still switch stages (no name starts so).
        return not self.value and character is not None and character in STAGE_KEYS

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if self._stage_key(character):
            return False
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if self._stage_key(event.character):
            event.prevent_default()  # not typed: it goes on up to the stage keys

    def _on_paste(self, event: events.Paste) -> None:
        text = event.text.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" not in text:
            return  # one line: Input's own handler inserts it at the cursor
        event.prevent_default()
        event.stop()
        cursor = self.cursor_position
        start, end = sorted(self.selection) if not self.selection.is_empty else (cursor, cursor)
        combined = self.value[:start] + text + self.value[end:]
        self.post_message(self.LinesPasted(self, combined))

    def action_to_register(self) -> None:
        self.post_message(self.Leave())
