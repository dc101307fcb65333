"""Typing that lands where nothing takes text: a capital letter (how a name or a sentence
starts) on a widget whose letters are commands.

In the register, "Nina Berg, Head of RevOps" typed with the table focused changed an
influence (`i`) and opened Add (`a`); in Discussions an answer typed on a question opened
the question's editor (`e`). With the guard, the capital letter and every key typed
after it without a pause are text: they go, in the order typed, into the field where
they belong (the register's entry line, the speaker's answer box), and the focus follows
once the typing pauses. Where there is no such field, the keys do nothing and one line
says where to type. A lower-case letter on its own is still the command it always was.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object  # a plain mixin: a Widget base would upset the widget's own CSS classes

PAUSE = 0.6  # seconds without a key that end a burst of typing


def starts_typing(event: events.Key) -> bool:
    character = event.character
    return bool(character) and character.isalpha() and character.isupper()


class TypingGuard(_Base):
    """Mix into a focusable widget that takes no text (put it before the widget class)."""

    def typing_target(self) -> Input | TextArea | None:
        """The field typed text belongs in, or None."""
        return None

    def typing_refused(self) -> str:
        """What to say when typing lands here and there is no field for it."""
        return "Nothing to type into here."

    def _guarded(self) -> bool:
        return monotonic() < getattr(self, "_guard_until", 0.0)

    async def on_key(self, event: events.Key) -> None:
        following = self._guarded()
        if not following and not starts_typing(event):
            return
        text_key = event.is_printable or event.key == "backspace"
        if following and not text_key:
            # Enter, Tab, an arrow: the typing is over. The field takes the focus and this
            # key too (Enter in the entry line adds the person typed).
            target = getattr(self, "_guard_target", None)
            self._hand_over()
            if target is not None:
                event.stop()
                event.prevent_default()
                target.post_message(events.Key(event.key, event.character))
            return
        event.stop()
        event.prevent_default()
        self._guard_until = monotonic() + PAUSE
        if not following:
            self._guard_target = self.typing_target()
            if self._guard_target is None:
                self.notify(self.typing_refused(), severity="warning", timeout=6)
        target = getattr(self, "_guard_target", None)
        if target is None:
            return
        # Typed straight into the field, in this widget's order of keys: the focus moves
        # only after the burst, so keys already on their way here cannot overtake these.
        if event.key == "backspace":
            target.action_delete_left()
        elif isinstance(target, Input):
            target.insert_text_at_cursor(event.character or "")
        else:
            target.insert(event.character or "")
        timer = getattr(self, "_guard_timer", None)
        if timer is not None:
            timer.stop()
        self._guard_timer = self.set_timer(PAUSE, self._hand_over)

    def _hand_over(self) -> None:
        self._guard_until = 0.0
        target = getattr(self, "_guard_target", None)
        self._guard_target = None
        if target is not None and target.is_mounted:
            target.focus()
