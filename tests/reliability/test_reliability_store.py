"""The store when the ground moves: a full disk, a read-only file, two programs at once.

Real SQLite files and real processes throughout. Each failure must end in one clear
message (a DatabaseError, never a raw sqlite3 error), with nothing half-written, the
store still usable for reading, and the same write going through once the cause is gone
(the person's edit is kept by the caller, to retry).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from support.disk import assert_really_read_only, fill_the_disk, free_the_disk, read_only
from support.paths import FIXTURES

from sessions import DatabaseError, SessionStore

OUTCOME = {
    "result": "More qualified demos",
    "metric": "Demos per month",
    "baseline": "12",
    "target": "20",
    "due": "end of Q3",
    "owner": "Grace Liu",
    "priority": "Grow EU pipeline",
    "stakeholders": ["Grace Liu"],
    "leading_indicators": ["Demo requests"],
}
# Long enough to need new pages, short enough for a text field (20,000 characters).
BIG = ("Long notes from the workshop, every word of them worth keeping. " * 300).strip()


def table_rows(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read by another connection: the proof nothing changed."""
    conn = sqlite3.connect(db_path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        # The search indexes' own tables too: a half-written index is half-written.
        return {n: sorted(conn.execute(f"SELECT * FROM [{n}]"), key=repr) for n in names}
    finally:
        conn.close()


def integrity(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workshop(store):
    """A session with people and an outcome, as a workshop in progress has."""
    session = store.create_session(
        {"title": "Q3 strategy", "organisation": "Northwind", "challenges": "No shared lead."},
        [{"name": "Grace Liu", "notes": BIG[:8000]}, {"name": "Omar Haddad"}],
    )
    item = store.create_item(session.id, "outcome", OUTCOME, "person", "Priya")
    return session, item


# A full disk ---------------------------------------------------------------------------


BIG_WRITES: dict[str, Callable[[SessionStore, Any, Any], object]] = {
    "edit an item": lambda store, session, item: store.edit_item(
        item.id, dict(OUTCOME, result=BIG, metric=BIG), "Priya", expected_version=item.version
    ),
    "add stakeholders": lambda store, session, item: store.add_stakeholders(
        session.id, [{"name": f"Person {n}", "notes": BIG} for n in range(4)]
    ),
    "create a session": lambda store, session, item: store.create_session(
        {"title": "Q4 strategy", "challenges": BIG}, [{"name": "Ada", "notes": BIG}]
    ),
    "change the brief": lambda store, session, item: store.update_brief(
        session.id, {"title": "Q3 strategy", "challenges": BIG, "marketing_today": BIG}
    ),
    "update a stakeholder": lambda store, session, item: store.update_stakeholder(
        store.stakeholders(session.id)[1].id, notes=BIG
    ),
    "load a session dump": lambda store, session, item: store.load_session_dump(
        store.dump_session(session.id), as_copy=True
    ),
}


@pytest.mark.parametrize("write", list(BIG_WRITES.values()), ids=list(BIG_WRITES))
def test_a_full_disk_refuses_the_write_clearly_and_changes_nothing(store, db_path, workshop, write):
    session, item = workshop
    fill_the_disk(store)
    before = table_rows(db_path)

    with pytest.raises(DatabaseError) as caught:
        write(store, session, item)

    message = str(caught.value)
    assert message == f"The disk holding {db_path} is full; nothing was changed."
    assert not isinstance(caught.value, sqlite3.Error)
    # Nothing half-written, no transaction left holding the file.
    assert not store.db.conn.in_transaction
    assert table_rows(db_path) == before
    assert integrity(db_path) == ["ok"]
    # The app stays up: everything reads as before.
    record = store.load_session(session.id)
    assert record.session.title == "Q3 strategy"
    assert [s.name for s in record.stakeholders] == ["Grace Liu", "Omar Haddad"]
    assert store.search("Northwind")[0].session_id == session.id
    # With room again, the same write, retried as it was, goes through.
    free_the_disk(store)
    write(store, session, item)
    assert table_rows(db_path) != before
    assert integrity(db_path) == ["ok"]


def test_an_edit_refused_by_a_full_disk_is_saved_whole_when_retried(store, workshop):
    session, item = workshop
    fill_the_disk(store)
    edit = dict(OUTCOME, result=BIG, leading_indicators=[BIG[:5000], "Demo requests"])
    with pytest.raises(DatabaseError, match="is full; nothing was changed"):
        store.edit_item(item.id, edit, "Priya", expected_version=item.version)
    assert store.get_item(item.id).body == OUTCOME
    assert [r.number for r in store.revisions(item.id)] == [1]

    free_the_disk(store)
    saved = store.edit_item(item.id, edit, "Priya", expected_version=item.version)
    assert saved.body == edit and saved.version == 2
    assert [r.body for r in store.revisions(item.id)] == [OUTCOME, edit]


def test_a_disk_filling_up_mid_workshop_keeps_everything_saved_before(db_path):
    saved = []
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Filling up"})
        fill_the_disk(store, spare_pages=30)
        with pytest.raises(DatabaseError, match="is full"):
            for n in range(1000):
                saved.append(store.add_stakeholder(session.id, {"name": f"P{n}", "notes": BIG}))
        assert 0 < len(saved) < 1000
        # Every stakeholder the app was told is saved is there, in order, whole.
        assert [s.id for s in store.stakeholders(session.id)] == [s.id for s in saved]
    assert integrity(db_path) == ["ok"]
    with SessionStore.open(db_path) as store:  # a new connection: no page limit
        people = store.stakeholders(session.id)
        assert [(s.name, s.notes) for s in people] == [(s.name, BIG) for s in saved]
        store.add_stakeholder(session.id, {"name": "After", "notes": BIG})


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB file system (tmpfs), where the disk really runs out."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        pytest.skip("no mount command here; the max_page_count tests cover a full disk")
    if mounted.returncode != 0:
        pytest.skip(
            "cannot mount a small file system here (needs root with CAP_SYS_ADMIN): "
            f"{mounted.stderr.strip()}; the max_page_count tests cover a full disk"
        )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def fill_with_ballast(folder: Path) -> Path:
    ballast = folder / "ballast"
    with ballast.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return ballast


def test_a_really_full_file_system_is_reported_and_the_write_retried(tiny_disk):
    db_path = tiny_disk / "workshop.db"
    store = SessionStore.open(db_path)
    try:
        session = store.create_session({"title": "On a tiny disk"}, [{"name": "Ada"}])
        ballast = fill_with_ballast(tiny_disk)
        before = table_rows(db_path)
        people = [{"name": f"Person {n}", "notes": BIG} for n in range(6)]

        with pytest.raises(DatabaseError) as caught:
            store.add_stakeholders(session.id, people)

        assert str(caught.value) == f"The disk holding {db_path} is full; nothing was changed."
        assert not store.db.conn.in_transaction
        assert table_rows(db_path) == before
        assert integrity(db_path) == ["ok"]
        assert [s.name for s in store.stakeholders(session.id)] == ["Ada"]

        ballast.unlink()  # the person makes room, and saves again
        store.add_stakeholders(session.id, people)
        names = [s.name for s in store.stakeholders(session.id)]
        assert names == ["Ada"] + [p["name"] for p in people]
    finally:
        store.close()
    assert integrity(db_path) == ["ok"]


# A read-only file ----------------------------------------------------------------------


def saved_workshop(db_path: Path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Kept"}, [{"name": "Grace Liu"}])
        item = store.create_item(session.id, "outcome", OUTCOME, "person", "Priya")
    return session, item


def test_a_read_only_database_file_reads_and_refuses_writes_clearly(db_path):
    session, item = saved_workshop(db_path)
    before = table_rows(db_path)
    edit = dict(OUTCOME, target="35")

    with read_only(db_path):
        assert_really_read_only(db_path)
        with SessionStore.open(db_path) as store:
            assert store.load_session(session.id).session.title == "Kept"
            writes = [
                lambda: store.edit_item(item.id, edit, "Priya", expected_version=item.version),
                lambda: store.create_session({"title": "New"}),
                lambda: store.add_stakeholder(session.id, {"name": "Omar"}),
                lambda: store.set_stage(session.id, "plan"),
            ]
            for write in writes:
                with pytest.raises(DatabaseError) as caught:
                    write()
                assert str(caught.value) == (
                    f"The database {db_path} is read-only; nothing was changed."
                )
                assert not store.db.conn.in_transaction
            # Still up: reading goes on.
            assert [s.title for s in store.list_sessions()] == ["Kept"]
            assert store.get_item(item.id).body == OUTCOME
        assert table_rows(db_path) == before

    # Writable again: the edit the person kept is saved on retry.
    with SessionStore.open(db_path) as store:
        saved = store.edit_item(item.id, edit, "Priya", expected_version=item.version)
        assert saved.body == edit
    assert integrity(db_path) == ["ok"]


def test_a_retry_on_the_same_open_store_works_once_the_file_is_writable_again(db_path):
    """The app keeps its store open: after "read-only", the person's retry must not need
    a restart once someone has made the file writable."""
    session, item = saved_workshop(db_path)
    edit = dict(OUTCOME, target="35")
    with read_only(db_path):
        assert_really_read_only(db_path)
        store = SessionStore.open(db_path)  # opened while the file is read-only
        with pytest.raises(DatabaseError, match="read-only; nothing was changed"):
            store.edit_item(item.id, edit, "Priya", expected_version=item.version)
        with pytest.raises(DatabaseError, match="read-only"):  # still read-only: same answer
            store.edit_item(item.id, edit, "Priya", expected_version=item.version)
    try:
        saved = store.edit_item(item.id, edit, "Priya", expected_version=item.version)
        assert saved.body == edit and saved.version == 2
        assert store.load_session(session.id).session.title == "Kept"
    finally:
        store.close()
    assert integrity(db_path) == ["ok"]


def test_a_read_only_folder_is_read_and_refuses_writes_with_one_clear_line(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    db_path = folder / "workshop.db"
    saved_workshop(db_path)  # closed cleanly: no -wal or -shm beside it
    digest = file_hash(db_path)

    with read_only(db_path, folder):
        assert_really_read_only(folder)
        with SessionStore.open(db_path) as store:
            listed = store.list_sessions()
            with pytest.raises(DatabaseError) as caught:
                store.create_session({"title": "Not here"})
    assert len(listed) == 1
    assert str(caught.value) == f"The database {db_path} is read-only; nothing was changed."
    assert file_hash(db_path) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["workshop.db"]


def test_an_old_database_on_a_read_only_file_is_not_upgraded_half_way(tmp_path):
    fixture = sorted(FIXTURES.glob("schema_*.sqlite"))[0]
    db_path = tmp_path / "old.db"
    shutil.copy(fixture, db_path)
    digest = file_hash(db_path)

    with read_only(db_path):
        assert_really_read_only(db_path)
        with pytest.raises(DatabaseError) as caught:
            SessionStore.open(db_path)
    assert str(caught.value) == f"The database {db_path} is read-only; nothing was changed."
    assert file_hash(db_path) == digest
    with SessionStore.open(db_path) as store:  # writable again: upgrades as usual
        assert store.count_sessions(include_archived=True) > 0


def test_a_read_only_sqlite_connection_refuses_writes_clearly(db_path):
    # SQLite's own read-only mode: the same refusal for every user, root included.
    session, item = saved_workshop(db_path)
    before = table_rows(db_path)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    store = SessionStore(Database(conn), db_path)
    try:
        with pytest.raises(DatabaseError, match=r"is read-only; nothing was changed\.$"):
            store.edit_item(item.id, dict(OUTCOME, target="35"), "Priya", item.version)
        with pytest.raises(DatabaseError, match="is read-only"):
            store.approve_item(item.id, "Priya", item.version)
        with pytest.raises(DatabaseError, match="is read-only"):
            store.load_session_dump(store.dump_session(session.id), as_copy=True)
        assert not conn.in_transaction
        assert store.load_session(session.id).items[0].body == OUTCOME
    finally:
        store.close()
    assert table_rows(db_path) == before


# Two programs on one database ----------------------------------------------------------

# A person in one program: opens the item, edits it, saves; on a conflict, is told, keeps
# the text, looks at the current one and saves again.
CONFLICT_CHILD = """
import json, sys
from sessions import ConflictError, SessionStore

db, item_id, who, text = sys.argv[1:5]

def say(**line):
    print(json.dumps(line, ensure_ascii=False), flush=True)

with SessionStore.open(db) as store:
    seen = store.get_item(item_id)
    say(read=seen.version)
    sys.stdin.readline()
    mine = dict(seen.body, target=text)
    try:
        say(saved=store.edit_item(item_id, mine, who, expected_version=seen.version).version)
    except ConflictError as error:
        current = store.get_item(item_id)
        say(conflict=str(error), version=error.current_version, theirs=current.body["target"],
            mine=mine["target"])
        sys.stdin.readline()
        say(saved=store.edit_item(item_id, mine, who, expected_version=current.version).version)
"""


def start(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )


def said(process: subprocess.Popen[str]) -> dict[str, Any]:
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        assert process.stderr is not None
        pytest.fail(f"the program stopped: {process.stderr.read()}")
    return json.loads(line)


def tell(process: subprocess.Popen[str], line: str = "go") -> None:
    assert process.stdin is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()


def finish(process: subprocess.Popen[str]) -> str:
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return err


def test_a_conflicting_edit_from_another_program_is_told_and_both_texts_kept(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Shared"})
        item = store.create_item(session.id, "outcome", OUTCOME, "person", "Priya")
    grace = start(CONFLICT_CHILD, str(db_path), item.id, "Grace", "30 by June — Grace")
    omar = start(CONFLICT_CHILD, str(db_path), item.id, "Omar", "45 by May, says مرحبا Omar")
    try:
        assert said(grace) == {"read": 1}
        assert said(omar) == {"read": 1}
        tell(grace)
        assert said(grace) == {"saved": 2}
        tell(omar)
        conflict = said(omar)
        # Omar is told, in words, and keeps his text; Grace's is the one saved.
        assert "changed elsewhere" in conflict["conflict"]
        assert "Your text is kept" in conflict["conflict"]
        assert conflict["version"] == 2
        assert conflict["theirs"] == "30 by June — Grace"
        assert conflict["mine"] == "45 by May, says مرحبا Omar"
        with SessionStore.open(db_path) as store:
            assert store.get_item(item.id).body["target"] == "30 by June — Grace"
            assert [r.author for r in store.revisions(item.id)] == ["Priya", "Grace"]
        tell(omar)  # he compares, and saves his text again
        assert said(omar) == {"saved": 3}
    finally:
        for process in (grace, omar):
            if process.poll() is None:
                finish(process)
    with SessionStore.open(db_path) as store:
        history = store.revisions(item.id)
        assert [(r.author, r.body["target"]) for r in history] == [
            ("Priya", "20"),
            ("Grace", "30 by June — Grace"),
            ("Omar", "45 by May, says مرحبا Omar"),
        ]
    assert integrity(db_path) == ["ok"]


# A program writing as fast as it can: people, edits of one shared item (re-read and
# saved again on a conflict), events, stage changes, new items.
WRITER_CHILD = """
import json, sys
from sessions import ConflictError, SessionStore

db, session_id, item_id, who, count, outcome = sys.argv[1:7]
outcome = json.loads(outcome)
stages = ["stakeholders", "segmentation", "outcomes", "plan"]
conflicts = 0
with SessionStore.open(db) as store:
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()
    for n in range(int(count)):
        kind = n % 5
        if kind == 0:
            store.add_stakeholder(session_id, {"name": f"{who} {n}"})
        elif kind == 1:
            while True:
                current = store.get_item(item_id)
                body = dict(current.body, target=f"{who} {n}")
                try:
                    store.edit_item(item_id, body, who, expected_version=current.version)
                    break
                except ConflictError:
                    conflicts += 1
        elif kind == 2:
            store.record_event(session_id, "tick", {"who": who, "n": n})
        elif kind == 3:
            store.set_stage(session_id, stages[n % 4])
        else:
            body = dict(outcome, result=f"{who} {n}")
            store.create_item(session_id, "outcome", body, "person", who)
print(json.dumps({"done": int(count), "conflicts": conflicts}), flush=True)
"""


def shared_workshop(db_path: Path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Shared"})
        item = store.create_item(session.id, "outcome", OUTCOME, "person", "Priya")
    return session, item


def test_two_programs_writing_200_times_each_never_hit_a_locked_database(db_path):
    session, item = shared_workshop(db_path)
    writers = [
        start(WRITER_CHILD, str(db_path), session.id, item.id, who, "200", json.dumps(OUTCOME))
        for who in ("App", "CLI")
    ]
    for writer in writers:
        assert said(writer) == {"ready": True}
    for writer in writers:
        tell(writer)  # both start at once
    results = []
    for writer in writers:
        results.append(said(writer))
        err = finish(writer)
        assert "locked" not in err and "busy" not in err
    assert [r["done"] for r in results] == [200, 200]

    with SessionStore.open(db_path) as store:
        names = [s.name for s in store.stakeholders(session.id)]
        for who in ("App", "CLI"):
            assert [n for n in names if n.startswith(who)] == [
                f"{who} {n}" for n in range(0, 200, 5)
            ]
        ticks = [e for e in store.events(session.id) if e.kind == "tick"]
        assert len(ticks) == 80
        record = store.load_session(session.id)
        assert len(record.items) == 1 + 80
        shared = store.get_item(item.id)
        assert shared.version == 1 + 80  # every edit saved, none lost to the other
        assert [r.number for r in store.revisions(item.id)] == list(range(1, 82))
    assert integrity(db_path) == ["ok"]


def test_the_cli_works_while_another_program_writes(db_path):
    from support.kill_workshop import run_cli

    session, item = shared_workshop(db_path)
    writer = start(
        WRITER_CHILD, str(db_path), session.id, item.id, "App", "300", json.dumps(OUTCOME)
    )
    assert said(writer) == {"ready": True}
    tell(writer)
    created = []
    for n in range(4):
        made = run_cli("new", "--title", f"From the CLI {n}", db=db_path)
        assert made.returncode == 0, made.stderr
        created.append(made.stdout.strip())
        listed = run_cli("list", "--json", "--limit", "100", db=db_path)
        assert listed.returncode == 0, listed.stderr
        assert created[-1] in listed.stdout
    assert said(writer)["done"] == 300
    finish(writer)
    with SessionStore.open(db_path) as store:
        assert {s.id for s in store.list_sessions(limit=100)} == {session.id, *created}


OPENER = """
import sys
from sessions import SessionStore
print("ready", flush=True)
sys.stdin.readline()
with SessionStore.open(sys.argv[1]) as store:
    store.create_session({"title": sys.argv[2]})
"""


def test_programs_creating_a_new_database_at_once_all_succeed(tmp_path):
    # The app and the CLI started together on a first run: one creates the schema, the
    # others wait for it instead of failing with "table already exists" or "locked".
    for attempt in range(3):
        db_path = tmp_path / f"new-{attempt}.db"
        openers = [start(OPENER, str(db_path), f"Program {n}") for n in range(4)]
        for opener in openers:
            assert opener.stdout is not None and opener.stdout.readline() == "ready\n"
        for opener in openers:
            tell(opener)
        for opener in openers:
            finish(opener)
        with SessionStore.open(db_path) as store:
            titles = sorted(s.title for s in store.list_sessions())
            assert titles == [f"Program {n}" for n in range(4)]
        assert integrity(db_path) == ["ok"]
