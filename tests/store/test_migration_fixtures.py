"""Databases written by earlier versions upgrade in place with every record intact.

tests/fixtures/ holds one real SQLite file per earlier schema version, made once by
tests/fixtures/make_fixtures.py and committed. Each is copied, opened with the current
store (which upgrades it), and checked: every row of every old table unchanged, every
session, stakeholder, item, revision, model call and event readable through the store,
everything findable by search, the new tables usable, the CLI able to show it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import FIXTURES, WORKSHOP

from sessions import SessionStore, schema_version
from sessions.bodies import body_hash, validate_body
from sessions.migrations import MIGRATION_NAMES, MIGRATION_SET
from sessions.models import ItemKind

FIXTURE_FILES = sorted(FIXTURES.glob("schema_*.sqlite"))


def version_of(fixture: Path) -> str:
    return fixture.stem.removeprefix("schema_")


def rows(db_path: Path) -> dict[str, list[dict]]:
    """Every row of every table but SQLite's own and the search index internals."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        names = [
            r[0]
            for r in conn.execute(
                """SELECT name FROM sqlite_master WHERE type='table'
                AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'"""
            )
        ]
        return {
            name: [dict(r) for r in conn.execute(f"SELECT * FROM [{name}] ORDER BY rowid")]
            for name in names
        }
    finally:
        conn.close()


@pytest.fixture(params=FIXTURE_FILES, ids=[version_of(f) for f in FIXTURE_FILES])
def old_database(request, tmp_path: Path) -> Path:
    copy = tmp_path / request.param.name
    shutil.copy(request.param, copy)
    return copy


def test_every_earlier_schema_version_has_a_committed_fixture():
    assert [version_of(f) for f in FIXTURE_FILES] == MIGRATION_NAMES[:-1]
    for fixture in FIXTURE_FILES:
        # Each full-text index brings its own few pages: 300 KB is still small.
        assert fixture.stat().st_size < 300_000, f"{fixture.name} should stay small"
        assert not Path(f"{fixture}-wal").exists()


def test_an_old_database_upgrades_with_every_row_unchanged(old_database):
    before = rows(old_database)
    version = version_of(old_database)
    assert [m["name"] for m in before["_sqlite_migrations"]] == MIGRATION_NAMES[
        : MIGRATION_NAMES.index(version) + 1
    ]
    for table in ("sessions", "stakeholders", "items", "revisions", "llm_calls", "events"):
        assert before[table], f"the fixture should have rows in {table}"

    with SessionStore.open(old_database) as store:
        assert schema_version(store.db) == MIGRATION_NAMES[-1]

    after = rows(old_database)
    for table, old_rows in before.items():
        if table == "_sqlite_migrations":
            continue
        # A column added by a later migration is new and empty; every old value stays.
        kept = [
            {name: row[name] for name in (old_rows[0] if old_rows else {})} for row in after[table]
        ]
        assert kept == old_rows, f"{table} changed in the upgrade"
        added = set(after[table][0]) - set(old_rows[0]) if old_rows and after[table] else set()
        assert all(row[name] in (None, "") for row in after[table] for name in added), table
    applied = [
        m["name"] for m in after["_sqlite_migrations"] if m["migration_set"] == MIGRATION_SET
    ]
    assert applied == MIGRATION_NAMES
    conn = sqlite3.connect(old_database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_every_old_record_reads_through_the_store_and_is_found_by_search(old_database):
    raw = rows(old_database)
    with SessionStore.open(old_database) as store:
        for session_row in raw["sessions"]:
            session_id = session_row["id"]
            record = store.load_session(session_id)
            assert record.session.title == session_row["title"]
            assert record.session.participants == json.loads(session_row["participants"])
            assert record.session.priorities == json.loads(session_row["priorities"])
            assert record.session.archived == bool(session_row["archived"])
            assert record.session.parent_id == session_row["parent_id"]
            assert [s.id for s in record.stakeholders] == [
                r["id"]
                for r in sorted(raw["stakeholders"], key=lambda r: r["position"])
                if r["session_id"] == session_id
            ]
            assert {i.id for i in record.items} == {
                r["id"] for r in raw["items"] if r["session_id"] == session_id
            }
            assert len(store.events(session_id)) == sum(
                r["session_id"] == session_id for r in raw["events"]
            )
            assert len(store.llm_calls(session_id)) == sum(
                r["session_id"] == session_id for r in raw["llm_calls"]
            )
            assert store.session_counts(session_id)["items"] == len(record.items)
            hits = store.search(session_row["title"])
            assert (session_id, "session") in {(h.session_id, h.where) for h in hits}

        for person in raw["stakeholders"]:
            found = store.get_stakeholder(person["id"])
            assert (found.name, found.role, found.team, found.notes) == (
                person["name"],
                person["role"],
                person["team"],
                person["notes"],
            )
            hits = store.search(person["name"])
            assert (person["session_id"], "stakeholder") in {(h.session_id, h.where) for h in hits}

        for item_row in raw["items"]:
            item = store.get_item(item_row["id"])
            # Old bodies still pass today's validation, approvals still match their hash.
            assert validate_body(ItemKind(item.kind), item.body) == item.body
            if item.status == "approved":
                assert item.approved_hash == body_hash(item.body)
            history = store.revisions(item.id)
            assert [r.number for r in history] == list(range(1, item.version + 1))
            assert history[-1].body == item.body
            words = " ".join(item_row["body_text"].split()[:6])
            hits = store.search(words)
            assert (item_row["session_id"], item.kind.value) in {
                (h.session_id, h.where) for h in hits
            }


def test_an_upgraded_database_takes_new_work(old_database):
    raw = rows(old_database)
    session_id = raw["sessions"][0]["id"]
    draft = next(
        r for r in raw["items"] if r["session_id"] == session_id and r["status"] == "draft"
    )
    with SessionStore.open(old_database) as store:
        store.set_time_box(session_id, "outcomes", 45)
        store.add_stage_time(session_id, "outcomes", 300)
        assert store.stage_times(session_id)["outcomes"].planned_minutes == 45
        item = store.get_item(draft["id"])
        edited = store.edit_item(item.id, item.body, "Priya Raman", item.version)
        approved = store.approve_item(edited.id, "Priya Raman", edited.version)
        assert approved.status == "approved"
        person = store.add_stakeholder(session_id, {"name": "Nouvelle Personne"})
        assert store.search("Nouvelle")[0].session_id == session_id
        follow_up = store.follow_up(session_id, by="Priya Raman")
        assert follow_up.parent_id == session_id
        assert person.session_id == session_id


def test_the_cli_shows_an_upgraded_session(old_database):
    raw = rows(old_database)
    session = raw["sessions"][0]
    shown = subprocess.run(
        [str(WORKSHOP), "--db", str(old_database), "show", session["id"]],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"COLUMNS": "160"},
    )
    assert shown.returncode == 0, shown.stderr
    assert session["title"] in shown.stdout
    for person in raw["stakeholders"]:
        if person["session_id"] == session["id"]:
            assert person["name"] in shown.stdout


# Several programs open the same old file at once (the app and the CLI after an upgrade):
# each waits for the others' migration instead of applying it a second time.
OPENER = """
import sys
from sessions import SessionStore
print("ready", flush=True)
sys.stdin.readline()
with SessionStore.open(sys.argv[1]) as store:
    print(store.count_sessions(include_archived=True), flush=True)
"""


def test_programs_opening_an_old_file_at_once_upgrade_it_once(old_database, tmp_path):
    expected = len(rows(old_database)["sessions"])
    fixture = old_database.read_bytes()
    for attempt in range(3):
        path = tmp_path / f"race-{attempt}.db"
        path.write_bytes(fixture)
        openers = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        for opener in openers:
            assert opener.stdout is not None and opener.stdout.readline() == "ready\n"
        for opener in openers:
            assert opener.stdin is not None
            opener.stdin.write("go\n")
            opener.stdin.flush()
        for opener in openers:
            out, err = opener.communicate(timeout=60)
            assert opener.returncode == 0, err
            assert out.strip() == str(expected)
        applied = [m["name"] for m in rows(path)["_sqlite_migrations"]]
        assert applied == MIGRATION_NAMES
