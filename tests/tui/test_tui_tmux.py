"""The installed `workshop` command in a real terminal (tmux): create a session, see it, quit."""

from __future__ import annotations

import shlex
import shutil
import sys
import time
from pathlib import Path

import pytest
from support.paths import WORKSHOP
from support.terminal import DEADLINE, SEARCH_HINT, Terminal, terminal_env

from sessions import SessionStore

TITLE = "Tmux smoke workshop"


def test_create_a_session_in_a_real_terminal(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; this test drives the app in a real terminal")
    assert WORKSHOP.exists(), f"the workshop command is not installed next to {sys.executable}"
    db_path = tmp_path / "tmux.db"
    terminal = Terminal(terminal_env(tmp_path))
    try:
        terminal.start(
            f"{shlex.quote(str(WORKSHOP))} --db {shlex.quote(str(db_path))}",
            tmp_path / "exit-status",
        )
        terminal.wait_for("Strategy Workshop", SEARCH_HINT, "No workshops yet.")

        terminal.keys("n")
        terminal.wait_for("New workshop session")
        terminal.keys(TITLE, literal=True)
        terminal.wait_for(TITLE)
        terminal.keys("Enter")  # title → organisation
        terminal.keys("Enter")  # submit
        # Saved, the new session opens: its title is shown and the home list is gone.
        terminal.wait_for(TITLE, absent=(SEARCH_HINT, "New workshop session"))

        terminal.keys("Escape")
        terminal.wait_for(SEARCH_HINT, "1 session", TITLE)

        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.kill()

    with SessionStore.open(db_path) as store:
        sessions = store.list_sessions(include_archived=True)
    assert [s.title for s in sessions] == [TITLE]


def test_a_key_pressed_before_the_database_is_open_is_not_lost(tmp_path: Path) -> None:
    """The home screen shows before the database opens; `n` pressed at once still works."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; this test drives the app in a real terminal")
    terminal = Terminal(terminal_env(tmp_path))
    try:
        terminal.start(
            f"{shlex.quote(str(WORKSHOP))} --db {shlex.quote(str(tmp_path / 'early.db'))}",
            tmp_path / "exit-status",
        )
        end = time.monotonic() + DEADLINE
        while SEARCH_HINT not in terminal.screen() and time.monotonic() < end:
            time.sleep(0.005)  # the first frame: the database is still opening
        terminal.keys("n")
        terminal.wait_for("New workshop session")
        terminal.keys("Escape")
        terminal.wait_for(SEARCH_HINT, "No workshops yet.", absent=("New workshop session",))
        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.kill()


def test_open_starts_at_the_session_and_shows_another_windows_change(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; this test drives the app in a real terminal")
    db_path = tmp_path / "tmux.db"
    session_id = _session_with_priya(db_path)
    terminal = Terminal(terminal_env(tmp_path))
    try:
        _open_at_the_register(terminal, db_path, session_id[:8], tmp_path)
        with SessionStore.open(db_path) as other:  # the CLI or a second window
            other.add_stakeholder(session_id, {"name": "Zed Quill", "role": "CFO"})
        terminal.wait_for("Zed Quill")
        terminal.keys("Escape")
        terminal.wait_for(SEARCH_HINT, TITLE)
        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.kill()


def test_ctrl_s_straight_after_fast_typing_saves_every_key_in_order(tmp_path: Path) -> None:
    """A terminal delivers a burst of keys at once (a fast typist, a paste-like burst);
    Ctrl+S at its end must save what was typed up to it, in the order typed."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; this test drives the app in a real terminal")
    db_path = tmp_path / "fast.db"
    session_id = _session_with_priya(db_path)
    lines = ["Beatriz Costa, Head of Brand, Marketing", "Kenji Sato, CFO, Finance"]
    terminal = Terminal(terminal_env(tmp_path))
    try:
        _open_at_the_register(terminal, db_path, session_id, tmp_path)
        terminal.keys("Down")  # from the entry line to the register, where p opens the list
        terminal.wait_for("Influence")  # the register's keys are in the footer
        time.sleep(0.5)  # a pause: p now is a command, not the first letter of a name
        terminal.keys("p")
        terminal.wait_for("Add several people")
        # One tmux command: every key written to the terminal at once, Ctrl+S last.
        terminal.tmux(
            "send-keys", "-t", terminal.name, "-l", lines[0], ";",
            "send-keys", "-t", terminal.name, "Enter", ";",
            "send-keys", "-t", terminal.name, "-l", lines[1], ";",
            "send-keys", "-t", terminal.name, "C-s",
        )  # fmt: skip
        terminal.wait_for("Kenji Sato", absent=("Add several people",))
        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.kill()
    with SessionStore.open(db_path) as store:
        people = [(p.name, p.role, p.team) for p in store.load_session(session_id).stakeholders]
    assert people[-2:] == [
        ("Beatriz Costa", "Head of Brand", "Marketing"),
        ("Kenji Sato", "CFO", "Finance"),
    ]


def _session_with_priya(db_path: Path) -> str:
    with SessionStore.open(db_path) as store:
        return store.create_session({"title": TITLE}, [{"name": "Priya Shah"}]).id


def _open_at_the_register(terminal: Terminal, db_path: Path, session_ref: str, tmp_path: Path):
    """`workshop open <ref>` in the terminal, then 2: the stakeholders stage, Priya shown."""
    terminal.start(
        f"{shlex.quote(str(WORKSHOP))} --db {shlex.quote(str(db_path))} open {session_ref}",
        tmp_path / "exit-status",
    )
    terminal.wait_for(TITLE, "Brief", absent=(SEARCH_HINT,))
    terminal.keys("2")
    terminal.wait_for("Priya Shah")
