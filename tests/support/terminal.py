"""A real terminal for the tests that drive the installed app: a private tmux server."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from pathlib import Path

DEADLINE = 30.0  # seconds for any one thing to appear; generous for a slow CI machine
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
