"""What the live refresh needs to know about a screen: is someone typing on it?

A change made in another window is drawn only when it cannot take away what a person is
typing here; until then it waits (the app asks again on its next tick).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Input, TextArea


def typing_on(screen: Screen) -> bool:
    """The focused widget is a text field holding text: a redraw could replace it with
    the saved copy, or move the cursor out from under the person typing."""
    focused = screen.focused
    if isinstance(focused, Input):
        return bool(focused.value)
    if isinstance(focused, TextArea):
        return not focused.read_only and bool(focused.text)
    return False
