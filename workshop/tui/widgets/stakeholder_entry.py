"""The fast-entry line of the stakeholder register: one person per Enter, or a pasted list."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

STAGE_KEYS = "123456789"
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
        elif event.key == "enter":
            # Enter is taken here, in the order the keys came, and not as a binding: a
            # binding runs once the key has bubbled up through the screen, and keys that
            # arrived with it (a fast typist, a terminal sending a paste line by line)
            # would be typed into this line first, joining the next person to this one.
            event.prevent_default()
            event.stop()
            await self.action_submit()

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

    async def action_submit(self) -> None:
        # The line leaves the entry at once, before the pane has saved it: keys typed in
        # the meantime (a fast typist, a terminal sending a paste line by line) start the
        # next person instead of joining this one and being cleared with it.
        value = self.value
        with self.prevent(Input.Changed):
            self.value = ""
        self.post_message(self.Submitted(self, value, None))

    def action_to_register(self) -> None:
        self.post_message(self.Leave())
