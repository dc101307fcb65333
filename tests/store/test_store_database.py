"""The database file itself: permissions, connection settings, migrations, damage, commits."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

import sessions
from sessions import (
    DatabaseError,
    LlmCall,
    SessionStore,
    StoreError,
    default_database_path,
    schema_version,
)
from sessions import database as database_module
from sessions.migrations import MIGRATION_NAMES, MIGRATION_SET, migrations

OUTCOME = {
    "result": "More qualified demos",
    "metric": "Demos per month",
    "baseline": None,
    "target": None,
    "due": None,
    "owner": "Grace",
    "priority": "Growth",
    "stakeholders": [],
    "leading_indicators": [],
}


def raw(db_path: Path) -> sqlite3.Connection:
    """An independent plain sqlite3 connection, as another program would open the file."""
    return sqlite3.connect(db_path)


def one(db_path: Path, sql: str, params: tuple = ()):
    conn = raw(db_path)
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.close()


# The file and the connection -----------------------------------------------------------


def test_a_new_database_file_is_private_to_its_owner(db_path):
    assert not db_path.exists()
    with SessionStore.open(db_path) as store:
        store.create_session({"title": "Private"})
    mode = stat.S_IMODE(db_path.stat().st_mode)
    assert mode == 0o600


def test_the_file_is_private_even_with_a_permissive_umask(db_path):
    old = os.umask(0)
    try:
        SessionStore.open(db_path).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_missing_folders_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "workshop.db"
    with SessionStore.open(path) as store:
        store.create_session({"title": "Nested"})
    assert path.exists()


def test_an_existing_files_permissions_are_left_alone(db_path):
    SessionStore.open(db_path).close()
    db_path.chmod(0o640)
    SessionStore.open(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o640


def test_the_connection_uses_wal_foreign_keys_and_a_busy_timeout(store):
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_wal_mode_is_stored_in_the_file(store, db_path):
    assert one(db_path, "PRAGMA journal_mode")[0] == "wal"


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.db.execute(
            """INSERT INTO stakeholders (id, session_id, position, name, created_at, updated_at)
            VALUES ('stk_bogus', 'ses_missing', 0, 'Nobody', 'now', 'now')"""
        )
    assert store.db.execute("SELECT count(*) FROM stakeholders").fetchone()[0] == 0
    # The failed statement left no transaction open to block later writes.
    assert not store.db.conn.in_transaction
    store.create_session({"title": "Still writable"})


def test_default_database_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_DB", str(tmp_path / "mine.db"))
    assert default_database_path() == tmp_path / "mine.db"
    monkeypatch.delenv("WORKSHOP_DB")
    # The autouse fixture points XDG_DATA_HOME into a temporary home.
    expected = Path(os.environ["XDG_DATA_HOME"]) / "strategy-workshop" / "workshop.db"
    assert default_database_path() == expected


def test_open_without_a_path_uses_workshop_db(monkeypatch, tmp_path):
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("WORKSHOP_DB", str(target))
    with SessionStore.open() as store:
        store.create_session({"title": "Env"})
    assert target.exists()
    assert one(target, "SELECT title FROM sessions") == ("Env",)


# Migrations ----------------------------------------------------------------------------


def test_a_fresh_database_has_every_migration_applied(store):
    assert schema_version(store.db) == MIGRATION_NAMES[-1]
    applied = [m.name for m in migrations.applied(store.db)]
    assert applied == MIGRATION_NAMES
    assert migrations.pending(store.db) == []
    for table in ["sessions", "stakeholders", "items", "revisions", "llm_calls", "events"]:
        assert store.db[table].exists(), table
    assert store.db["stage_times"].exists()


def test_reopening_applies_nothing_twice(db_path):
    SessionStore.open(db_path).close()
    SessionStore.open(db_path).close()
    rows = one(
        db_path, "SELECT count(*) FROM _sqlite_migrations WHERE migration_set=?", (MIGRATION_SET,)
    )
    assert rows == (len(MIGRATION_NAMES),)


def make_first_version_database(path: Path) -> None:
    """A database as the first release left it: only m001, with one session in it."""
    database_module._create_private_file(path)
    db = Database(sqlite3.connect(path))
    database_module._configure(db)
    migrations.apply(db, stop_before="m002_stage_times")
    assert schema_version(db) == "m001_initial_schema"
    assert not db["stage_times"].exists()
    db.execute(
        """INSERT INTO sessions (id, title, organisation, participants, priorities, stage,
        created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)""",
        [
            "ses_000000000001",
            "Founding workshop",
            "Old Mill Co-op",
            '["Ada"]',
            '["Stay independent"]',
            "plan",
            "2023-05-01T09:00:00.000000Z",
            "2023-05-01T12:00:00.000000Z",
        ],
    )
    db.execute(
        """INSERT INTO stakeholders (id, session_id, position, name, notes, created_at,
        updated_at) VALUES (?,?,?,?,?,?,?)""",
        [
            "stk_000000000001",
            "ses_000000000001",
            0,
            "Ada",
            "Keeps the books.",
            "2023-05-01T09:00:00.000000Z",
            "2023-05-01T09:00:00.000000Z",
        ],
    )
    db.close()


def test_a_first_version_database_upgrades_in_place_with_nothing_lost(db_path):
    make_first_version_database(db_path)

    with SessionStore.open(db_path) as store:
        assert schema_version(store.db) == MIGRATION_NAMES[-1]
        assert store.db["stage_times"].exists()
        record = store.load_session("ses_000000000001")
        assert record.session.title == "Founding workshop"
        assert record.session.organisation == "Old Mill Co-op"
        assert record.session.participants == ["Ada"]
        assert record.session.priorities == ["Stay independent"]
        assert record.session.stage == "plan"
        assert record.session.created_at == "2023-05-01T09:00:00.000000Z"
        assert [(s.name, s.notes) for s in record.stakeholders] == [("Ada", "Keeps the books.")]
        # Search still works over the old rows, and the new table takes rows.
        assert store.search("Old Mill")[0].session_id == "ses_000000000001"
        store.db.execute(
            "INSERT INTO stage_times (session_id, stage, planned_minutes) VALUES (?,?,?)",
            ["ses_000000000001", "plan", 30],
        )
        assert [s.id for s in store.list_sessions()] == ["ses_000000000001"]

    assert one(db_path, "SELECT planned_minutes FROM stage_times") == (30,)


def test_a_database_from_a_newer_version_is_refused(db_path):
    with SessionStore.open(db_path) as store:
        store.create_session({"title": "Precious"})
    conn = raw(db_path)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?,?,?)",
            [MIGRATION_SET, "m999_from_the_future", "2030-01-01 00:00:00+00:00"],
        )
    conn.close()

    with pytest.raises(DatabaseError) as caught:
        SessionStore.open(db_path)
    message = str(caught.value)
    assert "newer version" in message
    assert str(db_path) in message
    assert "m999_from_the_future" in message
    # Nothing was touched: the data and the future migration are still there.
    assert one(db_path, "SELECT title FROM sessions") == ("Precious",)
    assert one(
        db_path, "SELECT count(*) FROM _sqlite_migrations WHERE name='m999_from_the_future'"
    ) == (1,)


def test_other_migration_sets_in_the_same_file_are_not_mistaken_for_newer(db_path):
    SessionStore.open(db_path).close()
    conn = raw(db_path)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?,?,?)",
            ["some-datasette-plugin", "m001_plugin_tables", "2030-01-01"],
        )
    conn.close()
    with SessionStore.open(db_path) as store:
        assert schema_version(store.db) == MIGRATION_NAMES[-1]


# Files that are not databases ----------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(os.urandom(8192), id="random bytes"),
        pytest.param(b"Dear diary,\nToday I wrote a workshop plan.\n" * 20, id="text file"),
        pytest.param(b"notes\n", id="short text file"),
        pytest.param(b"x", id="one byte"),
        pytest.param(b"# Strategy\n\n| a | b |\n", id="markdown"),
    ],
)
def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path, content):
    path = tmp_path / "not-a-database.db"
    path.write_bytes(content)

    with pytest.raises(DatabaseError) as caught:
        SessionStore.open(path)

    message = str(caught.value)
    assert str(path) in message
    assert "not a Strategy Workshop database" in message
    assert not isinstance(caught.value, sqlite3.Error)
    assert isinstance(caught.value, StoreError)
    # The person's file is left exactly as it was.
    assert path.read_bytes() == content


def test_a_folder_in_place_of_the_file_is_refused_clearly(tmp_path):
    folder = tmp_path / "workshop.db"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="Cannot open"):
        SessionStore.open(folder)


def test_an_empty_file_becomes_a_database(db_path):
    db_path.touch()
    with SessionStore.open(db_path) as store:
        store.create_session({"title": "From empty"})
        assert store.count_sessions() == 1


# Commits and concurrency ---------------------------------------------------------------


def test_every_write_is_committed_before_it_returns(store, db_path):
    other = raw(db_path)
    try:

        def seen(sql: str, *params) -> object:
            row = other.execute(sql, params).fetchone()
            return row[0] if row else None

        session = store.create_session({"title": "Seen"}, [{"name": "Ada"}])
        assert seen("SELECT title FROM sessions WHERE id=?", session.id) == "Seen"
        assert seen("SELECT name FROM stakeholders WHERE session_id=?", session.id) == "Ada"

        store.update_brief(session.id, {"title": "Seen again"})
        assert seen("SELECT title FROM sessions WHERE id=?", session.id) == "Seen again"

        store.set_stage(session.id, "outcomes")
        assert seen("SELECT stage FROM sessions WHERE id=?", session.id) == "outcomes"

        store.set_archived(session.id, True)
        assert seen("SELECT archived FROM sessions WHERE id=?", session.id) == 1

        grace = store.add_stakeholder(session.id, {"name": "Grace"})
        assert seen("SELECT name FROM stakeholders WHERE id=?", grace.id) == "Grace"

        store.update_stakeholder(grace.id, notes="Loves dashboards")
        assert seen("SELECT notes FROM stakeholders WHERE id=?", grace.id) == "Loves dashboards"

        store.move_stakeholder(grace.id, -1)
        assert seen("SELECT position FROM stakeholders WHERE id=?", grace.id) == 0

        call_id = store.record_llm_call(LlmCall(session_id=session.id, purpose="p", model="m"))
        assert seen("SELECT model FROM llm_calls WHERE id=?", call_id) == "m"

        item = store.create_item(session.id, "outcome", OUTCOME, "model", "model", None, call_id)
        assert seen("SELECT status FROM items WHERE id=?", item.id) == "draft"

        store.edit_item(item.id, dict(OUTCOME, target="60"), author="Grace")
        assert seen("SELECT count(*) FROM revisions WHERE item_id=?", item.id) == 2

        store.approve_item(item.id, by="Fatima")
        assert seen("SELECT approved_by FROM items WHERE id=?", item.id) == "Fatima"

        store.reject_item(item.id, by="Ada")
        assert seen("SELECT status FROM items WHERE id=?", item.id) == "rejected"

        store.reopen_item(item.id, by="Ada")
        assert seen("SELECT status FROM items WHERE id=?", item.id) == "draft"

        store.redraft_item(item.id, dict(OUTCOME, target="70"), call_id)
        assert seen("SELECT count(*) FROM items WHERE session_id=?", session.id) == 2

        event_id = store.record_event(session.id, "exported", {"to": "stdout"})
        assert seen("SELECT kind FROM events WHERE id=?", event_id) == "exported"

        store.remove_stakeholder(grace.id)
        assert seen("SELECT count(*) FROM stakeholders WHERE id=?", grace.id) == 0

        store.delete_session(session.id)
        assert seen("SELECT count(*) FROM sessions WHERE id=?", session.id) == 0
    finally:
        other.close()
    assert not store.db.conn.in_transaction


def test_a_failed_write_leaves_no_transaction_open(store, db_path):
    session = store.create_session({"title": "One"}, [{"name": "Ada"}])
    with pytest.raises(sessions.DuplicateNameError):
        store.add_stakeholder(session.id, {"name": "ada"})
    with pytest.raises(sessions.InvalidInputError):
        store.create_item(session.id, "outcome", {"result": "only"}, "model", "m")
    assert not store.db.conn.in_transaction
    # Another program can still write straight away.
    conn = sqlite3.connect(db_path, timeout=0)
    with conn:
        conn.execute("UPDATE sessions SET title='Renamed elsewhere'")
    conn.close()
    assert store.get_session(session.id).title == "Renamed elsewhere"


def test_reads_do_not_hold_the_database(store, db_path):
    session = store.create_session({"title": "One"}, [{"name": "Ada"}])
    store.list_sessions()
    store.load_session(session.id)
    store.search("one")
    assert not store.db.conn.in_transaction
    conn = sqlite3.connect(db_path, timeout=0)
    with conn:
        conn.execute("UPDATE sessions SET title='Changed by another program'")
    conn.close()


def test_two_stores_on_one_file_interleave_writes(db_path):
    first = SessionStore.open(db_path)
    second = SessionStore.open(db_path)
    try:
        session = first.create_session({"title": "Shared"})
        item = first.create_item(session.id, "outcome", OUTCOME, "model", "model")
        for n in range(25):
            first.add_stakeholder(session.id, {"name": f"First {n}"})
            second.add_stakeholder(session.id, {"name": f"Second {n}"})
            second.list_sessions()
            first.search("first")
            second.record_event(session.id, "tick", {"n": n})
            current = second.get_item(item.id)
            (first if n % 2 else second).edit_item(
                item.id,
                dict(OUTCOME, target=str(n)),
                author=f"writer {n}",
                expected_version=current.version,
            )
        assert len(first.stakeholders(session.id)) == 50
        assert len(second.stakeholders(session.id)) == 50
        assert first.get_item(item.id).body["target"] == "24"
        assert [r.number for r in second.revisions(item.id)] == list(range(1, 27))
    finally:
        first.close()
        second.close()


def test_a_second_store_sees_the_firsts_conflicting_edit(db_path):
    with SessionStore.open(db_path) as first, SessionStore.open(db_path) as second:
        session = first.create_session({"title": "Shared"})
        item = first.create_item(session.id, "outcome", OUTCOME, "model", "model")
        seen_by_second = second.get_item(item.id)
        first.edit_item(item.id, dict(OUTCOME, target="first"), "A", expected_version=1)
        with pytest.raises(sessions.ConflictError):
            second.edit_item(item.id, dict(OUTCOME, target="second"), "B", seen_by_second.version)
        assert second.get_item(item.id).body["target"] == "first"


def test_a_database_locked_by_another_program_is_reported_clearly(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Busy"})
        store.db.execute("PRAGMA busy_timeout = 50")  # keep the test quick
        blocker = sqlite3.connect(db_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(DatabaseError, match="busy in another program"):
                store.set_stage(session.id, "plan")
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert not store.db.conn.in_transaction
        assert store.set_stage(session.id, "plan").stage == "plan"
