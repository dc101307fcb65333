"""Stage 1, the brief: saved as it is typed, a moment after each pause."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, TextArea

from workshop.tui.stages.base import StagePane
from workshop.tui.widgets.text_input import TextInput

SAVE_DELAY = 0.4  # seconds after the last keystroke


class BriefPane(StagePane):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._loading = False
        self._pending: Timer | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="brief-form"):
            with Horizontal(classes="row"):
                yield _field("Title", TextInput(id="title", max_length=200))
                yield _field("Organisation", TextInput(id="organisation", max_length=200))
            with Horizontal(classes="row"):
                yield _field("Date (YYYY-MM-DD)", TextInput(id="workshop_date", max_length=10))
                yield _field("Facilitator", TextInput(id="facilitator", max_length=200))
            yield _field(
                "Participants (comma-separated)", TextInput(id="participants", max_length=5000)
            )
            yield _field("Business priorities this quarter (one per line)", _area("priorities"))
            yield _field("State of marketing today", _area("marketing_today"))
            yield _field("Known challenges", _area("challenges"))

    def on_mount(self) -> None:
        # Kept so that the last edit can still be read and saved while the pane is being
        # unmounted (on quit its fields are removed before its own on_unmount runs).
        self._inputs = {w.id or "": w for w in self.query(Input)}
        self._areas = {w.id or "": w for w in self.query(TextArea)}
        self.reload()

    def redraw(self) -> None:
        if self._pending is not None:
            return  # never overwrite what is being typed with an older saved copy
        session = self.service.sessions.get(self.session_id)
        self._loading = True
        values = {
            "title": session.title,
            "organisation": session.organisation,
            "workshop_date": session.workshop_date.isoformat() if session.workshop_date else "",
            "facilitator": session.facilitator,
            "participants": ", ".join(session.participants),
        }
        for name, value in values.items():
            widget = self.query_one(f"#{name}", Input)
            if widget.value != value:
                widget.value = value
        areas = {
            "priorities": "\n".join(session.priorities),
            "marketing_today": session.marketing_today,
            "challenges": session.challenges,
        }
        for name, value in areas.items():
            area = self.query_one(f"#{name}", TextArea)
            if area.text != value:
                area.load_text(value)
        self.call_after_refresh(self._done_loading)

    def _done_loading(self) -> None:
        self._loading = False
        focused = self.app.focused
        new = getattr(self.screen, "new", False)
        if new and self.shown and (focused is None or self not in focused.ancestors_with_self):
            self.screen.new = False  # once: after that the focus is the facilitator's
            # Where the facilitator types next: the first empty field, else the title.
            fields = [*self._inputs.values(), *self._areas.values()]
            empty = next((w for w in fields if not _text(w).strip()), None)
            (empty or self._inputs["title"]).focus()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def changed(self) -> None:
        if self._loading:
            return
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(SAVE_DELAY, self.flush)

    @on(Input.Blurred)
    def left_field(self) -> None:
        self.flush()

    def flush(self) -> None:
        """Save what is on screen now (called after a pause, on leaving a field, on exit)."""
        if self._pending is None:
            return
        self._pending.stop()
        self._pending = None
        brief = self._form()
        if isinstance(brief, str):
            from workshop.tui.stages.base import SaveFailed

            self.post_message(SaveFailed(brief))
            return
        self.save("brief", lambda: self.service.sessions.update_brief(self.session_id, brief))

    def on_unmount(self) -> None:
        self.flush()

    def _form(self) -> dict | str:
        """The brief as typed, or a message saying what to fix."""
        text = {
            name: self._inputs[name].value
            for name in ("title", "organisation", "workshop_date", "facilitator", "participants")
        }
        raw_date = text["workshop_date"].strip()
        try:
            when = date.fromisoformat(raw_date) if raw_date else None
        except ValueError:
            return f"Date: {raw_date!r} is not a date like 2026-07-02."
        return {
            "title": text["title"],
            "organisation": text["organisation"],
            "workshop_date": when,
            "facilitator": text["facilitator"],
            "participants": [p.strip() for p in text["participants"].split(",") if p.strip()],
            "priorities": [
                line.strip() for line in self._areas["priorities"].text.splitlines() if line.strip()
            ],
            "marketing_today": self._areas["marketing_today"].text,
            "challenges": self._areas["challenges"].text,
        }


def _field(label: str, widget: Input | TextArea) -> Vertical:
    return Vertical(Label(label), widget, classes="field")


def _text(widget: Input | TextArea) -> str:
    return widget.value if isinstance(widget, Input) else widget.text


def _area(name: str) -> TextArea:
    return TextArea(id=name, soft_wrap=True, tab_behavior="focus", classes="brief-area")
