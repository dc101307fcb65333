"""Dialogs of the stakeholder register: one person in full, and a list of people to add.

Saving is the caller's (a function that returns an error message or None), so a refused
save shows its message here and everything typed stays in the dialog to fix. Esc closes
without a question; what was typed and not saved goes back to the pane, which offers it
again the next time the same dialog opens, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from sessions import Influence, Involvement, Stance
from workshop.tui.widgets.text_input import TextInput

SaveFields = Callable[[dict[str, Any]], str | None]
SaveText = Callable[[str], str | None]
LINE_FIELDS = ("name", "role", "team")
ATTRIBUTES: dict[str, tuple[str, list[str]]] = {
    "influence": ("Influence", [v.value for v in Influence]),
    "stance": ("Stance towards marketing", [v.value for v in Stance]),
    "involvement": ("Involvement", [v.value for v in Involvement]),
}


@dataclass
class Closed:
    """How a dialog ended: saved, or closed with what was typed and not saved."""

    saved: bool
    unsaved: dict[str, Any] = field(default_factory=dict)


def _buttons(save: str = "Save") -> Horizontal:
    return Horizontal(
        Button(f"{save} (Ctrl+S)", variant="primary", classes="save"),
        Button("Close (Esc)", classes="cancel"),
        classes="stk-dialog-buttons",
    )


class StakeholderDialog(ModalScreen[Closed]):
    """Every field of one person, notes over several lines included."""

    CSS_PATH = "stakeholder.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="stakeholder_dialog.close"),
        # Not priority (in every dialog): a priority key runs as soon as it arrives, before
        # the letters typed just before it have reached the text box, and saved them cut.
        Binding("ctrl+s", "save", "Save", id="stakeholder_dialog.save"),
        Binding("ctrl+r", "revert", "Revert to saved", id="stakeholder_dialog.revert"),
    ]

    def __init__(
        self,
        heading: str,
        saved: dict[str, Any],
        save: SaveFields,
        unsaved: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.saved_fields = dict(saved)
        self.save_fields = save
        self.restored = dict(unsaved or {})

    def compose(self) -> ComposeResult:
        values = self.saved_fields | self.restored
        with Vertical(classes="stk-dialog-box"):
            yield Label(self.heading, classes="stk-dialog-title", markup=False)
            yield Label("Name")
            yield TextInput(str(values["name"]), id="stk-name", max_length=200)
            with Horizontal(classes="stk-dialog-row"):
                for name in ("role", "team"):
                    yield Vertical(
                        Label(name.capitalize()),
                        TextInput(str(values[name]), id=f"stk-{name}", max_length=200),
                        classes="stk-dialog-field",
                    )
            with Horizontal(classes="stk-dialog-row"):
                for name, (label, choices) in ATTRIBUTES.items():
                    current = values[name]
                    yield Vertical(
                        Label(label),
                        Select(
                            [(choice, choice) for choice in choices],
                            prompt="not set",
                            value=current if current in choices else Select.NULL,
                            id=f"stk-{name}",
                        ),
                        classes="stk-dialog-field",
                    )
            yield Label("Notes (quotes, concerns; several lines are fine)")
            yield TextArea(
                str(values["notes"]), id="stk-notes", soft_wrap=True, tab_behavior="focus"
            )
            yield Static(self._first_message(), classes="stk-dialog-error", markup=False)
            yield Static(
                "Ctrl+S or Enter in a line saves · Esc closes (unsaved typing is kept for "
                "next time) · Ctrl+R reverts to what is saved",
                classes="stk-dialog-hint",
            )
            yield _buttons()

    def _first_message(self) -> str:
        if not self.restored:
            return ""
        return "Your unsaved changes from before are back: Ctrl+S saves them."

    def on_mount(self) -> None:
        self.query_one("#stk-name", Input).focus()

    def snapshot(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            name: self.query_one(f"#stk-{name}", Input).value for name in LINE_FIELDS
        }
        for name in ATTRIBUTES:
            value = self.query_one(f"#stk-{name}", Select).value
            values[name] = value if isinstance(value, str) else None
        values["notes"] = self.query_one("#stk-notes", TextArea).text
        return values

    def changes(self) -> dict[str, Any]:
        """What differs from the saved person."""
        return {k: v for k, v in self.snapshot().items() if v != self.saved_fields.get(k)}

    def show_error(self, message: str) -> None:
        self.query_one(".stk-dialog-error", Static).update(message)

    @on(Button.Pressed, ".save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        error = self.save_fields(self.snapshot())
        if error:
            self.show_error(error)  # everything typed stays to fix it
            return
        self.dismiss(Closed(saved=True))

    @on(Button.Pressed, ".cancel")
    def action_close(self) -> None:
        self.dismiss(Closed(saved=False, unsaved=self.changes()))

    def action_revert(self) -> None:
        for name in LINE_FIELDS:
            self.query_one(f"#stk-{name}", Input).value = str(self.saved_fields[name])
        for name, (_, choices) in ATTRIBUTES.items():
            current = self.saved_fields[name]
            self.query_one(f"#stk-{name}", Select).value = (
                current if current in choices else Select.NULL
            )
        self.query_one("#stk-notes", TextArea).load_text(str(self.saved_fields["notes"]))
        self.show_error("")


class AddLinesDialog(ModalScreen[Closed]):
    """Several people at once, one per line: 'Name, Role, Team, notes…'."""

    CSS_PATH = "stakeholder.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="stakeholder_lines.close"),
        Binding("ctrl+s", "save", "Add them", id="stakeholder_lines.save"),
    ]

    def __init__(self, text: str, save: SaveText, message: str = "") -> None:
        super().__init__()
        self.text = text
        self.save_text = save
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="stk-dialog-box"):
            yield Label(
                "Add several people: one per line, Name, Role, Team, notes…",
                classes="stk-dialog-title",
            )
            yield TextArea(self.text, id="stk-lines", soft_wrap=False, tab_behavior="focus")
            yield Static(self.message, classes="stk-dialog-error", markup=False)
            yield Static(
                "Ctrl+S adds them all (or none if a line is wrong) · Esc closes and keeps "
                "this text for next time (p)",
                classes="stk-dialog-hint",
            )
            yield _buttons("Add them")

    def on_mount(self) -> None:
        self.query_one("#stk-lines", TextArea).focus()

    @property
    def typed(self) -> str:
        return self.query_one("#stk-lines", TextArea).text

    @on(Button.Pressed, ".save")
    def action_save(self) -> None:
        if not self.typed.strip():
            self.query_one(".stk-dialog-error", Static).update("Type at least one name.")
            return
        error = self.save_text(self.typed)
        if error:
            self.query_one(".stk-dialog-error", Static).update(error)
            return
        self.dismiss(Closed(saved=True))

    @on(Button.Pressed, ".cancel")
    def action_close(self) -> None:
        text = self.typed
        self.dismiss(Closed(saved=False, unsaved={"text": text} if text.strip() else {}))
