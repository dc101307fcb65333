"""Files built to break the reader, through the real `workshop` command: one clear line,
exit code 1, nothing written, never a traceback (the helpers fail on one)."""

from __future__ import annotations

import os

import pytest
from support.history_helpers import run

from sessions import SessionStore

DEEP = 100_000


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", "[" * DEEP + "]" * DEEP),
        ("deep-object.json", '{"a":' * DEEP + "1" + "}" * DEEP),
    ],
    ids=["lists", "objects"],
)
def test_a_dump_nested_beyond_reading_is_refused_in_one_line(db_path, tmp_path, name, text):
    dump = tmp_path / name
    dump.write_text(text)

    result = run("load", str(dump), db=db_path, check=False)

    assert result.returncode == 1
    assert "is not a session dump: nested too deeply to read" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with SessionStore.open(db_path) as store:
        assert store.list_sessions() == []


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("brief.json", "[" * DEEP + "]" * DEEP),
        ("brief.toml", "title = " + "[" * DEEP + "]" * DEEP),
    ],
    ids=["json", "toml"],
)
def test_a_brief_nested_beyond_reading_is_refused_in_one_line(db_path, tmp_path, name, text):
    brief = tmp_path / name
    brief.write_text(text)

    result = run("new", "--from", str(brief), db=db_path, check=False)

    assert result.returncode == 1
    assert f"{name}: nested too deeply to read" in result.stderr


def test_a_config_nested_beyond_reading_is_named_by_doctor(db_path, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("model = " + "[" * DEEP + "]" * DEEP)
    monkeypatch.setenv("WORKSHOP_CONFIG", str(config))

    result = run("doctor", db=db_path, check=False)

    assert result.returncode == 1
    assert "config.toml: nested too deeply to read" in result.stdout + result.stderr


def test_another_programs_database_is_refused_untouched(tmp_path):
    import hashlib
    import sqlite3

    theirs = tmp_path / "orders.db"
    with sqlite3.connect(theirs) as db:
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
        db.execute("INSERT INTO orders (total) VALUES (12.5)")
    before = hashlib.sha256(theirs.read_bytes()).hexdigest()

    result = run("list", db=theirs, check=False)

    assert result.returncode == 3
    assert "is another program's database (its tables: orders)" in result.stderr
    assert hashlib.sha256(theirs.read_bytes()).hexdigest() == before
    assert not (tmp_path / "orders.db-wal").exists()


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("a-file/workshop.db", "part of its folder path is a file"),
        ("x" * 300 + ".db", "File name too long"),
        ("/proc/self/workshop.db", "No such file or directory"),
    ],
    ids=["parent-is-a-file", "name-too-long", "proc"],
)
def test_a_path_that_cannot_hold_a_database_is_said_in_one_line(tmp_path, where, reason):
    (tmp_path / "a-file").write_text("not a folder")
    path = where if where.startswith("/") else str(tmp_path / where)

    result = run("list", db=path, check=False)

    assert result.returncode == 3
    assert result.stderr.strip() == (
        f"workshop: Cannot use {path} for the database ({reason}); give a file in a folder "
        "you can write. Nothing was changed."
    )


def _special_files(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # nobody writes to it: opening it to read would wait for ever
    return {"zeros": "/dev/zero", "random": "/dev/urandom", "fifo": str(fifo)}


@pytest.mark.parametrize("kind", ["zeros", "random", "fifo"])
def test_a_device_or_a_pipe_is_refused_at_once_wherever_a_file_is_read(
    db_path, tmp_path, monkeypatch, kind
):
    special = _special_files(tmp_path)[kind]

    stakeholders = run("new", "--title", "Q3", "--stakeholders", special, db=db_path, check=False)
    loaded = run("load", special, db=db_path, check=False)
    brief = run("new", "--from", special, db=db_path, check=False)
    monkeypatch.setenv("WORKSHOP_CONFIG", special)
    monkeypatch.setenv("WORKSHOP_MODEL", "qwen")
    doctor = run("doctor", db=db_path, check=False)

    for result in (stakeholders, loaded, brief, doctor):
        assert result.returncode == 1
        assert f"{special}: not a regular file (a device, a pipe or a socket)" in (
            result.stdout + result.stderr
        )
    monkeypatch.delenv("WORKSHOP_CONFIG")
    assert "No sessions yet" in run("list", db=db_path).stdout


def test_a_file_over_the_limit_is_refused_by_what_was_read(db_path, tmp_path):
    big = tmp_path / "people.csv"
    with big.open("w") as handle:
        handle.write("name,role\n")
        for n in range(400_000):
            handle.write(f"Person {n},Lead\n")

    result = run("new", "--title", "Q3", "--stakeholders", str(big), db=db_path, check=False)

    assert result.returncode == 1
    assert "larger than 5 MB; is it the right file?" in result.stderr


def test_a_database_in_a_read_only_folder_is_read_and_every_write_says_why_not(tmp_path):
    import shutil

    from support.disk import assert_really_read_only, read_only
    from support.factory import make_session
    from support.paths import FIXTURES

    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "workshop.db"
    session_id = make_session(db, 2)  # closed: no -wal or -shm beside it now
    old = folder / "old.db"
    shutil.copy(FIXTURES / "schema_m001_initial_schema.sqlite", old)
    with read_only(folder):
        assert_really_read_only(folder)

        listed = run("list", db=db)
        shown = run("show", session_id, db=db)
        exported = run("export", session_id, db=db)
        archived = run("archive", session_id, db=db, check=False)
        upgraded = run("list", db=old, check=False)

    assert "Q3 strategy" in listed.stdout and "Person 01" in shown.stdout
    assert exported.stdout.startswith("# Q3 strategy")
    assert archived.returncode == 3
    assert (
        archived.stderr.strip() == f"workshop: The database {db} is read-only; nothing was changed."
    )
    assert upgraded.returncode == 3
    assert "needs upgrading to this version" in upgraded.stderr
    assert "its folder cannot be written; nothing was changed" in upgraded.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["old.db", "workshop.db"]


def test_a_really_full_disk_is_named_as_full_and_reading_still_works(tmp_path):
    import shutil

    from support.disk import fill_the_file_system, small_disk
    from support.factory import make_session

    made = tmp_path / "made.db"
    session_id = make_session(made, 2)
    with small_disk(tmp_path / "disk") as disk:
        db = disk / "workshop.db"
        shutil.copy(made, db)  # as a closed database is: no -wal or -shm yet
        filler = fill_the_file_system(disk)

        listed = run("list", db=db, check=False)
        added = run("new", "--title", "One more", db=db, check=False)
        filler.unlink()
        again = run("new", "--title", "One more", db=db, check=False)

    assert listed.returncode == 0 and session_id in listed.stdout
    assert added.returncode == 3
    assert added.stderr.strip() == f"workshop: The disk holding {db} is full; nothing was changed."
    assert again.returncode == 0, again.stderr
