"""Start-up in a real terminal: launch to the first interactive screen, against a bare app.

Both are started the same way in tmux and timed until their first screen is on it; peak
memory comes from the kernel's accounting of the finished process (`/usr/bin/time`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, median

WORKSHOP = Path(sys.executable).parent / "workshop"
READY_MARK = "Search titles"  # the home screen's search box, drawn once the app is live
LIST_MARK = "Warm-up"  # the one session in the list, shown once the database is open
BARE_MARK = "bare app ready"


def _screen(name: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True
    ).stdout


def launch_time(
    command: list[str], mark: str, env: dict[str, str], then: str | None = None
) -> tuple[float, float, float]:
    """(seconds to the mark on screen, seconds to `then` on screen, peak RSS in MB) for one
    start in tmux. The app quits once both are shown, so its peak memory includes what it
    needs to show `then` (for the workshop: the database opened and the list filled)."""
    name = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    with tempfile.NamedTemporaryFile(suffix=".rss", delete=False) as rss:
        rss_path = rss.name
    shell = " ".join(["/usr/bin/time", "-f", "%M", "-o", rss_path, *command])
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", shell],
        check=True,
        env=env,
    )
    try:
        deadline = start + 20
        while mark not in _screen(name):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{command[0]} never showed {mark!r}:\n{_screen(name)}")
            time.sleep(0.002)
        elapsed = time.perf_counter() - start
        while then is not None and then not in _screen(name):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{command[0]} never showed {then!r}:\n{_screen(name)}")
            time.sleep(0.002)
        complete = time.perf_counter() - start
        subprocess.run(["tmux", "send-keys", "-t", name, "C-q"], check=True)
        for _ in range(500):
            if Path(rss_path).stat().st_size:
                break
            time.sleep(0.01)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
    text = Path(rss_path).read_text().strip().splitlines()
    Path(rss_path).unlink(missing_ok=True)
    peak = int(text[-1]) / 1024 if text and text[-1].isdigit() else float("nan")
    return elapsed, complete, peak


def measure(repeat: int = 10) -> dict[str, float]:
    if shutil.which("tmux") is None:
        raise RuntimeError("tmux is needed for the start-up benchmark (apt-get install tmux)")
    with tempfile.TemporaryDirectory() as home:
        env = os.environ | {
            "HOME": home,
            "TERM": "xterm-256color",
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CONFIG_HOME": f"{home}/config",
        }
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "WORKSHOP_MODEL", "WORKSHOP_DB"):
            env.pop(name, None)
        db = f"{home}/bench.db"
        subprocess.run(
            [str(WORKSHOP), "--db", db, "new", "--title", "Warm-up"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        app = [str(WORKSHOP), "--db", db]
        bare = [sys.executable, str(ROOT / "bench" / "bare_app.py")]
        launch_time(app, READY_MARK, env, LIST_MARK)  # warms the file cache for both
        launch_time(bare, BARE_MARK, env)
        app_runs, bare_runs = [], []
        for _ in range(repeat):  # interleaved, so drift on the machine hits both alike
            app_runs.append(launch_time(app, READY_MARK, env, LIST_MARK))
            bare_runs.append(launch_time(bare, BARE_MARK, env))
    app_time = median([t for t, _, _ in app_runs])
    bare_time = median([t for t, _, _ in bare_runs])
    return {
        "workshop start-up (s, median)": app_time,
        "bare Textual app start-up (s, median)": bare_time,
        "ratio to the bare app": app_time / bare_time,
        "workshop, until the list is filled (s, median)": median([c for _, c, _ in app_runs]),
        "workshop peak memory at start-up (MB, median)": median([m for _, _, m in app_runs]),
        "bare app peak memory (MB, median)": median([m for _, _, m in bare_runs]),
    }
