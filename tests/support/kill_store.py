"""The store driver of the kill test: a child writing through SessionStore, killed at random.

The child (this file, run as `python -m support.kill_store store-writer DB SEED` with the
tests folder on PYTHONPATH) prints a line
before each write (what it is about to write) and one after the write returned, i.e. was
committed, so kills land mostly inside transactions and every "done" line is a promise
that the write is on disk. See kill_workshop.py for the checks made after every kill.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support.kill_workshop import (
    AUTHOR,
    UNICODE_NOTES,
    KillCheckFailed,
    KillStats,
    _query,
    check_file,
    check_show,
    outcome_body,
)
from support.paths import ROOT, TESTS


def _child_path() -> str:
    """The child's PYTHONPATH: `support` (the tests folder) and the app (the repository)."""
    return os.pathsep.join(filter(None, [str(TESTS), str(ROOT), os.environ.get("PYTHONPATH")]))


# The store driver ---------------------------------------------------------------------


def _emit(**line: Any) -> None:
    print(json.dumps(line, ensure_ascii=False), flush=True)


def store_writer(db: Path, seed: int) -> None:
    """The child: write through SessionStore without pause, saying what and when."""
    from sessions import SessionStore

    rng = random.Random(seed)
    store = SessionStore.open(db)
    sessions = [r["id"] for r in _query(store, "SELECT id FROM sessions")]
    items = [r["id"] for r in _query(store, "SELECT id FROM items")]
    _emit(ready=True)
    n = 0
    while True:
        n += 1
        marker = f"{seed}-{n}"
        op = rng.choice(["session", "people", "item", "edit", "edit", "approve", "event"])
        if op == "session" or not sessions:
            title = f"Store run {marker}"
            names = [f"Person {marker}-{i} Zoë" for i in range(rng.randint(1, 8))]
            _emit(begin="session", title=title, names=names)
            people = [{"name": name, "notes": rng.choice(UNICODE_NOTES)} for name in names]
            session = store.create_session({"title": title}, people)
            sessions.append(session.id)
            added = [[s.id, s.name] for s in store.stakeholders(session.id)]
            _emit(done="session", id=session.id, title=title, stakeholders=added)
        elif op == "people":
            session_id = rng.choice(sessions)
            names = [f"Added {marker}-{i} ✨" for i in range(rng.randint(1, 6))]
            _emit(begin="people", session=session_id, names=names)
            added = store.add_stakeholders(session_id, [{"name": name} for name in names])
            _emit(done="people", stakeholders=[[s.id, s.name] for s in added])
        elif op == "item" or not items:
            session_id = rng.choice(sessions)
            body = outcome_body(f"Outcome {marker} 📈", rng.choice([None, "60"]))
            _emit(begin="item", session=session_id, body=body)
            item = store.create_item(session_id, "outcome", body, "person", AUTHOR)
            items.append(item.id)
            _emit(done="item", id=item.id, version=item.version, body=item.body, status="draft")
        elif op == "edit":
            current = store.get_item(rng.choice(items))
            body = dict(current.body, target=f"{marker} «edited»")
            _emit(begin="edit", item=current.id, version=current.version, body=body)
            item = store.edit_item(current.id, body, AUTHOR, expected_version=current.version)
            _emit(done="edit", id=item.id, version=item.version, body=item.body, status="draft")
        elif op == "approve":
            current = store.get_item(rng.choice(items))
            if current.status == "approved":
                continue
            _emit(begin="approve", item=current.id, version=current.version)
            item = store.approve_item(current.id, AUTHOR, expected_version=current.version)
            _emit(
                done="approve", id=item.id, version=item.version, body=item.body, status="approved"
            )
        else:
            session_id = rng.choice(sessions)
            _emit(begin="event", session=session_id, marker=marker)
            event_id = store.record_event(session_id, "kill_test", {"marker": marker})
            _emit(done="event", id=event_id, session=session_id, marker=marker)


class StoreKillRun:
    """Children writing through the store, killed at random; every 'done' must hold."""

    def __init__(self, workdir: Path, seed: int, log: Callable[[str], None] | None = None):
        self.db = workdir / "store-kill.db"
        self.seed = seed
        self.rng = random.Random(seed)
        self.log = log or (lambda _line: None)
        self.stats = KillStats(driver="store")
        self.sessions: dict[str, str] = {}  # id -> title
        self.stakeholders: dict[str, str] = {}  # id -> name
        self.items: dict[str, dict[str, Any]] = {}  # id -> last reported {version, body, status}
        self.events: dict[str, str] = {}  # id -> marker

    def _child(self, child_seed: int) -> list[dict[str, Any]]:
        """One writer, killed at a random moment; the lines it printed before."""
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "support.kill_store",
                "store-writer",
                str(self.db),
                str(child_seed),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ | {"PYTHONUNBUFFERED": "1", "PYTHONPATH": _child_path()},
        )
        lines: list[str] = []
        ready = threading.Event()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line)
                if '"ready"' in line:
                    ready.set()
            ready.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        writing = self.rng.random() >= 0.2
        if writing:
            ready.wait(60)
            time.sleep(self.rng.uniform(0, 0.4))
        else:
            time.sleep(self.rng.uniform(0, 0.5))  # maybe while it is still opening the file
        self.stats.kills_at_a_write += writing
        process.send_signal(signal.SIGKILL)
        process.wait()
        reader.join(10)
        assert process.stderr is not None
        err = process.stderr.read()
        process.stderr.close()
        if process.returncode != -signal.SIGKILL or "Traceback" in err:
            raise KillCheckFailed(f"seed {self.seed}: the writer failed on its own: {err}")
        parsed = []
        for line in lines:
            with contextlib.suppress(json.JSONDecodeError):
                parsed.append(json.loads(line))  # a line cut by the kill is not a promise
        return parsed

    def run(self, kills: int) -> KillStats:
        from sessions import SessionStore

        for number in range(1, kills + 1):
            context = f"seed {self.seed}, kill {number}"
            lines = self._child(self.rng.randrange(10**9))
            self.stats.kills += 1
            self.stats.steps += 1
            in_flight = None
            for line in lines:
                if "begin" in line:
                    in_flight = line
                elif "done" in line:
                    self._remember(line)
                    in_flight = None
            check_file(self.db, context)
            with SessionStore.open(self.db) as store:
                self._verify(store, context)
                if in_flight is not None:
                    self.stats.by_op[in_flight["begin"]] += 1
                    if self._check_in_flight(store, in_flight, context):
                        self.stats.committed_not_reported += 1
                    else:
                        self.stats.not_committed += 1
                for session_id in self.sessions:
                    store.load_session(session_id)  # every reported session opens
            self.log(
                f"kill {number}: {len(lines)} lines, in flight: {in_flight and in_flight['begin']}"
            )
        if self.sessions:
            session_id = self.rng.choice(sorted(self.sessions))
            check_show(self.db, session_id, self.sessions[session_id], f"seed {self.seed}, end")
        return self.stats

    def _remember(self, line: dict[str, Any]) -> None:
        done = line["done"]
        if done == "session":
            self.sessions[line["id"]] = line["title"]
        if done in ("session", "people"):
            self.stakeholders.update(dict(line["stakeholders"]))
        elif done in ("item", "edit", "approve"):
            self.items[line["id"]] = line
        elif done == "event":
            self.events[line["id"]] = line["marker"]

    def _verify(self, store, context: str) -> None:
        """Every write a child reported done is in the file as reported."""
        from sessions import NotFoundError

        try:
            for session_id, title in self.sessions.items():
                if store.get_session(session_id).title != title:
                    raise KillCheckFailed(f"{context}: session {session_id} lost its title")
            for stakeholder_id, name in self.stakeholders.items():
                if store.get_stakeholder(stakeholder_id).name != name:
                    raise KillCheckFailed(f"{context}: stakeholder {stakeholder_id} changed")
            for item_id, line in self.items.items():
                item = store.get_item(item_id)
                revision = store.revisions(item_id)[line["version"] - 1]
                if item.version < line["version"] or (revision.body, revision.status) != (
                    line["body"],
                    line["status"],
                ):
                    raise KillCheckFailed(
                        f"{context}: item {item_id} lost version {line['version']} as reported"
                    )
            known = {r["id"] for r in _query(store, "SELECT id FROM events WHERE kind='kill_test'")}
            if set(self.events) - known:
                raise KillCheckFailed(f"{context}: events lost: {set(self.events) - known}")
        except NotFoundError as error:
            raise KillCheckFailed(f"{context}: reported saved, now missing: {error}") from None

    def _check_in_flight(self, store, line: dict[str, Any], context: str) -> bool:
        """The write cut by the kill is all there or not there at all; True if there."""
        op = line["begin"]
        if op == "session":
            rows = _query(store, "SELECT id FROM sessions WHERE title=?", [line["title"]])
            if rows:
                names = [s.name for s in store.stakeholders(rows[0]["id"])]
                if names != line["names"]:
                    raise KillCheckFailed(f"{context}: half a session: {names} of {line['names']}")
            return bool(rows)
        if op == "people":
            names = {s.name for s in store.stakeholders(line["session"])}
            landed = [n for n in line["names"] if n in names]
            if landed and len(landed) != len(line["names"]):
                raise KillCheckFailed(f"{context}: {len(landed)} of {len(line['names'])} people")
            return bool(landed)
        if op == "item":
            rows = _query(
                store,
                "SELECT id FROM items WHERE session_id=? AND json_extract(body, '$.result')=?",
                [line["session"], line["body"]["result"]],
            )
            if rows and store.get_item(rows[0]["id"]).body != line["body"]:
                raise KillCheckFailed(f"{context}: the new item is not as written")
            return bool(rows)
        if op in ("edit", "approve"):
            item = store.get_item(line["item"])
            if item.version == line["version"]:
                return False
            expected = line.get("body", item.body)
            wanted = "approved" if op == "approve" else "draft"
            if (
                item.version != line["version"] + 1
                or item.body != expected
                or item.status != wanted
            ):
                raise KillCheckFailed(f"{context}: the {op} of {item.id} is not whole")
            return True
        rows = _query(
            store,
            "SELECT id FROM events WHERE kind='kill_test' AND json_extract(detail, '$.marker')=?",
            [line["marker"]],
        )
        return bool(rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["store-writer"]:
        store_writer(Path(sys.argv[2]), int(sys.argv[3]))
