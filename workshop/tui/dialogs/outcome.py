"""Writing or editing one outcome statement, with its checks updating as it is typed.

An empty baseline, target or due date is saved as unknown (None): the checks then say a
person must give it. Saving is the caller's (a callback returning an error message or
None), so a refused save shows its message here and the text stays to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static, TextArea

from workshop.rules.outcome_checks import Finding
from workshop.tui.widgets.outcome_card import checks_content
from workshop.tui.widgets.text_input import TextInput

CheckOutcome = Callable[[dict[str, Any]], list[Finding]]
SaveOutcome = Callable[[dict[str, Any]], str | None]
OPTIONAL = ("baseline", "target", "due")  # empty means unknown
UNKNOWN_HINT = "empty = unknown"


class OutcomeDialog(ModalScreen[dict[str, Any] | None]):
    CSS_PATH = "outcome.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="outcome.cancel"),
        Binding("ctrl+s", "save", "Save", id="outcome.save"),
    ]

    def __init__(
        self,
        title: str,
        body: dict[str, Any] | None,
        check: CheckOutcome,
        save: SaveOutcome,
        priorities: Sequence[str] = (),
        names: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.body = body or {}
        self.check = check
        self.save_outcome = save
        self.priorities = list(priorities)
        self.names = list(names)
        self._initial: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        body = self.body
        with Vertical(classes="dialog", id="outcome-dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            with Horizontal(id="outcome-body"):
                with VerticalScroll(id="outcome-fields"):
                    yield Label("Result — what changes in the business")
                    yield _area("result", str(body.get("result") or ""))
                    yield Label("Metric — how it is measured")
                    yield _input("metric", body.get("metric"))
                    with Horizontal(classes="outcome-row"):
                        yield _field("Baseline (today)", _input("baseline", body.get("baseline")))
                        yield _field("Target", _input("target", body.get("target")))
                    with Horizontal(classes="outcome-row"):
                        yield _field("Due (date or time frame)", _input("due", body.get("due")))
                        yield _field("Owner", _input("owner", body.get("owner")))
                    yield Label("Business priority it serves")
                    yield _input("priority", body.get("priority"), self.priorities)
                    yield Label("Stakeholders invested (comma-separated names)")
                    yield _input("stakeholders", ", ".join(body.get("stakeholders") or []))
                    yield Label("Leading indicators (one per line)")
                    yield _area(
                        "leading_indicators", "\n".join(body.get("leading_indicators") or [])
                    )
                with VerticalScroll(id="outcome-checks-box"):
                    yield Static("", id="outcome-checks")
            yield Static("", id="outcome-error", markup=False)
            yield Static(
                "Ctrl+S save · Esc cancel · an empty baseline, target or due date is saved as "
                "unknown",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", variant="primary", id="save")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self._initial = self.form()
        self._show_checks()
        self.query_one("#result", TextArea).focus()

    def form(self) -> dict[str, Any]:
        """The statement as typed now."""

        def value(name: str) -> str:
            return self.query_one(f"#{name}", Input).value.strip()

        body: dict[str, Any] = {
            "result": self.query_one("#result", TextArea).text.strip(),
            "metric": value("metric"),
            "owner": value("owner"),
            "priority": value("priority"),
            "stakeholders": [n.strip() for n in value("stakeholders").split(",") if n.strip()],
            "leading_indicators": [
                line.strip()
                for line in self.query_one("#leading_indicators", TextArea).text.splitlines()
                if line.strip()
            ],
        }
        for name in OPTIONAL:
            body[name] = value(name) or None
        return body

    @on(Input.Changed)
    @on(TextArea.Changed)
    def changed(self) -> None:
        self._show_checks()

    def _show_checks(self) -> None:
        body = self.form()
        known = {n.casefold() for n in self.names}
        strangers = [n for n in body["stakeholders"] if known and n.casefold() not in known]
        extra = [f"Not in the stakeholder register: {', '.join(strangers)}"] if strangers else []
        self.query_one("#outcome-checks", Static).update(checks_content(self.check(body), extra))

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.focus_next()  # Enter moves on; Ctrl+S saves

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        body = self.form()
        if not body["result"]:
            error = "An outcome needs a result: what changes in the business."
        else:
            error = self.save_outcome(body)
        if error:
            self.query_one("#outcome-error", Static).update(error)  # the text stays to fix
            return
        self.dismiss(body)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.form() == self._initial:
            self.dismiss(None)
            return
        from workshop.tui.dialogs.common import ConfirmDialog

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Drop the changes to this outcome?", yes="Drop", no="Keep editing"),
            answered,
        )


def _input(name: str, value: Any, suggestions: Sequence[str] = ()) -> Input:
    placeholder = UNKNOWN_HINT if name in OPTIONAL else ""
    return TextInput(
        "" if value is None else str(value),
        id=name,
        placeholder=placeholder,
        suggester=SuggestFromList(suggestions, case_sensitive=False) if suggestions else None,
    )


def _area(name: str, text: str) -> TextArea:
    return TextArea(text, id=name, soft_wrap=True, tab_behavior="focus", classes="outcome-area")


def _field(label: str, widget: Input) -> Vertical:
    return Vertical(Label(label), widget, classes="outcome-field")
