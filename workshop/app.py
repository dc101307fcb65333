"""The Textual application: a thin front end over the service layer."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from .screens.home import HomeScreen
from .service import WorkshopService


class WorkshopApp(App[None]):
    TITLE = "Strategy Workshop"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, service: WorkshopService) -> None:
        super().__init__()
        self.service = service

    def on_mount(self) -> None:
        self.sub_title = str(self.service.db_path)
        self.push_screen(HomeScreen(self.service))

    def on_unmount(self) -> None:
        self.service.close()


def run_app(db_path: Path | None = None) -> None:
    """Open the database first, so a locked or too-new file is one clear line, not a TUI."""
    service = WorkshopService.open(db_path)
    WorkshopApp(service).run()
