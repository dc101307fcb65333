"""The installed `workshop` command, run to the end as a user would run it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.paths import WORKSHOP


def run_workshop(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """The installed command with this environment, no stdin; a traceback is always a failure."""
    result = subprocess.run(
        [str(WORKSHOP), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def workshop(env: dict[str, str], *args: str, cwd: Path | None = None) -> str:
    """What the command printed, both streams."""
    result = run_workshop(env, *args, cwd=cwd)
    return result.stdout + result.stderr
