"""Where the database lives, and opening it safely.

Every connection gets WAL, enforced foreign keys and a busy timeout; a new file is made
readable by its owner only; migrations run on open; a database from a newer version of
the app is refused rather than half-understood.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database, Migrations

from .errors import DatabaseError, InvalidInputError
from .migrations import MIGRATION_NAMES, MIGRATION_SET, migrations

APP_NAME = "strategy-workshop"
DB_ENV = "WORKSHOP_DB"
BUSY_TIMEOUT_MS = 5_000


def default_database_path() -> Path:
    """The database in the platform's user data directory, unless WORKSHOP_DB says otherwise."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only needed when no path was given

    return platformdirs.user_data_path(APP_NAME) / "workshop.db"


def _create_private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        # O_EXCL: never loosen or truncate a file that someone else just created.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


# What SQLite says when the disk has no room for the -shm or -wal file, or when a database
# opened read-only for want of room is written to: "full" only if room is the reason.
_FULL_DISK_SIGNS = frozenset(
    {"disk I/O error", "unable to open database file", "attempt to write a readonly database"}
)
FULL_BELOW_BYTES = 1 << 20


def disk_full(path: Path | str) -> bool:
    """Less than a megabyte free where the database lives (as much as a WAL write needs)."""
    try:
        stat = os.statvfs(Path(path).resolve().parent)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < FULL_BELOW_BYTES


def _describe(error: sqlite3.Error, path: Path | str) -> str:
    text = str(error)
    if "locked" in text or "busy" in text:
        return (
            f"The database {path} is busy in another program and did not free up in "
            f"{BUSY_TIMEOUT_MS // 1000} s; try again in a moment."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"{path} is not a Strategy Workshop database, or it is damaged ({text})."
    if "full" in text or (_FULL_DISK_SIGNS.intersection(text.split(": ")) and disk_full(path)):
        return f"The disk holding {path} is full; nothing was changed."
    if "readonly" in text or "read-only" in text:
        return f"The database {path} is read-only; nothing was changed."
    if "unable to open" in text:
        return f"Cannot open the database {path}: check that the folder exists and is writable."
    return f"Database error in {path}: {text}"


@contextlib.contextmanager
def translate_errors(path: Path | str) -> Iterator[None]:
    """Turn sqlite3's errors into DatabaseError with a message a person can act on.

    Text that cannot be stored at all (unpaired surrogates) becomes InvalidInputError.
    """
    try:
        yield
    except sqlite3.IntegrityError:
        raise  # a bug or a caller's mistake, handled where it happens
    except sqlite3.Error as error:
        raise DatabaseError(_describe(error, path)) from error
    except UnicodeEncodeError:
        # Unpaired surrogates (from a JSON file's lone \ud800 escape) cannot be UTF-8;
        # sqlite3 refuses them when binding, inside the transaction, which is rolled back.
        raise InvalidInputError(
            "Some of the text has characters that cannot be saved (unpaired surrogates, "
            "as a broken \\u escape in a JSON file gives); nothing was changed."
        ) from None


def connect(path: Path | str) -> Database:
    """Open (creating if needed) the database at path, upgraded to the current schema."""
    path = Path(path)
    with translate_errors(path):
        try:
            if not path.exists():
                _create_private_file(path)
            _check_header(path)
        except OSError as error:
            # The path cannot hold a database at all: its folder is a file, is not ours to
            # write, the name is too long, or it is a place like /proc.
            reason = (
                "part of its folder path is a file"
                if isinstance(error, (FileExistsError, NotADirectoryError))
                else error.strerror
            )
            raise DatabaseError(
                f"Cannot use {path} for the database ({reason}); give a file in a folder "
                "you can write. Nothing was changed."
            ) from None
        _check_ours(path)
        try:
            return _open(path)
        except sqlite3.OperationalError as error:
            room = "disk I/O error" in str(error) and disk_full(path)
            if not ("unable to open" in str(error) or room) or not path.is_file():
                raise
        # A folder that takes no -wal and -shm files beside the database (read-only,
        # someone else's, a full disk): what is in it can still be read, and every write
        # says why not.
        return _open_read_only(path)


def _open(path: Path) -> Database:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn)
    try:
        _configure(db)
        _check_not_newer(db, path)
        _migrate(db)
    except BaseException:
        conn.close()
        raise
    return db


def _open_read_only(path: Path) -> Database:
    conn = _read_only_connection(path)
    db = Database(conn)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        _check_not_newer(db, path)
        if migrations.pending(db):
            raise DatabaseError(
                f"{path} needs upgrading to this version of Strategy Workshop, but its "
                "folder cannot be written; nothing was changed. Make the folder writable, "
                "or copy the file to one that is."
            )
    except BaseException:
        conn.close()
        raise
    return db


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """mode=ro reads a WAL database whose -shm is there; with no -wal and -shm at all it
    needs immutable=1 (nothing can write the file in WAL mode without creating them)."""
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size:
            raise  # its latest changes are only in the -wal file: never read around them
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)


SQLITE_HEADER = b"SQLite format 3\x00"


def _check_header(path: Path) -> None:
    # SQLite takes some tiny non-database files for empty databases and writes over
    # them; refuse any non-empty file that does not start with SQLite's header.
    if not path.is_file():
        return
    with path.open("rb") as file:
        start = file.read(len(SQLITE_HEADER))
    if start and start != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not a Strategy Workshop database; nothing was changed.")


def _check_ours(path: Path) -> None:
    """Refuse another program's database before anything is written to it: opening ours
    switches the file to WAL and adds our tables, which that program never asked for."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    conn = _read_only_connection(path)
    try:
        found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in found]
    finally:
        conn.close()
    if tables and Migrations.migrations_table not in tables:
        shown = ", ".join(sorted(tables)[:3]) + ("…" if len(tables) > 3 else "")
        raise DatabaseError(
            f"{path} is another program's database (its tables: {shown}), not a Strategy "
            "Workshop one; nothing was changed. Give a new file name for the workshop."
        )


def _configure(db: Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    _enable_wal(db)
    # FULL: a commit reported as saved survives a power cut too, not only a crash.
    db.execute("PRAGMA synchronous = FULL")


def _enable_wal(db: Database) -> None:
    """WAL, persistent in the file. Switching to it needs the file to itself, and SQLite
    answers "locked" at once rather than waiting on the busy timeout: two programs opening
    a new file together (the app and the CLI on a first run) would see one of them fail.
    So wait here, as the busy timeout would, and look again: the other may have done it."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if db.journal_mode == "wal":
                return
            db.enable_wal()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _check_not_newer(db: Database, path: Path) -> None:
    unknown = [m.name for m in migrations.applied(db) if m.name not in MIGRATION_NAMES]
    if unknown:
        raise DatabaseError(
            f"{path} was written by a newer version of Strategy Workshop (schema "
            f"{unknown[-1]}); upgrade the app to open it. Nothing was changed."
        )


def _migrate(db: Database) -> None:
    """Apply pending migrations while holding the write lock.

    Two programs opening a new or just-upgraded file at once (the app and the CLI) would
    otherwise both apply the same migration, and one would fail with "table already
    exists" or "database is locked". BEGIN IMMEDIATE waits on the busy timeout for the
    other; the pending list is then read again under the lock, and each migration runs in
    a savepoint of this one transaction.
    """
    pending = migrations.pending(db)
    if not pending:
        return  # the usual open: nothing to write, no lock taken
    if any(not m.transactional for m in pending):
        migrations.apply(db)  # cannot run inside a transaction (VACUUM, some transforms)
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        migrations.apply(db)
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.execute("COMMIT")


def schema_version(db: Database) -> str:
    """The name of the newest migration applied to db in our set."""
    applied = [m.name for m in migrations.applied(db)]
    return applied[-1] if applied else ""


__all__ = [
    "MIGRATION_SET",
    "connect",
    "default_database_path",
    "schema_version",
    "translate_errors",
]
