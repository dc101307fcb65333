"""Headless chromium driven over the DevTools protocol, to read what a browser shows.

textual-serve draws the app with xterm.js on a canvas, so the page's text is not in the
DOM. A script run before the page's own catches the xterm Terminal as textual.js stores
it (`this.terminal = new Terminal(...)`), and the test reads the terminal's rows from its
buffer: the characters a viewer sees, row by row.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

CATCH_TERMINAL = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && typeof value.onData === "function") {
      window.__terminals.push(value);
    }
  },
});
"""

READ_ROWS = """
(() => {
  const term = (window.__terminals || [])[0];
  if (!term) return null;
  const buffer = term.buffer.active;
  const rows = [];
  for (let i = 0; i < term.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Page:
    """One tab, spoken to through its DevTools websocket."""

    def __init__(self, socket: Any) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self._ids)
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self._socket.recv(timeout=30))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def open(self, url: str) -> None:
        self.call("Page.enable")
        self.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
        self.call("Page.navigate", url=url)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def terminal_text(self) -> str:
        return self.evaluate(READ_ROWS) or ""

    def wait_for_script(self, expression: str, timeout: float = 30) -> bool:
        """Whether expression became true in the page within timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.2)
        return False

    def wait_for_text(self, *wanted: str, timeout: float = 30) -> str:
        """The terminal's rows once they contain every one of wanted at once (fails with
        what was shown). All at once: a redraw reaches the page in more than one frame."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.terminal_text()
            if all(w in text for w in wanted):
                return text
            time.sleep(0.2)
        raise AssertionError(f"{wanted!r} never all appeared in the browser; it showed:\n{text}")


@contextlib.contextmanager
def headless_chromium(binary: str) -> Iterator[Page]:
    """A fresh headless chromium (its own profile) with one blank tab."""
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    process = subprocess.Popen(
        [
            binary,
            "--headless=new",
            "--no-sandbox",  # the tests may run as root, where the sandbox refuses to start
            "--disable-gpu",
            "--no-first-run",
            "--window-size=1600,1000",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",  # chromium picks a free port and writes it down
            "about:blank",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from websockets.sync.client import connect

    try:
        port = _devtools_port(profile, process)
        with connect(_page_websocket(port), max_size=None, open_timeout=20) as socket:
            yield Page(socket)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _devtools_port(profile: Path, process: subprocess.Popen) -> int:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited at start (code {process.returncode})")
        with contextlib.suppress(FileNotFoundError, ValueError, IndexError):
            return int(marker.read_text().splitlines()[0])
        time.sleep(0.1)
    raise RuntimeError("chromium did not open its DevTools port")


def _page_websocket(port: int) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as reply:
            targets = json.load(reply)
        pages = [t for t in targets if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise RuntimeError("chromium has no page to drive")
