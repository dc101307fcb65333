"""The full kill test: a scripted workshop killed with SIGKILL at random moments.

    python bench/kill_test.py --kills 50            # all three runs, 50 kills each
    python bench/kill_test.py --kills 50 --seed 7   # repeat a run exactly
    python bench/kill_test.py --only cli --keep /tmp/kill   # keep the databases

Run it with the project's Python (the one whose `bin/` holds the `workshop` command).
Three runs, each on its own real SQLite file:

* cli: the real `workshop` command, one command per step (`new --from` a brief with
  stakeholders, `new --stakeholders` a large CSV, `load --as-copy` a full session,
  `followup`, `archive`/`unarchive`, `export -o`, `delete --yes`), each killed after a
  random delay: anywhere in its running time, or a few milliseconds after its transaction
  starts reaching the WAL; some run to the end. Printed means reported saved.
* store: a child Python process writing through SessionStore without pause, printing a
  line after every committed write; killed at random, then restarted on the same file.
* tui: the app in tmux, people typed into the register line after line, SIGKILL at a
  random moment; everyone the screen showed as added must be in the file, and the next
  start must open the session and count them all (tests/support/kill_tui.py).

After every kill: integrity_check ok, foreign keys and search indexes sound, everything
reported saved still there exactly as reported, the write in flight there whole or not
at all, and the session opens again (`workshop show`). The code lives in
tests/support/kill_workshop.py (and kill_store.py, kill_tui.py beside it);
tests/reliability/test_reliability_kill.py runs the same with 8 kills in CI.
Exit status 0 when every check held, 1 with the failed check otherwise.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "tests"))  # the kill drivers: tests/support/kill_*.py

from support.kill_store import StoreKillRun  # noqa: E402
from support.kill_tui import TuiKillRun  # noqa: E402
from support.kill_workshop import CliKillRun, KillCheckFailed  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50, help="kills per run (default 50)")
    parser.add_argument("--seed", type=int, help="repeat a run (default: a random seed)")
    parser.add_argument("--only", choices=["cli", "store", "tui"], help="run only one of them")
    parser.add_argument("--keep", type=Path, help="put the databases here and keep them")
    parser.add_argument("--quiet", action="store_true", help="only the summaries")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    log = (lambda _line: None) if args.quiet else (lambda line: print(f"  {line}", flush=True))
    print(f"kill test: {args.kills} kills per run, seed {seed}")

    with tempfile.TemporaryDirectory(prefix="kill-test-") as scratch:
        base = args.keep or Path(scratch)
        runs = {"cli": CliKillRun, "store": StoreKillRun, "tui": TuiKillRun}
        for name, runner in runs.items():
            if args.only and name != args.only:
                continue
            workdir = base / name
            workdir.mkdir(parents=True, exist_ok=True)
            print(f"{name} run in {workdir}:", flush=True)
            started = time.monotonic()
            try:
                stats = runner(workdir, seed, log=log).run(args.kills)
            except KillCheckFailed as error:
                print(f"FAILED: {error}")
                return 1
            print(f"{name}: OK, {stats.summary()} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
