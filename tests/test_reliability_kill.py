"""Nothing reported saved is lost when the process is killed (SIGKILL) at random moments.

A CI-sized run of tests/kill_workshop.py: 8 kills of the real `workshop` command and 8 of
a child writing through the store. The full run (50 kills each) is `python
bench/kill_test.py --kills 50`. KILL_SEED=n repeats a run; a failure names its seed.
"""

from __future__ import annotations

import os
import random

from kill_workshop import CliKillRun, StoreKillRun

KILLS = 8


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
