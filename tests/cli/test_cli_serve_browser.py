"""`workshop serve` in a real browser: headless chromium loads the page, shows the
session, and shows what the room changes afterwards, with nothing secret on the page."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support.browser import find_chromium, headless_chromium
from support.paths import WORKSHOP
from support.tui_helpers import SAMPLE_OUTCOME

from sessions import ItemKind, SessionStore
from workshop.service.facade import WorkshopService

TITLE = "Browser room review"
SECRET_KEY = "sk-test-never-shown-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lines_of(stream) -> queue.Queue[str]:
    """The server's output line by line, read aside so a test never blocks on it."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def viewers_running(session_id: str) -> list[int]:
    """The `workshop view ID --live` processes serve started for this session."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"view" in command and session_id.encode() in command:
            found.append(int(entry.name))
    return found


@pytest.fixture
def chromium() -> str:
    binary = find_chromium()
    if binary is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does)")
    pytest.importorskip("websockets", reason="the [test] extra brings websockets")
    return binary


def test_serve_shows_the_session_live_in_a_browser(chromium, db_path: Path) -> None:
    with SessionStore.open(db_path) as store:
        session_id = store.create_session(
            {"title": TITLE, "organisation": "Northwind", "facilitator": "Dana Reyes"},
            [{"name": "Priya Shah", "role": "Head of Sales"}],
        ).id
    port = free_port()
    server = subprocess.Popen(
        [str(WORKSHOP), "--db", str(db_path), "serve", session_id[:8], "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"OPENAI_API_KEY": SECRET_KEY},
    )
    err: queue.Queue[str] = queue.Queue()
    try:
        out, err = lines_of(server.stdout), lines_of(server.stderr)
        first = out.get(timeout=60)
        assert first.startswith(f"Serving a read-only live view at http://127.0.0.1:{port}/")
        url = first.split(" at ", 1)[1].strip()
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert len(token) >= 16

        # Without the run's token there is nothing to see.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
        assert refused.value.code == 404

        with headless_chromium(chromium) as page:
            page.open(url)
            page.wait_for_text(
                TITLE,
                "Segment board",
                "Not yet placed: Priya Shah",
                "Approved outcomes: none yet.",
                timeout=60,
            )

            # The room adds a person and approves an outcome: the page follows.
            with WorkshopService.open(db_path) as room:
                room.people.add(session_id, {"name": "Zed Quill", "role": "CFO"})
                by = room.items.author(session_id)
                outcome = room.items.write(session_id, ItemKind.OUTCOME, SAMPLE_OUTCOME, by)
                room.items.approve(outcome.id, by, outcome.version)
            page.wait_for_text(
                "Approved outcomes (1)", "More repeat customers", "Zed Quill", timeout=30
            )

            # Typing in the page changes nothing: the view has no such keys.
            page.call("Input.insertText", text="ax")
            for key in ("a", "d", "x", "Delete"):
                page.call("Input.dispatchKeyEvent", type="keyDown", key=key)
                page.call("Input.dispatchKeyEvent", type="keyUp", key=key)
            time.sleep(1)  # let the keys reach the app, were they to do anything
            with WorkshopService.open(db_path) as room:
                record = room.sessions.load(session_id)
            assert [p.name for p in record.stakeholders] == ["Priya Shah", "Zed Quill"]
            assert [i.status.value for i in record.items] == ["approved"]

            html = page.evaluate("document.documentElement.outerHTML")
            everything = html + page.terminal_text()
            assert SECRET_KEY not in everything
            assert str(db_path) not in html  # the launch command names no path
            assert len(viewers_running(session_id)) == 1  # one app per browser

            # Ctrl+C with a viewer still watching: the server stops, the page says so.
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
            assert page.wait_for_script("document.body.classList.contains('-closed')")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    time.sleep(0.2)  # the last lines through the pump
    errors = "".join(err.get() for _ in range(err.qsize()))
    assert server.returncode == 0, errors
    assert "Traceback" not in errors
    assert SECRET_KEY not in errors
    deadline = time.monotonic() + 15
    while viewers_running(session_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert viewers_running(session_id) == []
