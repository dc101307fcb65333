"""Before anything goes to a model: exactly what will be sent, and the option of labels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

PreviewChoice = tuple[bool, bool]  # (send, pseudonymise)


class RequestPreviewDialog(ModalScreen[PreviewChoice]):
    CSS_PATH = "request_preview.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="preview.cancel"),
        Binding("enter", "send", "Send", id="preview.send", priority=True),
        Binding("p", "toggle_labels", "Names ↔ labels", id="preview.labels"),
    ]

    def __init__(self, request: dict, count: int, where: str, pseudonymise: bool, rebuild) -> None:
        super().__init__()
        self.request = request
        self.count = count
        self.where = where
        self.pseudonymise = pseudonymise
        self.rebuild = rebuild  # (pseudonymise) -> the first request again

    def compose(self) -> ComposeResult:
        with Vertical(id="preview"):
            yield Static("", id="preview-title", markup=False)
            with VerticalScroll(id="preview-body"):
                yield Static("", id="preview-text", markup=False)
            yield Checkbox("Replace people's names with labels (p)", self.pseudonymise, id="labels")
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

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        self.dismiss((True, self.pseudonymise))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss((False, self.pseudonymise))
