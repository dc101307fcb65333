"""The one-line text field the app uses everywhere a person types."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class TextInput(Input):
    """An Input that keeps its text when focused, the cursor at its end. Textual's default
    selects the whole text on focus, so in a filled field (Tab into the brief's title, an
    edit dialog) the next key replaced everything typed before."""

    def __init__(self, *args: Any, select_on_focus: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)
