"""Kill a scripted workshop at random moments; check that nothing reported saved is lost.

Shared by tests/reliability/test_reliability_kill.py (a few kills, in CI) and
bench/kill_test.py (the full run, `python bench/kill_test.py --kills 50`). Both drivers
work on a real SQLite file and kill with SIGKILL, so no exit handler, `finally` or atexit
gets to tidy up.

`CliKillRun` drives the real `workshop` command, one command per step: `new --from` a
JSON brief with stakeholders, `new --stakeholders` a large CSV, `load --as-copy` a dump
of a full session (items, revisions, approvals, model calls), `followup`, `archive` /
`unarchive`, `export -o` and `delete --yes`. A killer sends SIGKILL after a random delay
drawn from the command's measured running time: some anywhere in it, most in its last
quarter, where the database work happens; a few steps run to the end. The command runs
unbuffered, as on a terminal, so a change counts as *reported saved* as soon as its
result line (the new id, "Archived …", "Wrote …", "Deleted …") was printed.

`StoreKillRun` (in kill_store.py) runs a child process writing through `SessionStore`
without pause. It prints a line before each write (what it is about to write) and one after the
write returned, i.e. was committed, so kills land mostly inside transactions and every
"done" line is a promise that the write is on disk.

After every kill:
- `PRAGMA integrity_check` is ok, `PRAGMA foreign_key_check` finds nothing, the three
  full-text indexes pass FTS5's own integrity check;
- every change reported saved is in the database exactly as it was when reported;
- the change that was in flight is there whole or not at all (never half a session, half
  a list of stakeholders, an item without its revision);
- every item's revisions are numbered 1..version with nothing missing;
- the session opens again: `workshop show ID` for the CLI run, `SessionStore` for the
  child's.
A failed check raises `KillCheckFailed` with the seed, so that the run can be repeated.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support.paths import WORKSHOP

AUTHOR = "Kill Test"
# Text people type, with what tends to break things: accents, RTL, emoji, quotes, commas.
UNICODE_NOTES = [
    'Zoë’s team — «quoted», with commas, and a "double" quote',
    "مرحبا بالعالم: يريد نتائج واضحة",
    "Wants results 🙂📈 not activity",
    "日本語のメモ。予算を管理する",
    "Line one\nline two\n\twith a tab",
]


class KillCheckFailed(AssertionError):
    """Something reported saved was lost, or the database is damaged."""


@dataclass
class KillStats:
    """What the kills hit; printed by the bench script."""

    kills: int = 0
    kills_at_a_write: int = 0  # aimed at the moment the command's transaction hit the WAL
    steps: int = 0
    ran_to_the_end: int = 0
    killed_after_report: int = 0  # the result was printed, then the process was killed
    committed_not_reported: int = 0  # the change landed, the kill came before the print
    not_committed: int = 0  # the kill came before the commit: nothing of it is there
    partial_export_files: int = 0  # an unreported export left a file that is not whole
    by_op: Counter = field(default_factory=Counter)
    driver: str = "cli"

    def summary(self) -> str:
        ops = ", ".join(f"{op} {n}" for op, n in sorted(self.by_op.items()))
        if self.driver == "tui":
            return (
                f"{self.kills} kills of the app in tmux while {self.steps} people were typed "
                f"in; {self.killed_after_report} were shown saved before their kill (all "
                f"kept), {self.committed_not_reported} were saved but not yet on the screen"
            )
        if self.driver == "store":
            return (
                f"{self.kills} kills ({self.kills_at_a_write} while writing, the others "
                f"while opening or writing); the write cut by the kill: there whole "
                f"{self.committed_not_reported} times, not there at all {self.not_committed} "
                f"times; cut writes by kind: {ops}"
            )
        return (
            f"{self.kills} kills in {self.steps} steps ({self.ran_to_the_end} ran to the end; "
            f"{self.kills_at_a_write} kills aimed at a write); killed after reporting: "
            f"{self.killed_after_report}, committed but not yet reported: "
            f"{self.committed_not_reported}, killed before the commit: {self.not_committed}; "
            f"partial export files: {self.partial_export_files}; kills by operation: {ops}"
        )


# Checks shared by both drivers ----------------------------------------------------------


def check_file(db_path: Path, context: str) -> None:
    """The file is a sound SQLite database and the store's invariants hold in it."""
    from sessions.bodies import body_text, validate_body
    from sessions.models import ItemKind

    if not db_path.exists() or db_path.stat().st_size == 0:
        return  # killed before the file or its schema was written: nothing to lose yet
    # mode=rw: the checker must never create the file itself (with its own permissions).
    conn = sqlite3.connect(f"file:{db_path}?mode=rw", uri=True, timeout=10)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise KillCheckFailed(f"{context}: integrity_check says {problems[:5]}")
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            raise KillCheckFailed(f"{context}: rows pointing at nothing: {orphans[:5]}")
        for fts in ("sessions_fts", "stakeholders_fts", "items_fts"):
            try:
                conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as error:
                raise KillCheckFailed(f"{context}: search index {fts}: {error}") from None
        broken = conn.execute(
            """SELECT i.id, i.version, count(r.id), max(r.number) FROM items i
            LEFT JOIN revisions r ON r.item_id = i.id GROUP BY i.id
            HAVING count(r.id) != i.version OR max(r.number) != i.version"""
        ).fetchall()
        if broken:
            raise KillCheckFailed(
                f"{context}: items whose revisions do not run 1..version "
                f"(id, version, revisions, last): {broken[:5]}"
            )
        for item_id, kind, body, text in conn.execute(
            "SELECT id, kind, body, body_text FROM items"
        ):
            if body_text(validate_body(ItemKind(kind), json.loads(body))) != text:
                raise KillCheckFailed(f"{context}: item {item_id}'s search text is stale")
    finally:
        conn.close()


def _query(store, sql: str, params: list[Any] | tuple = ()) -> list[dict[str, Any]]:
    return list(store.db.query(sql, params))


def run_cli(*args: str, db: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed `workshop` command, run to the end."""
    return subprocess.run(
        [str(WORKSHOP), "--db", str(db), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        env=cli_env(),
    )


def cli_env() -> dict[str, str]:
    # Unbuffered: what the command prints reaches the pipe at once, as on a terminal.
    return os.environ | {"COLUMNS": "120", "PYTHONUNBUFFERED": "1"}


def check_show(db: Path, session_id: str, title: str, context: str) -> None:
    """The person can open the session again with the real command."""
    shown = run_cli("show", session_id, db=db)
    if shown.returncode != 0 or "Traceback" in shown.stderr:
        raise KillCheckFailed(f"{context}: `workshop show {session_id}` failed: {shown.stderr}")
    if title not in shown.stdout:
        raise KillCheckFailed(f"{context}: `workshop show {session_id}` lacks {title!r}")


# The CLI driver ---------------------------------------------------------------------


@dataclass
class Step:
    """One `workshop` command of the scripted workshop, and how to judge its effect."""

    op: str
    args: list[str]
    # The session id the printed output reports as saved, or None (nothing reported yet).
    reported: Callable[[str, str], str | None]
    # The session id the change is visible in, or None if it did not land.
    landed: Callable[[Any], str | None]
    # Raises KillCheckFailed unless the change that landed is whole and as intended.
    check_whole: Callable[[Any, str], None]
    target: str | None = None  # an existing session the command changes
    export_path: Path | None = None


def _id_reporter(prefix: str = "") -> Callable[[str, str], str | None]:
    def reported(out: str, _err: str) -> str | None:
        for line in out.split("\n")[:-1]:  # whole lines only: a cut one promises nothing
            line = line.strip()
            if line.startswith(prefix) and "ses_" in line:
                word = next(w for w in line.split() if w.startswith("ses_"))
                return word.rstrip(".;,")
        return None

    return reported


def _project(document: dict[str, Any]) -> dict[str, Any]:
    """A dump without what a copy changes (ids, references, the title): its contents."""
    refs = {"id", "session_id", "item_id", "stakeholder_id", "llm_call_id", "parent_id"}

    def strip(row: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in row.items() if k not in refs}

    out: dict[str, Any] = {"session": strip(document["session"])}
    out["session"].pop("title", None)
    for section in ("stakeholders", "llm_calls", "items", "revisions", "stage_times"):
        out[section] = [strip(r) for r in document[section]]
    out["events"] = [
        (e["kind"], {k: v for k, v in e["detail"].items() if k not in refs})
        for e in document["events"]
        if e["kind"] != "loaded_as_copy"
    ]
    return out


class CliKillRun:
    """The scripted workshop through the real command, killed at random moments."""

    def __init__(self, workdir: Path, seed: int, log: Callable[[str], None] | None = None):
        self.workdir = workdir
        self.db = workdir / "workshop.db"
        self.seed = seed
        self.rng = random.Random(seed)
        self.log = log or (lambda _line: None)
        self.stats = KillStats()
        self.expected: dict[str, dict[str, Any]] = {}  # session id -> dump when reported
        self.deleted: set[str] = set()
        self.durations: dict[str, list[float]] = {}
        self.counter = 0
        self.template = self._make_template()

    # The steps ------------------------------------------------------------------------

    def _make_template(self) -> dict[str, Any]:
        """A full session, dumped, for `load --as-copy`: a big transaction per load."""
        from sessions import SessionStore

        with SessionStore.open(self.workdir / "template.db") as store:
            session_id = build_full_session(store, people=12)
            document = store.dump_session(session_id)
        return document

    def _name(self, what: str) -> str:
        self.counter += 1
        return f"Kill run {self.seed}-{self.counter} {what}"

    def _people(self, count: int) -> list[dict[str, str]]:
        return [
            {
                "name": f"Person {self.counter}-{i} Łukasz",
                "role": "Head of things",
                "team": "Team ✨",
                "notes": self.rng.choice(UNICODE_NOTES) + f" ({i})",
            }
            for i in range(count)
        ]

    def _present(self) -> list[str]:
        return sorted(self.expected)

    def _leaves(self) -> list[str]:
        """Sessions no other session follows up (deleting one changes nothing else)."""
        parents = {d["session"]["parent_id"] for d in self.expected.values()}
        return [s for s in self._present() if s not in parents]

    def next_step(self) -> Step:
        ops = {"new_brief": 3, "new_csv": 2, "load_copy": 2}
        if self.expected:
            ops |= {"followup": 1, "archive": 2, "export": 2}
        if len(self._leaves()) > 4:
            ops["delete"] = 1
        op = self.rng.choices(list(ops), weights=list(ops.values()))[0]
        return getattr(self, f"_step_{op}")()

    def _new_step(self, op: str, args: list[str], title: str, people: list[dict]) -> Step:
        def landed(store) -> str | None:
            rows = _query(store, "SELECT id FROM sessions WHERE title=?", [title])
            if len(rows) > 1:
                raise KillCheckFailed(f"{title!r} was saved {len(rows)} times")
            return rows[0]["id"] if rows else None

        def check_whole(store, session_id: str) -> None:
            got = [
                {k: getattr(s, k) for k in ("name", "role", "team", "notes")}
                for s in store.stakeholders(session_id)
            ]
            if got != people:
                raise KillCheckFailed(
                    f"{op}: session {session_id} has {len(got)} of {len(people)} stakeholders, "
                    "or not as given"
                )
            kinds = [e.kind for e in store.events(session_id)]
            if kinds != ["session_created"]:
                raise KillCheckFailed(f"{op}: session {session_id} has events {kinds}")

        return Step(op, args, _id_reporter("ses_"), landed, check_whole)

    def _step_new_brief(self) -> Step:
        title = self._name("brief")
        people = self._people(self.rng.randint(3, 25))
        brief = {
            "title": title,
            "organisation": "Northwind Analytics",
            "facilitator": "Priya Raman",
            "priorities": ["Grow EU pipeline", "Lift win rate — «enterprise»"],
            "challenges": "Sales sees marketing as lead-gen support only. 🙂",
            "stakeholders": people,
        }
        path = self.workdir / f"brief-{self.counter}.json"
        path.write_text(json.dumps(brief, ensure_ascii=False), encoding="utf-8")
        return self._new_step("new_brief", ["new", "--from", str(path)], title, people)

    def _step_new_csv(self) -> Step:
        import csv

        title = self._name("csv")
        people = self._people(self.rng.randint(100, 300))
        path = self.workdir / f"people-{self.counter}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, ["name", "role", "team", "notes"])
            writer.writeheader()
            writer.writerows(people)
        args = ["new", "--title", title, "--org", "Acme", "--stakeholders", str(path)]
        return self._new_step("new_csv", args, title, people)

    def _step_load_copy(self) -> Step:
        title = self._name("copy")
        document = json.loads(json.dumps(self.template))
        document["session"]["title"] = title
        path = self.workdir / f"dump-{self.counter}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        intended = _project(self.template)

        def landed(store) -> str | None:
            rows = _query(store, "SELECT id FROM sessions WHERE title=?", [title])
            return rows[0]["id"] if rows else None

        def check_whole(store, session_id: str) -> None:
            got = store.dump_session(session_id)
            if _project(got) != intended:
                raise KillCheckFailed(f"load_copy: session {session_id} is not the whole dump")
            if [e["kind"] for e in got["events"]][-1:] != ["loaded_as_copy"]:
                raise KillCheckFailed(f"load_copy: session {session_id} lacks its load event")

        return Step(
            "load_copy", ["load", "--as-copy", str(path)], _id_reporter(), landed, check_whole
        )

    def _step_followup(self) -> Step:
        parent = self.rng.choice(self._present())
        title = self._name("follow-up")
        parent_people = [s["name"] for s in self.expected[parent]["stakeholders"]]

        def landed(store) -> str | None:
            rows = _query(store, "SELECT id FROM sessions WHERE title=?", [title])
            return rows[0]["id"] if rows else None

        def check_whole(store, session_id: str) -> None:
            session = store.get_session(session_id)
            names = [s.name for s in store.stakeholders(session_id)]
            if session.parent_id != parent or names != parent_people:
                raise KillCheckFailed(
                    f"followup: {session_id} is not a whole follow-up of {parent}"
                )

        args = ["followup", parent, "--title", title]
        return Step("followup", args, _id_reporter(), landed, check_whole, target=parent)

    def _step_archive(self) -> Step:
        target = self.rng.choice(self._present())
        before = self.expected[target]
        archive = not before["session"]["archived"]
        word = "archived" if archive else "unarchived"

        def landed(store) -> str | None:
            return target if store.get_session(target).archived == archive else None

        def check_whole(store, session_id: str) -> None:
            _check_changed_only(store, before, session_id, {"archived", "updated_at"}, [word])

        return Step(
            "archive",
            ["archive" if archive else "unarchive", target],
            _id_reporter("Archived" if archive else "Unarchived"),
            landed,
            check_whole,
            target=target,
        )

    def _step_export(self) -> Step:
        target = self.rng.choice(self._present())
        before = self.expected[target]
        path = self.workdir / f"export-{self.counter}-{self.rng.randrange(10**6)}.md"

        def reported(_out: str, err: str) -> str | None:
            return target if f"Wrote {path}" in err else None

        def landed(store) -> str | None:
            events = [e for e in store.events(target) if e.kind == "exported"]
            return target if any(e.detail.get("path") == str(path) for e in events) else None

        def check_whole(store, session_id: str) -> None:
            _check_changed_only(store, before, session_id, set(), ["exported"])
            if not path.exists() or path.read_text(encoding="utf-8") != _export_text(store, target):
                raise KillCheckFailed(f"export: {path} is not the whole export of {target}")

        args = ["export", target, "-o", str(path)]
        return Step("export", args, reported, landed, check_whole, target, export_path=path)

    def _step_delete(self) -> Step:
        target = self.rng.choice(self._leaves())

        def landed(store) -> str | None:
            return None if _query(store, "SELECT 1 FROM sessions WHERE id=?", [target]) else target

        def check_whole(store, session_id: str) -> None:
            for table in ("stakeholders", "items", "events", "llm_calls", "stage_times"):
                left = _query(
                    store, f"SELECT count(*) AS n FROM {table} WHERE session_id=?", [target]
                )
                if left[0]["n"]:
                    raise KillCheckFailed(f"delete: {left[0]['n']} {table} of {target} remain")

        args = ["delete", target, "--yes"]
        return Step("delete", args, _id_reporter("Deleted"), landed, check_whole, target=target)

    # Running --------------------------------------------------------------------------

    def _expected_runtime(self, op: str) -> float:
        samples = self.durations.get(op) or [d for ds in self.durations.values() for d in ds]
        return sorted(samples)[len(samples) // 2] if samples else 0.6

    def _kill_moment(self, op: str) -> tuple[str, float]:
        """('end', 0): let it finish; ('anytime', s): kill s seconds after the start;
        ('write', s): kill s seconds after the command's first write reaches the WAL."""
        draw = self.rng.random()
        if draw < 0.15 or op not in self.durations:
            return "end", 0.0  # progress, and a measure of the running time
        if draw < 0.45:
            return "anytime", self.rng.uniform(0, 1.05 * self._expected_runtime(op))
        return "write", self.rng.uniform(0, 0.004)

    def _wal_state(self) -> tuple[int, int] | None:
        try:
            found = os.stat(f"{self.db}-wal")
        except FileNotFoundError:
            return None
        return found.st_size, found.st_mtime_ns

    def _run(self, step: Step, moment: tuple[str, float]) -> tuple[str, str, bool]:
        mode, delay = moment
        start = time.monotonic()
        wal_before = self._wal_state()
        process = subprocess.Popen(
            [str(WORKSHOP), "--db", str(self.db), *step.args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        kill_at = start + delay if mode == "anytime" else None
        deadline = start + 120
        while mode != "end" and process.poll() is None:
            now = time.monotonic()
            if kill_at is None:
                wal = self._wal_state()
                if wal is not None and wal[0] > 0 and wal != wal_before:
                    kill_at = now + delay  # the transaction is being written
            if (kill_at is not None and now >= kill_at) or now > deadline:
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.0002)
        out, err = process.communicate(timeout=120)
        killed = process.returncode == -signal.SIGKILL
        if not killed:
            self.durations.setdefault(step.op, []).append(time.monotonic() - start)
            if process.returncode != 0 or "Traceback" in err:
                raise KillCheckFailed(
                    f"{self._context(step)}: `workshop {' '.join(step.args)}` failed "
                    f"(exit {process.returncode}): {err.strip()}"
                )
        return out, err, killed

    def _context(self, step: Step) -> str:
        return f"seed {self.seed}, step {self.stats.steps} ({step.op})"

    def step(self) -> bool:
        """Run one step; True when it was killed."""
        from sessions import SessionStore

        step = self.next_step()
        moment = self._kill_moment(step.op)
        self.stats.steps += 1
        out, err, killed = self._run(step, moment)
        context = self._context(step)
        reported = step.reported(out, err)
        if not killed and reported is None:
            raise KillCheckFailed(f"{context}: finished without its result line: {out!r}")
        if killed:
            check_file(self.db, context)  # the file as the kill left it (SQLite recovers it)
        with SessionStore.open(self.db) as store:
            landed = step.landed(store)
            if reported is not None and landed != reported:
                raise KillCheckFailed(f"{context}: reported saved ({reported}) but not there")
            if landed is not None:
                step.check_whole(store, landed)
            elif step.export_path is not None and step.export_path.exists():
                complete = step.export_path.read_text(encoding="utf-8") == _export_text(
                    store, step.target
                )
                self.stats.partial_export_files += not complete
            if killed:
                self._verify_all(store, context, skip={landed} - {None})
            self._adopt(store, step, landed)
        if killed:
            self.stats.kills += 1
            self.stats.kills_at_a_write += moment[0] == "write"
            self.stats.by_op[step.op] += 1
            if reported is not None:
                self.stats.killed_after_report += 1
            elif landed is not None:
                self.stats.committed_not_reported += 1
            else:
                self.stats.not_committed += 1
            shown = landed if landed in self.expected else None
            shown = shown or (self.rng.choice(self._present()) if self.expected else None)
            if shown:
                check_show(self.db, shown, self.expected[shown]["session"]["title"], context)
            self.log(f"kill {self.stats.kills}: {step.op}, {_outcome(reported, landed)}")
        else:
            self.stats.ran_to_the_end += 1
        return killed

    def _adopt(self, store, step: Step, landed: str | None) -> None:
        """What landed is in the file now and must stay there: it joins the expected state."""
        if landed is None:
            return
        if step.op == "delete":
            self.expected.pop(landed, None)
            self.deleted.add(landed)
        else:
            self.expected[landed] = store.dump_session(landed)

    def _verify_all(self, store, context: str, skip: set[str]) -> None:
        from sessions import NotFoundError

        for session_id, document in self.expected.items():
            if session_id in skip:
                continue
            try:
                now = store.dump_session(session_id)
            except NotFoundError:
                raise KillCheckFailed(f"{context}: session {session_id} was lost") from None
            if now != document:
                raise KillCheckFailed(
                    f"{context}: session {session_id} changed: {_diff(document, now)}"
                )
        for session_id in self.deleted:
            if _query(store, "SELECT 1 FROM sessions WHERE id=?", [session_id]):
                raise KillCheckFailed(f"{context}: deleted session {session_id} came back")

    def run(self, kills: int, max_steps: int | None = None) -> KillStats:
        max_steps = max_steps or kills * 6 + 10
        while self.stats.kills < kills:
            if self.stats.steps >= max_steps:
                raise KillCheckFailed(f"seed {self.seed}: only {self.stats.kills} kills landed")
            self.step()
        self.final_check()
        return self.stats

    def final_check(self) -> None:
        from sessions import SessionStore

        context = f"seed {self.seed}, at the end"
        check_file(self.db, context)
        with SessionStore.open(self.db) as store:
            self._verify_all(store, context, skip=set())
        listed = run_cli("list", "--json", "--all", "--limit", "10000", db=self.db)
        if listed.returncode != 0:
            raise KillCheckFailed(f"{context}: `workshop list` failed: {listed.stderr}")
        ids = {s["id"] for s in json.loads(listed.stdout)}
        if not set(self.expected) <= ids:
            raise KillCheckFailed(f"{context}: `workshop list` lacks {set(self.expected) - ids}")


def _outcome(reported: str | None, landed: str | None) -> str:
    if reported is not None:
        return "after the result was printed"
    return "committed, not yet printed" if landed is not None else "before the commit"


def _export_text(store, session_id: str | None) -> str:
    from workshop.service.facade import WorkshopService

    return WorkshopService(store).export.markdown(session_id or "")


def _check_changed_only(
    store, before: dict[str, Any], session_id: str, fields: set[str], new_events: list[str]
) -> None:
    """The session is as before but for these session fields and these new events."""
    now = store.dump_session(session_id)
    kinds = [e["kind"] for e in now["events"]]
    old_kinds = [e["kind"] for e in before["events"]]
    if kinds != old_kinds + new_events:
        raise KillCheckFailed(f"{session_id}: events {kinds[len(old_kinds) :]}, not {new_events}")
    same = {k: v for k, v in now["session"].items() if k not in fields}
    old = {k: v for k, v in before["session"].items() if k not in fields}
    rest = {k: v for k, v in now.items() if k not in ("session", "events")}
    old_rest = {k: v for k, v in before.items() if k not in ("session", "events")}
    if same != old or rest != old_rest:
        raise KillCheckFailed(f"{session_id}: more changed than {fields}: {_diff(before, now)}")


def _diff(before: dict[str, Any], now: dict[str, Any]) -> str:
    changed = [k for k in set(before) | set(now) if before.get(k) != now.get(k)]
    return f"sections {sorted(changed)} differ"


# A full session, for the load template and the store child --------------------------


def segmentation_body(segment: str, note: str) -> dict[str, Any]:
    return {
        "segment": segment,
        "rationale": f"Seen in the interviews: {note}",
        "motivations": ["Visible wins for the team"],
        "objections": ["Leads are poorly qualified"],
        "approach": "Co-design the lead scoring.",
        "messages": ["Better leads, fewer wasted calls"],
        "confidence": "high",
    }


def outcome_body(result: str, target: str | None = None) -> dict[str, Any]:
    return {
        "result": result,
        "metric": "Qualified demos per month",
        "baseline": "12",
        "target": target,
        "due": "end of Q3",
        "owner": "Tom Okafor",
        "priority": "Grow EU pipeline",
        "stakeholders": ["Tom Okafor"],
        "leading_indicators": ["Demo requests"],
    }


def build_full_session(store, people: int = 8) -> str:
    """A session with every kind of record: model calls, drafts, edits, approvals."""
    from sessions import LlmCall

    segments = ["influencer", "champion", "detractor", "decision_maker", "participant"]
    session = store.create_session(
        {
            "title": "Full session",
            "organisation": "Northwind Analytics",
            "facilitator": "Priya Raman",
            "priorities": ["Grow EU pipeline"],
            "challenges": "No shared definition of a qualified lead.",
        },
        [{"name": f"Stakeholder {i} Ωmega", "notes": UNICODE_NOTES[i % 5]} for i in range(people)],
    )
    call = store.record_llm_call(
        LlmCall(session_id=session.id, purpose="segmentation", model="test-model", tokens_in=10)
    )
    for i, person in enumerate(store.stakeholders(session.id)):
        body = segmentation_body(segments[i % 5], person.notes)
        item = store.create_item(
            session.id, "segmentation", body, "model", "model", person.id, call
        )
        if i % 2:
            item = store.edit_item(
                item.id, dict(body, approach=f"Edited {i}"), AUTHOR, item.version
            )
        if i % 3 == 0:
            store.approve_item(item.id, AUTHOR, item.version)
    for n in range(4):
        item = store.create_item(
            session.id, "outcome", outcome_body(f"Outcome {n}"), "person", AUTHOR
        )
        if n % 2 == 0:
            store.approve_item(item.id, AUTHOR, item.version)
    store.create_item(
        session.id,
        "cadence",
        {"segment": "champion", "report": "A monthly note", "frequency": "monthly"},
        "person",
        AUTHOR,
    )
    store.create_item(
        session.id,
        "answers",
        {"entries": [{"question": "What would success look like?", "answer": "مرحبا 🙂"}]},
        "person",
        AUTHOR,
    )
    store.set_stage(session.id, "outcomes")
    store.set_time_box(session.id, "outcomes", 30)
    store.add_stage_time(session.id, "brief", 120.5)
    return session.id
