"""Where the output goes and how a run ends: a full stdout is said, not lost; `-o -` is
stdout; Ctrl+C and SIGTERM end with one line, their own exit code and every request in
flight logged as cancelled."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from support.factory import make_session
from support.history_helpers import run
from support.paths import WORKSHOP

from sessions import SessionStore


@pytest.mark.parametrize("command", ["list", "show", "export", "dump"])
def test_a_full_stdout_is_said_in_one_line(db_path, command):
    session_id = make_session(db_path, 3)
    args = [command] if command == "list" else [command, session_id]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(WORKSHOP), "--db", str(db_path), *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "workshop: could not write the output (No space left on device)."
    )


@pytest.mark.parametrize("command", ["export", "dump"])
def test_dash_as_the_output_file_means_stdout(db_path, tmp_path, monkeypatch, command):
    session_id = make_session(db_path, 3)
    monkeypatch.chdir(tmp_path)

    result = run(command, session_id, "-o", "-", db=db_path)

    assert "Person 02" in result.stdout
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("sent", "code", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "stopped")],
)
def test_a_stopped_draft_says_so_and_logs_what_was_in_flight(db_path, llm_server, sent, code, word):
    llm_server.any_model = True
    llm_server.latency = 30  # every request is still waiting when the signal comes
    session_id = make_session(db_path, 3)
    process = subprocess.Popen(
        [str(WORKSHOP), "--db", str(db_path), "draft", session_id, "questions"],
        env=os.environ | llm_server.env(model="qwen"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while len(llm_server.chat_requests) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert llm_server.chat_requests, "no request reached the server"
    in_flight = len(llm_server.chat_requests)

    process.send_signal(sent)
    _, stderr = process.communicate(timeout=30)

    assert process.returncode == code, stderr
    assert "Traceback" not in stderr and "Aborted!" not in stderr
    assert f"workshop: {word}; what was finished is saved" in stderr
    with SessionStore.open(db_path) as store:
        calls = store.llm_calls(session_id)
        assert not store.load_session(session_id).items  # nothing half-done kept
    assert len(calls) >= in_flight
    assert {c["status"] for c in calls} == {"cancelled"}


@pytest.mark.parametrize("command", ["export", "dump"])
def test_force_writes_through_a_link_to_the_file_it_names(db_path, tmp_path, command):
    session_id = make_session(db_path, 3)
    target = tmp_path / "shared" / "q3.md"
    target.parent.mkdir()
    target.write_text("last quarter's text")
    link = tmp_path / "latest.md"
    link.symlink_to(target)

    run(command, session_id, "-o", str(link), "--force", db=db_path)

    assert link.is_symlink()  # still the link people made
    assert "Person 02" in target.read_text()


@pytest.mark.parametrize("command", ["export", "dump"])
def test_what_is_not_a_regular_file_is_never_replaced(db_path, tmp_path, command):
    session_id = make_session(db_path, 3)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    refused = run(command, session_id, "-o", str(fifo), "--force", db=db_path, check=False)

    assert refused.returncode == 1
    assert "is not a regular file (a device, a pipe or a socket)" in refused.stderr
    assert fifo.is_fifo()
