"""Nothing reported saved is lost when the process is killed (SIGKILL) at random moments.

A CI-sized run of tests/support/kill_workshop.py: 8 kills of the real `workshop` command
and 8 of a child writing through the store (tests/support/kill_store.py); and of
tests/support/kill_tui.py: 3 kills of the app in tmux. The full run (50 kills each) is
`python bench/kill_test.py --kills 50`. KILL_SEED=n repeats a run; a failure names its seed.
"""

from __future__ import annotations

import os
import random
import shutil

import pytest
from support.kill_store import StoreKillRun
from support.kill_tui import TuiKillRun
from support.kill_workshop import CliKillRun

KILLS = 8
TUI_KILLS = 3  # each round starts the app in a terminal: a few seconds apiece


def _seed() -> int:
    return int(os.environ.get("KILL_SEED") or random.randrange(10**6))


def test_the_workshop_command_killed_at_random_moments_loses_nothing_it_reported(tmp_path):
    run = CliKillRun(tmp_path, _seed())
    stats = run.run(KILLS)  # raises KillCheckFailed, naming the seed, on any lost change
    assert stats.kills == KILLS
    # The run went through a real workshop: sessions were made, kept and reopened.
    assert run.expected, stats.summary()


def test_a_writer_killed_at_random_never_loses_a_committed_write(tmp_path):
    run = StoreKillRun(tmp_path, _seed())
    stats = run.run(KILLS)
    assert stats.kills == KILLS
    assert run.sessions and run.items, stats.summary()


def test_the_app_in_a_terminal_killed_while_people_are_typed_in_loses_none_it_showed(tmp_path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; this test drives the app in a real terminal")
    run = TuiKillRun(tmp_path, _seed())
    stats = run.run(TUI_KILLS)
    assert stats.kills == TUI_KILLS
    assert stats.killed_after_report, stats.summary()  # people were shown saved, then killed
