"""Dialogs of the progress stage: a measurement, what happened to a plan entry, an impact
update's words, and a seat that changed hands.

As in the plan's dialogs, saving is the caller's: a refused save shows its one line here
and everything typed stays to fix it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from sessions import PlanStatus
from workshop.rules.plan_entries import parse_date
from workshop.tui.dialogs.plan import EditDialog, SaveBody, dialog_buttons, labelled_input
from workshop.tui.widgets.text_input import TextInput

KEYS = "Ctrl+S or Enter in a field saves · Esc cancels"


def _bindings(name: str) -> list[Binding]:
    return [
        Binding("escape", "cancel", "Cancel", id=f"{name}.cancel"),
        Binding("ctrl+s", "save", "Save", id=f"{name}.save"),
    ]


def _frame(title: str, *fields, hint: str = KEYS) -> Vertical:
    return Vertical(
        Label(title, classes="plan-dialog-title", markup=False),
        VerticalScroll(*fields, classes="plan-dialog-fields", can_focus=False),
        Static("", classes="plan-dialog-error"),
        Static(hint, classes="plan-dialog-hint"),
        dialog_buttons(),
        classes="plan-dialog-box",
    )


def _day(label: str, raw: str) -> date | str:
    """A typed day, today when left empty, or the one line saying what is wrong."""
    parsed = parse_date(label, raw)
    return date.today() if parsed is None else parsed


class MeasurementDialog(EditDialog):
    """A value for an approved outcome's metric, on a day, from a source."""

    BINDINGS = _bindings("measurement")

    def __init__(self, outcome: str, metric: str, save: SaveBody) -> None:
        super().__init__(save)
        self.outcome, self.metric = outcome, metric

    def compose(self) -> ComposeResult:
        yield _frame(
            f"Measure: {self.outcome}",
            Static(f"Metric: {self.metric or 'not named'}", classes="plan-dialog-needs"),
            Horizontal(
                Vertical(
                    Label("Value (a number; 18% or 1,200 are fine)"),
                    TextInput(id="measure-value", max_length=40, classes="plan-dialog-first"),
                    classes="plan-dialog-field",
                ),
                labelled_input("Measured on (YYYY-MM-DD; empty: today)", "measure-on", None, 10),
                classes="plan-dialog-row",
            ),
            labelled_input("Source", "measure-source", None, 200, "e.g. CRM report, GA4"),
            labelled_input("Note", "measure-note", None, 500, "anything the number needs"),
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            name: self.query_one(f"#measure-{name}", Input).value
            for name in ("value", "on", "source", "note")
        }

    def body(self) -> dict[str, Any] | str:
        typed = self.snapshot()
        if not typed["value"].strip():
            return "Give the measured value, such as 42 or 18.5."
        on = _day("Measured on", typed["on"])
        if isinstance(on, str):
            return on
        return typed | {"on": on}


class PlanStatusDialog(EditDialog):
    """What happened to a plan entry, from which day, and why."""

    BINDINGS = _bindings("plan_status")

    def __init__(self, entry: str, current: PlanStatus, save: SaveBody) -> None:
        super().__init__(save)
        self.entry, self.current = entry, current

    def compose(self) -> ComposeResult:
        yield _frame(
            f"What happened: {self.entry}",
            Label("Status"),
            Select(
                [(s.value, s.value) for s in PlanStatus],
                value=self.current.value,
                allow_blank=False,
                id="status-value",
                classes="plan-dialog-first",
            ),
            labelled_input("From (YYYY-MM-DD; empty: today)", "status-on", None, 10),
            labelled_input("Note", "status-note", None, 500, "e.g. moved to October: agency late"),
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            "status": self.query_one("#status-value", Select).value,
            "on": self.query_one("#status-on", Input).value,
            "note": self.query_one("#status-note", Input).value,
        }

    def body(self) -> dict[str, Any] | str:
        typed = self.snapshot()
        on = _day("From", typed["on"])
        if isinstance(on, str):
            return on
        return typed | {"on": on}


class UpdateDialog(EditDialog):
    """An impact update's headline and text, edited into the segment's own terms."""

    BINDINGS = _bindings("update")

    def __init__(self, segment: str, terms: str, body: dict[str, Any], save: SaveBody) -> None:
        super().__init__(save)
        self.segment, self.terms, self.update = segment, terms, body

    def compose(self) -> ComposeResult:
        yield _frame(
            f"Impact update for {self.segment} · {self.update.get('period', '')}",
            Static(
                f"In their terms: {self.terms}" if self.terms else "",
                classes="plan-dialog-needs",
                markup=False,
            ),
            Label("Headline"),
            TextInput(
                str(self.update.get("headline", "")),
                id="update-headline",
                max_length=200,
                classes="plan-dialog-first",
            ),
            Label("Text (Markdown, as it is sent)"),
            TextArea(
                str(self.update.get("text", "")),
                id="update-text",
                soft_wrap=True,
                tab_behavior="focus",
            ),
            hint="Ctrl+S saves · Esc cancels · a figure nobody recorded is for you to check",
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            "headline": self.query_one("#update-headline", Input).value,
            "text": self.query_one("#update-text", TextArea).text,
        }

    def body(self) -> dict[str, Any] | str:
        typed = self.snapshot()
        if not typed["headline"].strip():
            return "An update needs a headline."
        if not typed["text"].strip():
            return "An update needs its text."
        return self.update | {"headline": typed["headline"].strip(), "text": typed["text"]}


class SeatDialog(EditDialog):
    """Someone left their seat, and who (if anyone) took it over."""

    BINDINGS = _bindings("seat")

    def __init__(self, people: list[tuple[str, str]], save: SaveBody) -> None:
        super().__init__(save)
        self.people = people  # (name, label) of those still in their seat

    def compose(self) -> ComposeResult:
        yield _frame(
            "A seat changed hands",
            Label("Who left"),
            Select(
                [(Text(label), name) for name, label in self.people],
                prompt="Choose the person who left",
                id="seat-person",
                classes="plan-dialog-first",
            ),
            labelled_input(
                "Replaced by (their name; empty if nobody yet)", "seat-newcomer", None, 200, "-"
            ),
            labelled_input("Left on (YYYY-MM-DD; empty: today)", "seat-on", None, 10),
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#seat-person", Select).value,
            "replaced_by": self.query_one("#seat-newcomer", Input).value,
            "on": self.query_one("#seat-on", Input).value,
        }

    def body(self) -> dict[str, Any] | str:
        typed = self.snapshot()
        if not isinstance(typed["name"], str):
            return "Choose the person who left."
        on = _day("Left on", typed["on"])
        if isinstance(on, str):
            return on
        return typed | {"on": on, "replaced_by": typed["replaced_by"].strip() or None}
