"""Versioned schema migrations, applied on open.

A migration's function name is its identity in `_sqlite_migrations`: never rename,
reorder or edit one that has shipped; add a new one instead. docs/schema.md describes
the resulting tables column by column.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database, Migrations

MIGRATION_SET = "strategy-workshop"
migrations = Migrations(MIGRATION_SET)
# In order; kept beside the set so that a database from a newer version can be told apart.
MIGRATION_NAMES: list[str] = []


def migration(fn: Callable[[Database], None]) -> Callable[[Database], None]:
    MIGRATION_NAMES.append(fn.__name__)
    return migrations()(fn)


_INITIAL_TABLES = [
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        organisation TEXT NOT NULL DEFAULT '',
        workshop_date TEXT,
        facilitator TEXT NOT NULL DEFAULT '',
        participants TEXT NOT NULL DEFAULT '[]',
        priorities TEXT NOT NULL DEFAULT '[]',
        marketing_today TEXT NOT NULL DEFAULT '',
        challenges TEXT NOT NULL DEFAULT '',
        stage TEXT NOT NULL DEFAULT 'brief',
        parent_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        archived INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX sessions_created ON sessions(created_at)",
    """
    CREATE TABLE stakeholders (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT '',
        team TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        influence TEXT,
        stance TEXT,
        involvement TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX stakeholders_session ON stakeholders(session_id, position)",
    """
    CREATE TABLE llm_calls (
        id TEXT PRIMARY KEY,
        session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL,
        model TEXT NOT NULL,
        endpoint_host TEXT NOT NULL DEFAULT '',
        template_id TEXT NOT NULL DEFAULT '',
        template_hash TEXT NOT NULL DEFAULT '',
        messages TEXT NOT NULL DEFAULT '[]',
        response TEXT NOT NULL DEFAULT '',
        tokens_in INTEGER,
        tokens_out INTEGER,
        tokens_counted INTEGER,
        latency_ms REAL,
        first_token_ms REAL,
        status TEXT NOT NULL,
        error TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX llm_calls_session ON llm_calls(session_id, created_at)",
    """
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        stakeholder_id TEXT REFERENCES stakeholders(id) ON DELETE CASCADE,
        segment TEXT,
        status TEXT NOT NULL DEFAULT 'draft',
        origin TEXT NOT NULL,
        body TEXT NOT NULL,
        body_text TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1,
        stale INTEGER NOT NULL DEFAULT 0,
        approved_by TEXT,
        approved_at TEXT,
        approved_hash TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX items_session ON items(session_id, kind, status)",
    "CREATE INDEX items_stakeholder ON items(stakeholder_id)",
    """
    CREATE TABLE revisions (
        id TEXT PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        origin TEXT NOT NULL,
        author TEXT NOT NULL,
        llm_call_id TEXT REFERENCES llm_calls(id) ON DELETE SET NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        UNIQUE (item_id, number)
    )
    """,
    """
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX events_session ON events(session_id, created_at)",
    # Revisions are history: once written they never change.
    """
    CREATE TRIGGER revisions_append_only BEFORE UPDATE ON revisions
    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END
    """,
]

SESSION_SEARCH_COLUMNS = [
    "title",
    "organisation",
    "facilitator",
    "participants",
    "priorities",
    "marketing_today",
    "challenges",
]
STAKEHOLDER_SEARCH_COLUMNS = ["name", "role", "team", "notes"]
ITEM_SEARCH_COLUMNS = ["body_text"]


@migration
def m001_initial_schema(db: Database) -> None:
    for statement in _INITIAL_TABLES:
        db.execute(statement)
    db["sessions"].enable_fts(SESSION_SEARCH_COLUMNS, create_triggers=True)
    db["stakeholders"].enable_fts(STAKEHOLDER_SEARCH_COLUMNS, create_triggers=True)
    db["items"].enable_fts(ITEM_SEARCH_COLUMNS, create_triggers=True)


@migration
def m002_stage_times(db: Database) -> None:
    """The agenda: a time box per stage and the time really spent, beside each other."""
    db.execute(
        """
        CREATE TABLE stage_times (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            planned_minutes INTEGER,
            spent_seconds REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, stage)
        )
        """
    )


@migration
def m003_counted_output_tokens(db: Database) -> None:
    """The answer's tokens as counted by the app, for endpoints whose streams report none."""
    db.execute("ALTER TABLE llm_calls ADD COLUMN tokens_out_counted INTEGER")


_UNTOUCHED = "origin = 'model' AND status = 'draft'"


@migration
def m004_one_model_draft_per_person(db: Database) -> None:
    """One untouched model draft per person and kind (and per segment for a guide).

    Drafts run at once used to leave several; the newest of each stays and the others are
    rejected with a revision saying why, so that nothing is lost and the index can hold.
    """
    import secrets
    from datetime import UTC, datetime

    stamp = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    rows = db.execute(
        f"""SELECT id, session_id, kind, coalesce(stakeholder_id, 'segment:' || segment) AS slot
        FROM items WHERE {_UNTOUCHED}
        AND (stakeholder_id IS NOT NULL OR (kind = 'discussion_guide' AND segment IS NOT NULL))
        ORDER BY session_id, kind, slot, updated_at DESC, rowid DESC"""
    ).fetchall()
    seen: set[tuple[str, str, str]] = set()
    merged: dict[str, int] = {}
    for item_id, session_id, kind, slot in rows:
        if (session_id, kind, slot) not in seen:
            seen.add((session_id, kind, slot))
            continue
        db.execute(
            "UPDATE items SET status='rejected', version=version+1, updated_at=? WHERE id=?",
            [stamp, item_id],
        )
        db.execute(
            """INSERT INTO revisions (id, item_id, number, body, status, origin, author,
            llm_call_id, note, created_at)
            SELECT ?, id, (SELECT coalesce(max(number), 0) + 1 FROM revisions
                WHERE item_id = items.id), body, 'rejected', origin, 'workshop', NULL,
                'superseded: a second draft of the same thing, from drafts run at once', ?
            FROM items WHERE id = ?""",
            [f"rev_{secrets.token_hex(6)}", stamp, item_id],
        )
        merged[session_id] = merged.get(session_id, 0) + 1
    for session_id, count in merged.items():
        db.execute(
            "INSERT INTO events (id, session_id, kind, detail, created_at) VALUES (?,?,?,?,?)",
            [
                f"evt_{secrets.token_hex(6)}",
                session_id,
                "duplicate_drafts_merged",
                f'{{"rejected": {count}}}',
                stamp,
            ],
        )
    db.execute(
        f"""CREATE UNIQUE INDEX items_one_model_draft_per_person
        ON items(kind, stakeholder_id) WHERE {_UNTOUCHED} AND stakeholder_id IS NOT NULL"""
    )
    db.execute(
        f"""CREATE UNIQUE INDEX items_one_model_guide_per_segment
        ON items(session_id, kind, segment)
        WHERE {_UNTOUCHED} AND stakeholder_id IS NULL AND kind = 'discussion_guide'"""
    )


MEASUREMENT_SEARCH_COLUMNS = ["source", "note"]


@migration
def m005_measurements(db: Database) -> None:
    """Between workshops: values recorded against approved outcomes, any number of times."""
    db.execute(
        """
        CREATE TABLE measurements (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            outcome_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            value REAL NOT NULL,
            measured_on TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            recorded_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX measurements_outcome ON measurements(outcome_id, measured_on)")
    db.execute("CREATE INDEX measurements_session ON measurements(session_id)")
    db["measurements"].enable_fts(MEASUREMENT_SEARCH_COLUMNS, create_triggers=True)


@migration
def m006_plan_statuses(db: Database) -> None:
    """The plan as it happens: each entry's status over time, newest last."""
    db.execute(
        """
        CREATE TABLE plan_statuses (
            id TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            entry_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            status TEXT NOT NULL
                CHECK (status IN ('planned', 'in progress', 'done', 'slipped', 'dropped')),
            on_day TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            recorded_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX plan_statuses_entry ON plan_statuses(entry_id, created_at)")
    db.execute("CREATE INDEX plan_statuses_session ON plan_statuses(session_id)")


@migration
def m007_seat_changes(db: Database) -> None:
    """Leadership changes: a person who left (and when), and whom a newcomer replaces."""
    db.execute("ALTER TABLE stakeholders ADD COLUMN left_on TEXT")
    db.execute("ALTER TABLE stakeholders ADD COLUMN replaces TEXT NOT NULL DEFAULT ''")
