"""A session, read-only: the brief, the people and what has been decided so far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from workshop.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from sessions import SessionRecord
    from workshop.service.facade import WorkshopService


class SessionViewScreen(Screen[None]):
    CSS_PATH = "session_view.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="session_view.back"),
    ]

    def __init__(self, service: WorkshopService, record: SessionRecord) -> None:
        super().__init__()
        self.service = service
        self.record = record

    def compose(self) -> ComposeResult:
        yield Header()
        # The export escapes all user text, so the Markdown widget shows it as text.
        with VerticalScroll(id="document"):
            yield Markdown(self.service.export.render(self.record, include_drafts=True))
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"{self.record.session.title} · read-only"
        self.query_one("#document").focus()
