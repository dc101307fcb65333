"""Editing one assignment, and moving it to another segment."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

CONFIDENCE = ["low", "medium", "high"]
LIST_FIELDS = ("motivations", "objections", "messages")


class MoveDialog(ModalScreen[str | None]):
    """Pick a segment: arrows and Enter, or its number."""

    CSS_PATH = "segmentation.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="move.cancel"),
        *[Binding(str(n), f"pick({n - 1})", show=False, id=f"move.{n}") for n in range(1, 6)],
    ]

    def __init__(self, who: str, segments: list[tuple[str, str]], current: str) -> None:
        super().__init__()
        self.who = who
        self.segments = segments  # (id, name)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Move {self.who} to…", classes="dialog-title", markup=False)
            yield OptionList(
                *[
                    Option(f"{n}  {name}" + ("  (now)" if sid == self.current else ""), id=sid)
                    for n, (sid, name) in enumerate(self.segments, start=1)
                ],
                id="segments",
            )

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        self.dismiss(self.segments[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class AssignmentDialog(ModalScreen[dict[str, Any] | None]):
    """Edit every field of an assignment. Saving is the caller's, so errors come back here."""

    CSS_PATH = "segmentation.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="assignment.cancel"),
        Binding("ctrl+s", "save", "Save", id="assignment.save"),
    ]

    def __init__(self, who: str, body: dict[str, Any], segments: list[tuple[str, str]], save):
        super().__init__()
        self.who = who
        self.body = body
        self.segments = segments
        self.save_body = save  # (body) -> error message or None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(f"Assignment: {self.who}", classes="dialog-title", markup=False)
            with VerticalScroll(id="fields"):
                with Horizontal(classes="row"):
                    yield Select(
                        [(name, sid) for sid, name in self.segments],
                        value=self.body.get("segment", self.segments[0][0]),
                        allow_blank=False,
                        id="segment",
                    )
                    yield Select(
                        [(c, c) for c in CONFIDENCE],
                        value=self.body.get("confidence", "medium"),
                        allow_blank=False,
                        id="confidence",
                    )
                for name, label in (
                    ("rationale", "Rationale"),
                    ("motivations", "Motivations — what is in it for them (one per line)"),
                    ("objections", "Likely objections (one per line)"),
                    ("approach", "Engagement approach"),
                    ("messages", "Key messages (one per line)"),
                ):
                    yield Label(label)
                    value = self.body.get(name, "")
                    text = "\n".join(value) if isinstance(value, list) else str(value or "")
                    yield TextArea(text, id=name, soft_wrap=True, tab_behavior="focus")
            yield Static("", id="error", markup=False)
            yield Static("Ctrl+S save · Esc cancel (nothing is saved)", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", variant="primary", id="save")
                yield Button("Cancel (Esc)", id="cancel")

    def form(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "segment": self.query_one("#segment", Select).value,
            "confidence": self.query_one("#confidence", Select).value,
        }
        for name in ("rationale", "approach", *LIST_FIELDS):
            text = self.query_one(f"#{name}", TextArea).text
            body[name] = (
                [line.strip() for line in text.splitlines() if line.strip()]
                if name in LIST_FIELDS
                else text
            )
        return body

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        body = self.form()
        error = self.save_body(body)
        if error:
            self.query_one("#error", Static).update(error)  # the text stays to fix it
            return
        self.dismiss(body)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
