"""Stage 8, export: the session as Markdown, previewed as it will be written, and
written to a file that only its owner can read, never over a file without asking.

`l` switches between the team's document (everything) and leadership's (no segments,
objections or attributed answers; approved items only, so drafts go out with it)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from workshop.service.export import Audience
from workshop.tui.stages.base import Saved, StagePane
from workshop.tui.stages.file_prompt import ask_to_write
from workshop.tui.widgets.markdown_preview import MarkdownPreview


class ExportPane(StagePane):
    BINDINGS = [
        Binding("d", "toggle_drafts", "Drafts in/out", id="export.drafts"),
        Binding("l", "toggle_audience", "Team/leadership", id="export.audience"),
        Binding("w", "write", "Write to file", id="export.write"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.include_drafts = False
        self.audience = Audience.TEAM
        self.markdown_text = ""
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="export-status")
        with VerticalScroll(id="export-scroll"):
            # Textual's Markdown widget, lightened: one widget per table and list, not one
            # per cell and item (a 30-person export took 40 MB and a second to show).
            yield MarkdownPreview("", id="export-preview", open_links=False)

    def on_mount(self) -> None:
        self.call_after_refresh(self.reload_if_shown)

    def redraw(self) -> None:
        # After the handler that showed this tab has saved the stage, which the export names.
        self.call_later(self._show_preview)

    def _show_preview(self) -> None:
        record = self.load()
        self.markdown_text = self.service.export.render(record, self.include_drafts, self.audience)
        self.query_one("#export-preview", MarkdownPreview).update(self.markdown_text)
        self._show_status()
        focused = self.app.focused
        if focused is None or self not in focused.ancestors_with_self:
            self.query_one("#export-scroll").focus()

    def _show_status(self) -> None:
        text = Text()
        if self.audience is Audience.LEADERSHIP:
            text.append("Preview for leadership", style="bold magenta")
            text.append(" (approved outcomes, progress, plan, cadence, asks; no segments)")
        elif self.include_drafts:
            text.append("Preview with drafts", style="bold yellow")
            text.append(" (marked as drafts, not approved)")
        else:
            text.append("Preview of what is approved", style="bold")
            text.append(" (drafts left out and counted)")
        text.append("  ·  d drafts  ·  l team/leadership  ·  w write to a file")
        if self.written is not None:
            text.append("\nWritten: ", style="bold green")
            text.append(str(self.written))
            text.append(" (readable by you only)")
        self.query_one("#export-status", Static).update(text)

    def action_toggle_drafts(self) -> None:
        if self.audience is Audience.LEADERSHIP:
            self.notify(
                "A leadership export holds approved items only: press l for the team's "
                "export to see drafts.",
                severity="warning",
            )
            return
        self.include_drafts = not self.include_drafts
        self._show_preview()

    def action_toggle_audience(self) -> None:
        if self.audience is Audience.TEAM:
            self.audience = Audience.LEADERSHIP
            self.include_drafts = False  # leadership gets approved items only
        else:
            self.audience = Audience.TEAM
        self._show_preview()
        self.notify(f"Export for {self.audience.value}.")

    # Writing ----------------------------------------------------------------------------

    def action_write(self, typed: str | None = None) -> None:
        if typed is None:
            typed = self.service.export.file_name(self.session_id, self.audience)
        drafts = "with drafts marked" if self.include_drafts else "approved items only"
        if self.audience is Audience.LEADERSHIP:
            drafts = "for leadership, " + drafts
        ask_to_write(
            self,
            f"Write the Markdown ({drafts}) to which file? Relative to {Path.cwd()}",
            typed,
            lambda path, force: self.service.export.write(
                self.session_id, path, self.include_drafts, force=force, audience=self.audience
            ),
            self._written,
            "this export",
        )

    def _written(self, path: Path) -> None:
        self.written = path
        self._show_status()
        self.post_message(Saved("export"))
        self.notify(f"Written to {path} (readable by you only).", title="Exported")
