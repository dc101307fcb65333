"""What every part of the store shares: the connection, transactions, helpers."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from .database import connect, translate_errors
from .errors import DatabaseError, InvalidInputError, NotFoundError, invalid
from .models import (
    Brief,
    Session,
)
from .rows import (
    dumps,
    now,
    session_from_row,
)

VANISHED = (
    "What this change belongs to is no longer there: it was deleted in another window or "
    "with the workshop command. Nothing was changed."
)


class StoreBase:
    """The connection and its transactions; the other store modules build on it."""

    def __init__(self, db: Database, path: Path, reopenable: bool = False) -> None:
        self.db = db
        self.path = path
        # Only a connection the store made itself is replaced; one handed in (opened
        # read-only on purpose, say) is the caller's to keep.
        self._reopenable = reopenable
        self._reopen_before_write = False

    @contextlib.contextmanager
    def _write(self) -> Iterator[Database]:
        if self._reopen_before_write:
            self._reopen()
        try:
            # IMMEDIATE takes the write lock up front, so a second process waits on the
            # busy timeout instead of failing with "database is locked" half-way through.
            with translate_errors(self.path):
                self.db.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                    self.db.conn.execute("COMMIT")
                except BaseException:
                    # Also when COMMIT itself fails: never leave a transaction open behind.
                    if self.db.conn.in_transaction:
                        self.db.conn.rollback()
                    raise
        except sqlite3.IntegrityError as error:
            if "FOREIGN KEY" not in str(error):
                raise
            # Checked before the write, then deleted by another window or process in between.
            raise NotFoundError(VANISHED) from None
        except DatabaseError as error:
            # SQLite opens a file it cannot write read-only and stays so: once the file
            # is writable again, only a new connection lets the person's retry through.
            self._reopen_before_write = self._reopenable and "read-only" in str(error)
            raise

    def _reopen(self) -> None:
        fresh = connect(self.path)
        self.db.conn.close()
        self.db = fresh
        self._reopen_before_write = False

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict]:
        with translate_errors(self.path):
            return list(self.db.query(sql, params))

    def data_version(self) -> int:
        """SQLite's count of commits made by OTHER connections (another window, the CLI),
        as seen by this one: it never moves for this store's own writes. Cheap (no table is
        read), so a screen can poll it twice a second. A reopened connection starts its own
        count, so compare values for equality only, never order."""
        with translate_errors(self.path):
            return self.db.conn.execute("PRAGMA data_version").fetchone()[0]

    def session_exists(self, session_id: str) -> bool:
        return bool(self._rows("SELECT 1 FROM sessions WHERE id = ?", [session_id]))

    def get_session(self, session_id: str) -> Session:
        rows = self._rows("SELECT * FROM sessions WHERE id = ?", [session_id])
        if not rows:
            raise NotFoundError(f"No session with id {session_id!r}.")
        return session_from_row(rows[0])

    def _check_llm_call(self, llm_call_id: str | None) -> None:
        if llm_call_id is not None and not self._rows(
            "SELECT 1 FROM llm_calls WHERE id=?", [llm_call_id]
        ):
            raise NotFoundError(f"No model call with id {llm_call_id!r}.")


def validated(model: type, value: Any, what: str) -> Any:
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise invalid(error, what) from None


def choice(enum: type[Any], value: Any, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        names = ", ".join(e.value for e in enum)
        raise InvalidInputError(f"Unknown {what} {value!r}; one of: {names}.") from None


def brief_values(brief: Brief) -> list[Any]:
    return [
        brief.title,
        brief.organisation,
        brief.workshop_date.isoformat() if brief.workshop_date else None,
        brief.facilitator,
        dumps(brief.participants),
        dumps(brief.priorities),
        brief.marketing_today,
        brief.challenges,
    ]


def draft_inputs(brief: Brief) -> tuple[Any, ...]:
    # The parts of a brief that drafts are made from; a new title does not stale them.
    return (brief.organisation, brief.priorities, brief.marketing_today, brief.challenges)


def touch_session(db: Database, session_id: str) -> None:
    db.execute("UPDATE sessions SET updated_at=? WHERE id=?", [now(), session_id])
