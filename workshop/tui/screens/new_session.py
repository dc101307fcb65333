"""A small dialog to start a session: a title (required) and the organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from sessions import StoreError
from workshop.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from workshop.service.facade import WorkshopService


class NewSessionScreen(ModalScreen[str | None]):
    """Dismisses with the new session's id once it is saved, or None if cancelled."""

    CSS_PATH = "new_session.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new_session.cancel"),
        Binding("ctrl+s", "create", "Create", id="new_session.create"),
    ]

    def __init__(self, service: WorkshopService) -> None:
        super().__init__()
        self.service = service
        self._leaving_title = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("New workshop session", id="dialog-title")
            yield Label("Title")
            yield TextInput(placeholder="e.g. Q3 marketing strategy", id="title", max_length=200)
            yield Label("Organisation")
            yield TextInput(placeholder="optional", id="organisation", max_length=200)
            yield Static("", id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Create", variant="primary", id="create")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        # Focus moves a moment later, so a second Enter typed quickly still reaches the
        # title: it means "create", as it would from the organisation field.
        if event.input.id == "title" and not self._leaving_title:
            self._leaving_title = True
            self.query_one("#organisation", Input).focus()
        else:
            self.action_create()

    @on(events.DescendantFocus)
    def field_focused(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "title":
            self._leaving_title = False

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        title = self.query_one("#title", Input).value
        organisation = self.query_one("#organisation", Input).value
        try:
            session = self.service.sessions.new(title=title, organisation=organisation)
        except StoreError as error:
            # The dialog stays open with what was typed, so nothing is lost.
            self.query_one("#error", Static).update(str(error).replace("brief: title:", "Title"))
            self.query_one("#title", Input).focus()
            return
        self.dismiss(session.id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
