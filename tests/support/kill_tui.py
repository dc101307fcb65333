"""Kill the app in a terminal while people are typed in: nothing it showed saved is lost.

Used by tests/reliability/test_reliability_kill.py (a few kills, in CI) and bench/kill_test.py
(`--only tui`, 50 kills). Each round starts the real `workshop` command in tmux on the
same database, opens the session, goes to the register and types people in, one line and
Enter at a time, as fast as a person pasting would. The app says "Added 1: NAME." only
after the commit; every such line seen on the screen is a promise. SIGKILL lands at a
random moment during the typing. Then the file must be sound (kill_workshop.check_file),
every promised person must be in it, and the next round's app must open the session and
count everyone the database holds.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shlex
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sessions import SessionStore
from support.kill_workshop import KillCheckFailed, KillStats, check_file, run_cli
from support.paths import WORKSHOP
from support.terminal import Terminal, terminal_env

# Shown only once committed: the "Added" line, and the register's rows (drawn from the
# database after each save). The entry line itself holds what is typed, not saved.
ADDED = re.compile(r"Added 1: (Kill \d+-\d+)\.")
REGISTER_ROW = re.compile(r"^\s+\d+\s+(Kill \d+-\d+)\s", re.MULTILINE)
ENTRY_HINT = "Name, Role, Team"


class TuiKillRun:
    """Rounds of: start the app, add people, SIGKILL at a random moment, check."""

    def __init__(self, workdir: Path, seed: int, log: Callable[[str], None] | None = None):
        self.workdir = workdir
        self.seed = seed
        self.random = random.Random(seed)
        self.log = log or (lambda _line: None)
        self.db = workdir / "tui-kill.db"
        self.promised: set[str] = set()
        self.stats = KillStats(driver="tui")
        created = run_cli("new", "--title", "Kill test workshop", db=self.db)
        self.session_id = created.stdout.split()[0]
        self.env = terminal_env(workdir)

    def run(self, kills: int) -> KillStats:
        for round_number in range(kills):
            self._round(round_number)
        self._reopen_and_count("after the last kill")
        return self.stats

    def _round(self, number: int) -> None:
        context = f"tui kill {number + 1} (seed {self.seed})"
        terminal = Terminal(self.env)
        try:
            self._open_register(terminal, context)
            self._first_person_shown(terminal, number, context)
            pid = int(terminal.tmux("display", "-p", "-t", terminal.name, "#{pane_pid}").stdout)
            delay = self.random.uniform(0.0, 1.5)
            killer = threading.Timer(delay, _kill, args=(pid,))
            killer.start()
            self._type_people(terminal, number, killer)
            killer.join()
        finally:
            terminal.kill()
        self.stats.kills += 1
        check_file(self.db, context)
        with SessionStore.open(self.db) as store:
            names = {p.name for p in store.load_session(self.session_id).stakeholders}
        lost = self.promised - names
        if lost:
            raise KillCheckFailed(f"{context}: shown as added, then lost: {sorted(lost)}")
        this_round = {n for n in names if n.startswith(f"Kill {number}-")}
        seen = this_round & self.promised
        self.stats.committed_not_reported += len(this_round - seen)
        self.stats.killed_after_report += len(seen)
        self.promised |= this_round  # from now on, saved is saved: later rounds keep them
        self.log(
            f"{context}: killed after {delay:.2f} s; {len(this_round)} added this round, "
            f"{len(seen)} of them seen on screen before the kill; none lost"
        )

    def _open_register(self, terminal: Terminal, context: str) -> None:
        """Start the app (exec: the pane's process is the app, to kill) and go to the
        register's entry line."""
        terminal.start(
            f"exec {shlex.quote(str(WORKSHOP))} --db {shlex.quote(str(self.db))}",
            self.workdir / "exit-status",
        )
        try:
            terminal.wait_for("Kill test workshop", "1 session")
            terminal.keys("Enter")
            terminal.wait_for("1 Brief")
            terminal.keys("2")
            terminal.wait_for(ENTRY_HINT)
        except AssertionError as error:
            raise KillCheckFailed(f"{context}: the app did not open the session: {error}") from None

    def _first_person_shown(self, terminal: Terminal, round_number: int, context: str) -> None:
        """One person typed and shown saved before the kill's clock starts: the app's first
        draw after a save can lag a burst of typing, and a round must test a promise."""
        name = f"Kill {round_number}-0"
        terminal.keys(f"{name}, Tester, Round {round_number}", literal=True)
        terminal.keys("Enter")
        try:
            screen = terminal.wait_for(f"{name}  ")  # a register row; the entry has a comma
        except AssertionError as error:
            raise KillCheckFailed(f"{context}: first person not shown saved: {error}") from None
        self.stats.steps += 1
        self.promised.update(ADDED.findall(screen), REGISTER_ROW.findall(screen))

    def _type_people(self, terminal: Terminal, round_number: int, killer: threading.Timer) -> None:
        for n in range(1, 1000):
            if not killer.is_alive():
                break
            try:
                terminal.keys(
                    f"Kill {round_number}-{n}, Tester, Round {round_number}", literal=True
                )
                terminal.keys("Enter")
                screen = terminal.screen()
            except Exception:  # the pane went away with the process: the kill landed
                break
            self.stats.steps += 1
            self.promised.update(ADDED.findall(screen), REGISTER_ROW.findall(screen))
            # A fast person, not a flood: the app gets to draw, so saves are seen on screen.
            time.sleep(self.random.uniform(0.0, 0.05))

    def _reopen_and_count(self, context: str) -> None:
        """The app opens the session again and its register counts everyone saved."""
        with SessionStore.open(self.db) as store:
            count = len(store.load_session(self.session_id).stakeholders)
        terminal = Terminal(self.env)
        try:
            self._open_register(terminal, context)
            terminal.wait_for(f"{count} people")
            terminal.keys("C-q")
        except AssertionError as error:
            raise KillCheckFailed(f"{context}: {error}") from None
        finally:
            terminal.kill()


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    # Wait until it is gone, so the checks never race a dying process's last write.
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)
