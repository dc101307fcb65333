"""Writing or editing one discussion question: its topic and its text.

Saving is the caller's (a callback that returns an error message or None), so a refused
save shows its message here and the text stays to fix. Esc asks before dropping changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static, TextArea

SaveQuestion = Callable[[dict[str, Any]], str | None]


class QuestionDialog(ModalScreen[dict[str, Any] | None]):
    CSS_PATH = "question.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="question.cancel"),
        Binding("ctrl+s", "save", "Save", id="question.save"),
    ]

    def __init__(
        self,
        title: str,
        question: dict[str, Any],
        topics: list[tuple[str, str]],
        save: SaveQuestion,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.question = {"topic": question.get("topic", ""), "text": question.get("text", "")}
        self.topics = list(topics)  # (id, title)
        topic = str(self.question["topic"])
        if topic and topic not in {t for t, _ in self.topics}:
            self.topics.append((topic, topic))  # a topic the model named: kept as it is
        self.save_question = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="question-dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Label("Topic")
            yield Select(
                [(Text(title), tid) for tid, title in self.topics],
                value=self.question["topic"] or Select.NULL,
                prompt="No topic",
                id="question-topic",
            )
            yield Label("Question")
            yield TextArea(
                str(self.question["text"]), id="question-text", soft_wrap=True, tab_behavior="focus"
            )
            yield Static("", id="question-error", markup=False)
            yield Static("Ctrl+S save · Esc cancel", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", variant="primary", id="save")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#question-text", TextArea).focus()

    def form(self) -> dict[str, Any]:
        topic = self.query_one("#question-topic", Select).value
        return {
            "topic": "" if topic == Select.NULL else str(topic),
            "text": self.query_one("#question-text", TextArea).text.strip(),
        }

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        question = self.form()
        error = (
            "A question needs its text." if not question["text"] else self.save_question(question)
        )
        if error:
            self.query_one("#question-error", Static).update(error)
            return
        self.dismiss(question)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.form() == {
            "topic": str(self.question["topic"]),
            "text": str(self.question["text"]).strip(),
        }:
            self.dismiss(None)
            return
        from workshop.tui.dialogs.common import ConfirmDialog

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Drop the changes to this question?", yes="Drop", no="Keep editing"),
            answered,
        )
