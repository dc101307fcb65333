"""Before anything goes to a model: exactly what will be sent, the option of labels, and
whether to show this before every draft or only the first of each kind in a session."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static


class PreviewChoice(NamedTuple):
    send: bool
    pseudonymise: bool
    every_time: bool  # show the preview before every draft, not once per session and kind


class RequestPreviewDialog(ModalScreen[PreviewChoice]):
    CSS_PATH = "request_preview.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="preview.cancel"),
        Binding("enter", "send", "Send", id="preview.send", priority=True),
        Binding("p", "toggle_labels", "Names ↔ labels", id="preview.labels"),
        Binding("b", "toggle_every_time", "Before every draft", id="preview.every_time"),
    ]

    def __init__(
        self,
        request: dict,
        count: int,
        where: str,
        pseudonymise: bool,
        rebuild: Callable[[bool], dict],
        every_time: bool = False,
    ) -> None:
        super().__init__()
        self.request = request
        self.count = count
        self.where = where
        self.pseudonymise = pseudonymise
        self.rebuild = rebuild  # (pseudonymise) -> the first request again
        self.every_time = every_time

    def compose(self) -> ComposeResult:
        with Vertical(id="preview"):
            yield Static("", id="preview-title", markup=False)
            with VerticalScroll(id="preview-body"):
                yield Static("", id="preview-text", markup=False)
            yield Checkbox("Replace people's names with labels (p)", self.pseudonymise, id="labels")
            yield Checkbox(
                "Show this before every draft (b); "
                "otherwise only the first time for each kind of draft",
                self.every_time,
                id="every-time",
            )
            with Horizontal(id="preview-buttons"):
                yield Button("Send (Enter)", variant="primary", id="send")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        many = f"{self.count} requests" if self.count != 1 else "1 request"
        self.query_one("#preview-title", Static).update(
            f"{many} to {self.where}. The first, exactly as it will be sent "
            f"({'about ' if self.request.get('tokens_approximate') else ''}"
            f"{self.request['tokens']:,} tokens"
            f"{', an approximate count' if self.request.get('tokens_approximate') else ''}):"
        )
        parts = []
        for message in self.request["messages"]:
            parts.append(f"── {message['role']} ──\n{message['content']}")
        fmt = self.request.get("response_format", {}).get("type", "text")
        parts.append(f"── answer format: {fmt} ──")
        self.query_one("#preview-text", Static).update("\n\n".join(parts))

    @on(Checkbox.Changed, "#labels")
    def labels_changed(self, event: Checkbox.Changed) -> None:
        if event.value != self.pseudonymise:
            self.pseudonymise = event.value
            self.request = self.rebuild(self.pseudonymise)
            self._show()

    def action_toggle_labels(self) -> None:
        self.query_one("#labels", Checkbox).toggle()

    def action_toggle_every_time(self) -> None:
        self.query_one("#every-time", Checkbox).toggle()

    def _choice(self, send: bool) -> PreviewChoice:
        return PreviewChoice(send, self.pseudonymise, self.query_one("#every-time", Checkbox).value)

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        self.dismiss(self._choice(True))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(self._choice(False))
