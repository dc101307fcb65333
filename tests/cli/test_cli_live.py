"""`workshop open`, `serve` and `view` given a session that is not there: one clear line."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest
from support.paths import WORKSHOP

from sessions import SessionStore


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """The installed command, as a script would run it: no terminal, no stdin."""
    return subprocess.run(
        [str(WORKSHOP), "--db", str(db), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        env=os.environ | {"COLUMNS": "120"},
    )


def two_sessions(db: Path) -> list[str]:
    with SessionStore.open(db) as store:
        return [store.create_session({"title": t}).id for t in ("Q3 plan", "Q4 plan")]


@pytest.mark.parametrize("command", ["open", "serve", "view"])
def test_an_unknown_session_is_one_line_and_exit_1(db_path, command):
    two_sessions(db_path)
    result = run(command, "nope", db=db_path)
    assert result.returncode == 1
    assert result.stderr == "workshop: No session with id 'nope'; `workshop list` shows them.\n"
    assert result.stdout == ""


def test_a_start_that_fits_several_sessions_asks_for_more(db_path):
    two_sessions(db_path)
    result = run("open", "ses_", db=db_path)
    assert result.returncode == 1
    assert result.stderr == "workshop: 'ses_' matches several sessions; give more of the id.\n"


def test_open_on_a_new_file_finds_nothing_and_says_so(tmp_path):
    result = run("open", "abc", db=tmp_path / "elsewhere.db")
    assert result.returncode == 1
    assert "No session with id 'abc'" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_on_a_port_in_use_is_one_line(db_path):
    session_id = two_sessions(db_path)[0]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", session_id, "--port", str(port), db=db_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"workshop: Cannot serve on 127.0.0.1:{port} (")
    assert result.stderr.count("\n") == 1


def test_the_new_commands_are_listed_and_view_is_hidden(db_path):
    result = run("--help", db=db_path)
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert "open" in listed and "serve" in listed
    assert "view" not in listed  # what serve runs per browser, not for people
