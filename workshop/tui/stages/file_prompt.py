"""Writing something to a file from a pane: ask where, ask before replacing a file, and on
a refusal say why and offer the same path again, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widget import Widget

from sessions import StoreError
from workshop.errors import WorkshopError
from workshop.tui.dialogs.common import ConfirmDialog, PromptDialog
from workshop.tui.stages.base import SaveFailed

Write = Callable[[Path, bool], object]  # (path, replace an existing file)


def resolve_path(typed: str) -> Path:
    """What a person typed, as an absolute path: relative to the current directory."""
    path = Path(typed.strip()).expanduser()
    return path if path.is_absolute() else Path.cwd() / path


def ask_to_write(
    pane: Widget,
    question: str,
    typed: str,
    write: Write,
    done: Callable[[Path], None],
    what: str = "this",
) -> None:
    """Ask for a path (offering `typed`), then write there; `done` runs once it is written."""

    def chosen(answer: str | None) -> None:
        if answer is None:
            return
        if not answer.strip():
            pane.notify("Nothing written: no file name given.", severity="warning")
            return
        path = resolve_path(answer)
        if path.is_dir():
            failed(f"{path} is a folder: give a file name.", answer)
        elif path.exists():
            confirm(path, answer)
        else:
            attempt(path, answer, force=False)

    def confirm(path: Path, answer: str) -> None:
        def replied(replace: bool | None) -> None:
            if replace:
                attempt(path, answer, force=True)
            else:
                pane.notify(f"Not written: {path} is unchanged.")

        pane.app.push_screen(
            ConfirmDialog(
                f"{path} already exists. Replace it with {what}?", yes="Replace", no="Keep it"
            ),
            replied,
        )

    def attempt(path: Path, answer: str, force: bool) -> None:
        try:
            write(path, force)
        except (WorkshopError, StoreError) as error:
            if not force and path.exists():  # it appeared since we looked
                confirm(path, answer)
            else:
                failed(str(error), answer)
            return
        done(path)

    def failed(message: str, answer: str) -> None:
        pane.post_message(SaveFailed(message))
        ask_to_write(pane, question, answer, write, done, what)

    pane.app.push_screen(
        PromptDialog(question, value=typed, placeholder="e.g. q3-strategy.md"), chosen
    )
