"""The installed `workshop` command in a real terminal (tmux): create a session, see it, quit."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from sessions import SessionStore

DEADLINE = 30.0  # seconds for any one thing to appear; generous for a slow CI machine
TITLE = "Tmux smoke workshop"
SEARCH_HINT = "Search titles, people, notes"  # only the home screen shows it


def terminal_env(root: Path) -> dict[str, str]:
    """A person's shell: a terminal, UTF-8, and a home and XDG folders of its own under
    root, so no real user data, config or model key is seen."""
    home = root / "home"
    (root / "runtime").mkdir(mode=0o700, exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_RUNTIME_DIR": str(root / "runtime"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "SHELL": "/bin/sh",
    }


class Terminal:
    """One tmux session on a private tmux server (-L), so no user's tmux is touched."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"workshop-test-{uuid.uuid4().hex[:12]}"
        self.name = "workshop"
        self.env = env

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", os.devnull, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            check=check,
        )

    def start(self, command: str, status_file: Path) -> None:
        """Run command in a 120x40 terminal; its exit status goes to status_file."""
        self.status_file = status_file
        self.tmux(
            "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40",
            f"{command}; echo $? > {shlex.quote(str(status_file))}",
        )  # fmt: skip

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def wait_for(self, *texts: str, absent: tuple[str, ...] = ()) -> str:
        """Poll the screen until every text is on it at once, and none of `absent`."""
        end = time.monotonic() + DEADLINE
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if all(t in screen for t in texts) and not any(t in screen for t in absent):
                return screen
            time.sleep(0.1)
        raise AssertionError(
            f"{texts!r} did not appear (or {absent!r} stayed); the screen shows:\n{screen}"
        )

    def wait_for_exit(self) -> int:
        """The app's exit status, written by the shell that ran it once it has ended."""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if self.status_file.exists() and self.status_file.read_text().strip():
                return int(self.status_file.read_text())
            time.sleep(0.1)
        raise AssertionError(f"the app did not exit; the screen shows:\n{self.screen()}")

    def kill(self) -> None:
        self.tmux("kill-server", check=False)


def test_create_a_session_in_a_real_terminal(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; this test drives the app in a real terminal")
    workshop = Path(sys.executable).parent / "workshop"
    assert workshop.exists(), f"the workshop command is not installed next to {sys.executable}"
    db_path = tmp_path / "tmux.db"
    terminal = Terminal(terminal_env(tmp_path))
    try:
        terminal.start(
            f"{shlex.quote(str(workshop))} --db {shlex.quote(str(db_path))}",
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
    workshop = Path(sys.executable).parent / "workshop"
    terminal = Terminal(terminal_env(tmp_path))
    try:
        terminal.start(
            f"{shlex.quote(str(workshop))} --db {shlex.quote(str(tmp_path / 'early.db'))}",
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
