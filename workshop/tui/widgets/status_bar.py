"""The line that is always on screen: session, stage, save state, model, tokens, timer."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        dock: top;
        background: $panel;
        color: $text;
    }
    StatusBar > Static {
        width: auto;
        padding: 0 1;
    }
    StatusBar #status-title {
        text-style: bold;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;  /* a title too long for any room says it goes on */
    }
    StatusBar .saved { color: $success; }
    StatusBar .saving { color: $warning; }
    StatusBar .failed { background: $error; color: $text; text-style: bold; }
    StatusBar .offline { color: $text-muted; }
    StatusBar .over { background: $error; color: $text; text-style: bold; }
    StatusBar .near { background: $warning; color: $background; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        for name in ("title", "stage", "save", "model", "tokens", "timer"):
            yield Static("", id=f"status-{name}", markup=False)

    def _part(self, name: str) -> Static:
        return self.query_one(f"#status-{name}", Static)

    def show_title(self, title: str) -> None:
        self._part("title").update(title)

    def show_stage(self, stage_label: str) -> None:
        self._part("stage").update(f"Stage: {stage_label}")

    def show_saved(self, what: str = "") -> None:
        part = self._part("save")
        part.set_classes("saved")
        stamp = datetime.now().strftime("%H:%M:%S")
        part.update(f"✓ saved {stamp}")
        part.tooltip = f"Saved {what}" if what else None

    def show_save_failed(self, message: str) -> None:
        part = self._part("save")
        part.set_classes("failed")
        part.update("✗ NOT SAVED")
        part.tooltip = message

    def show_model(self, text: str, state: str = "") -> None:
        part = self._part("model")
        part.set_classes(state)
        part.update(text)

    def show_tokens(self, text: str) -> None:
        self._part("tokens").update(text)

    def show_timer(self, spent: float, planned_minutes: int | None) -> None:
        part = self._part("timer")
        if planned_minutes:
            box = planned_minutes * 60
            part.update(f"Time {clock(spent)} / {clock(box)}")
            part.set_classes("over" if spent >= box else "near" if spent >= 0.8 * box else "")
        else:
            part.update(f"Time {clock(spent)}")
            part.set_classes("")
