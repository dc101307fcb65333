"""Dialogs of the plan stage: one calendar entry, and one segment's impact cadence.

Saving is the caller's (a function that returns an error message or None), so a refused
save shows its message here and everything typed stays in the dialog to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from workshop.rules.plan_entries import EXAMPLE_DATE, entry_body
from workshop.tui.dialogs.common import ConfirmDialog
from workshop.tui.widgets.text_input import TextInput

SaveBody = Callable[[dict[str, Any]], str | None]


class EditDialog(ModalScreen[dict[str, Any] | None]):
    """Ctrl+S or Save keeps the dialog open until the save succeeds; Esc asks before
    throwing away anything typed."""

    CSS_PATH = "plan.tcss"

    def __init__(self, save: SaveBody) -> None:
        super().__init__()
        self.save_body = save
        self._initial: dict[str, Any] | None = None

    def on_mount(self) -> None:
        self._initial = self.snapshot()
        self.query(".plan-dialog-first").first().focus()

    def snapshot(self) -> dict[str, Any]:
        raise NotImplementedError

    def body(self) -> dict[str, Any] | str:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.query_one(".plan-dialog-error", Static).update(message)

    @on(Button.Pressed, ".save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        body = self.body()
        if isinstance(body, str):
            self.show_error(body)  # everything typed stays to fix it
            return
        error = self.save_body(body)
        if error:
            self.show_error(error)
            return
        self.dismiss(body)

    @on(Button.Pressed, ".cancel")
    def action_cancel(self) -> None:
        if self.snapshot() == self._initial:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Throw away what you typed here?", yes="Discard", no="Keep editing"),
            answered,
        )


def dialog_buttons() -> Horizontal:
    return Horizontal(
        Button("Save (Ctrl+S)", variant="primary", classes="save"),
        Button("Cancel (Esc)", classes="cancel"),
        classes="plan-dialog-buttons",
    )


class PlanEntryDialog(EditDialog):
    """One calendar entry; its outcome is chosen among the approved outcomes only."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="plan_entry.cancel"),
        Binding("ctrl+s", "save", "Save", id="plan_entry.save"),
    ]

    def __init__(
        self,
        heading: str,
        outcomes: list[tuple[str, str]],
        save: SaveBody,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(save)
        self.heading = heading
        self.outcomes = outcomes  # (id, label) of the approved outcomes
        self.entry = body or {}

    def compose(self) -> ComposeResult:
        entry = self.entry
        approved = {oid for oid, _ in self.outcomes}
        current = entry.get("outcome_id")
        if not entry and len(self.outcomes) == 1:
            current = self.outcomes[0][0]  # a new entry, and only one outcome it can serve
        with Vertical(classes="plan-dialog-box"):
            yield Label(self.heading, classes="plan-dialog-title", markup=False)
            with VerticalScroll(classes="plan-dialog-fields", can_focus=False):
                yield Label("Title")
                yield TextInput(
                    str(entry.get("title", "")),
                    id="plan-title",
                    max_length=200,
                    classes="plan-dialog-first",
                )
                with Horizontal(classes="plan-dialog-row"):
                    yield labelled_input(
                        "Starts (YYYY-MM-DD)", "plan-starts", entry.get("starts"), 40
                    )
                    yield labelled_input("Ends (YYYY-MM-DD)", "plan-ends", entry.get("ends"), 40)
                    yield labelled_input(
                        "Channel", "plan-channel", entry.get("channel"), 200, "e.g. email, webinar"
                    )
                yield Label("Serves the approved outcome")
                yield Select(
                    [(Text(label), oid) for oid, label in self.outcomes],
                    prompt="Choose an approved outcome",
                    value=current if current in approved else Select.NULL,
                    id="plan-outcome",
                )
                yield Label("Description")
                yield TextArea(
                    str(entry.get("description", "")),
                    id="plan-description",
                    soft_wrap=True,
                    tab_behavior="focus",
                )
            yield Static(self._first_message(current, approved), classes="plan-dialog-error")
            yield Static(
                "Ctrl+S or Enter in a field saves · Esc cancels", classes="plan-dialog-hint"
            )
            yield dialog_buttons()

    def _first_message(self, current: str | None, approved: set[str]) -> str:
        if not self.outcomes:
            return "No outcome is approved yet: approve one in stage 5 first."
        if current and current not in approved:
            return "The outcome this entry served is no longer approved: choose an approved one."
        return ""

    def snapshot(self) -> dict[str, Any]:
        return {**self._fields(), "outcome": self.query_one("#plan-outcome", Select).value}

    def _fields(self) -> dict[str, str]:
        values = {
            name: self.query_one(f"#plan-{name}", Input).value
            for name in ("title", "starts", "ends", "channel")
        }
        values["description"] = self.query_one("#plan-description", TextArea).text
        return values

    def body(self) -> dict[str, Any] | str:
        value = self.query_one("#plan-outcome", Select).value
        outcome_id = value if isinstance(value, str) else None
        return entry_body(self._fields(), outcome_id, {oid for oid, _ in self.outcomes})


class CadenceDialog(EditDialog):
    """What impact report one segment gets, and how often."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cadence.cancel"),
        Binding("ctrl+s", "save", "Save", id="cadence.save"),
    ]

    def __init__(
        self, segment: str, segment_name: str, needs: str, save: SaveBody, body: dict | None
    ) -> None:
        super().__init__(save)
        self.segment = segment
        self.segment_name = segment_name
        self.needs = needs
        self.cadence = body or {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="plan-dialog-box"):
            yield Label(
                f"Impact cadence: {self.segment_name}", classes="plan-dialog-title", markup=False
            )
            with VerticalScroll(classes="plan-dialog-fields", can_focus=False):
                if self.needs:
                    yield Static(
                        f"What they need from marketing: {self.needs}",
                        classes="plan-dialog-needs",
                        markup=False,
                    )
                yield Label("The impact report they get (in the terms they care about)")
                yield TextArea(
                    str(self.cadence.get("report", "")),
                    id="cadence-report",
                    soft_wrap=True,
                    tab_behavior="focus",
                    classes="plan-dialog-first",
                )
                yield labelled_input(
                    "How often",
                    "cadence-frequency",
                    self.cadence.get("frequency"),
                    200,
                    placeholder="e.g. monthly, every two weeks, each quarter",
                )
            yield Static("", classes="plan-dialog-error")
            yield Static("Ctrl+S saves · Esc cancels", classes="plan-dialog-hint")
            yield dialog_buttons()

    def snapshot(self) -> dict[str, Any]:
        return {
            "report": self.query_one("#cadence-report", TextArea).text,
            "frequency": self.query_one("#cadence-frequency", Input).value,
        }

    def body(self) -> dict[str, Any] | str:
        typed = self.snapshot()
        if not typed["report"].strip():
            return "Say what impact report this segment gets."
        if not typed["frequency"].strip():
            return "Say how often they get it (e.g. monthly)."
        return {
            "segment": self.segment,
            "report": typed["report"],
            "frequency": typed["frequency"].strip(),
        }


def labelled_input(
    label: str, widget_id: str, value: Any, max_length: int, placeholder: str = ""
) -> Vertical:
    return Vertical(
        Label(label),
        TextInput(
            "" if value is None else str(value),
            id=widget_id,
            max_length=max_length,
            placeholder=placeholder or f"e.g. {EXAMPLE_DATE}",
        ),
        classes="plan-dialog-field",
    )
