"""The session store: the one door to the database for the app and the CLI.

Every write method runs in one IMMEDIATE transaction that is committed before it
returns, so that whatever the caller then shows as saved is on disk.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from . import item_ops, stakeholder_ops
from .database import connect, default_database_path, translate_errors
from .errors import InvalidInputError, NotFoundError, invalid
from .models import (
    Brief,
    Event,
    Item,
    ItemKind,
    LlmCall,
    Origin,
    Revision,
    SearchHit,
    Session,
    SessionRecord,
    SessionSummary,
    Stage,
    StageTime,
    Stakeholder,
    StakeholderInput,
)
from .rows import (
    dumps,
    insert_event,
    item_from_row,
    new_id,
    now,
    session_from_row,
    stakeholder_from_row,
)
from .search import search_sessions


class SessionStore:
    """Open with `SessionStore.open(path)`; close with `close()` or use as a context manager."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: Path | str | None = None) -> SessionStore:
        path = Path(path) if path is not None else default_database_path()
        return cls(connect(path), path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Database]:
        # IMMEDIATE takes the write lock up front, so a second process waits on the busy
        # timeout instead of failing with "database is locked" half-way through.
        with translate_errors(self.path):
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.conn.rollback()
                raise
            self.db.conn.execute("COMMIT")

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict]:
        with translate_errors(self.path):
            return list(self.db.query(sql, params))

    # Sessions ---------------------------------------------------------------------

    def create_session(
        self,
        brief: Brief | dict[str, Any],
        stakeholders: Sequence[StakeholderInput | dict[str, Any]] = (),
        parent_id: str | None = None,
    ) -> Session:
        brief = _validated(Brief, brief, "brief")
        people = [_validated(StakeholderInput, s, "stakeholder") for s in stakeholders]
        stakeholder_ops.check_unique_names([p.name for p in people])
        if parent_id is not None:
            self.get_session(parent_id)
        session_id, stamp = new_id("session"), now()
        with self._write() as db:
            db.execute(
                """INSERT INTO sessions (id, title, organisation, workshop_date, facilitator,
                participants, priorities, marketing_today, challenges, stage, parent_id,
                created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [session_id, *_brief_values(brief), Stage.BRIEF.value, parent_id, stamp, stamp],
            )
            for person in people:
                stakeholder_ops.insert(db, session_id, person)
            insert_event(db, session_id, "session_created", {"parent_id": parent_id})
        return self.get_session(session_id)

    def get_session(self, session_id: str) -> Session:
        rows = self._rows("SELECT * FROM sessions WHERE id = ?", [session_id])
        if not rows:
            raise NotFoundError(f"No session with id {session_id!r}.")
        return session_from_row(rows[0])

    def resolve_session_id(self, text: str) -> str:
        """Accept a whole id or an unambiguous start of one, as people type them."""
        text = text.strip()
        rows = self._rows(
            "SELECT id FROM sessions WHERE id = ? OR id LIKE ? ESCAPE '\\' LIMIT 3",
            [text, text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        )
        ids = [r["id"] for r in rows]
        if text in ids:
            return text
        if len(ids) == 1 and text:
            return ids[0]
        if not ids or not text:
            raise NotFoundError(f"No session with id {text!r}; `workshop list` shows them.")
        raise NotFoundError(f"{text!r} matches several sessions; give more of the id.")

    def update_brief(self, session_id: str, brief: Brief | dict[str, Any]) -> Session:
        brief = _validated(Brief, brief, "brief")
        before = self.get_session(session_id).brief
        with self._write() as db:
            db.execute(
                """UPDATE sessions SET title=?, organisation=?, workshop_date=?, facilitator=?,
                participants=?, priorities=?, marketing_today=?, challenges=?, updated_at=?
                WHERE id=?""",
                [*_brief_values(brief), now(), session_id],
            )
            if _draft_inputs(before) != _draft_inputs(brief):
                item_ops.mark_session_drafts_stale(db, session_id)
        return self.get_session(session_id)

    def set_stage(self, session_id: str, stage: Stage | str) -> Session:
        try:
            stage = Stage(stage)
        except ValueError:
            names = ", ".join(s.value for s in Stage)
            raise InvalidInputError(f"Unknown stage {stage!r}; one of: {names}.") from None
        previous = self.get_session(session_id).stage
        with self._write() as db:
            db.execute(
                "UPDATE sessions SET stage=?, updated_at=? WHERE id=?",
                [stage.value, now(), session_id],
            )
            insert_event(
                db, session_id, "stage_changed", {"from": previous.value, "to": stage.value}
            )
        return self.get_session(session_id)

    def set_archived(self, session_id: str, archived: bool) -> Session:
        self.get_session(session_id)
        with self._write() as db:
            db.execute(
                "UPDATE sessions SET archived=?, updated_at=? WHERE id=?",
                [int(archived), now(), session_id],
            )
            insert_event(db, session_id, "archived" if archived else "unarchived", {})
        return self.get_session(session_id)

    def delete_session(self, session_id: str) -> None:
        self.get_session(session_id)
        with self._write() as db:
            db.execute("DELETE FROM sessions WHERE id=?", [session_id])

    def list_sessions(
        self, limit: int = 50, offset: int = 0, include_archived: bool = False
    ) -> list[SessionSummary]:
        """Newest first, with the counts the home screen shows."""
        where = "" if include_archived else "WHERE s.archived = 0"
        rows = self._rows(
            f"""SELECT s.id, s.title, s.organisation, s.workshop_date, s.stage, s.archived,
                s.created_at, s.updated_at,
                (SELECT count(*) FROM stakeholders k WHERE k.session_id = s.id) AS stakeholders,
                (SELECT count(*) FROM items i WHERE i.session_id = s.id
                    AND i.status = 'approved') AS approved,
                (SELECT count(*) FROM items i WHERE i.session_id = s.id
                    AND i.status = 'draft') AS open
            FROM sessions s {where}
            ORDER BY s.created_at DESC, s.rowid DESC LIMIT ? OFFSET ?""",
            [max(0, limit), max(0, offset)],
        )
        return [SessionSummary.model_validate(r) for r in rows]

    def count_sessions(self, include_archived: bool = False) -> int:
        where = "" if include_archived else "WHERE archived = 0"
        return self._rows(f"SELECT count(*) AS n FROM sessions {where}")[0]["n"]

    def load_session(self, session_id: str) -> SessionRecord:
        session = self.get_session(session_id)
        return SessionRecord(
            session=session,
            stakeholders=self.stakeholders(session_id),
            items=[
                item_from_row(r)
                for r in self._rows(
                    "SELECT * FROM items WHERE session_id=? ORDER BY created_at, rowid",
                    [session_id],
                )
            ],
        )

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        with translate_errors(self.path):
            return search_sessions(self.db, query, limit)

    # Stakeholders -----------------------------------------------------------------

    def stakeholders(self, session_id: str) -> list[Stakeholder]:
        rows = self._rows(
            "SELECT * FROM stakeholders WHERE session_id=? ORDER BY position, rowid",
            [session_id],
        )
        return [stakeholder_from_row(r) for r in rows]

    def get_stakeholder(self, stakeholder_id: str) -> Stakeholder:
        rows = self._rows("SELECT * FROM stakeholders WHERE id=?", [stakeholder_id])
        if not rows:
            raise NotFoundError(f"No stakeholder with id {stakeholder_id!r}.")
        return stakeholder_from_row(rows[0])

    def add_stakeholders(
        self, session_id: str, people: Sequence[StakeholderInput | dict[str, Any]]
    ) -> list[Stakeholder]:
        """Add several at once (a pasted list): all of them, or none if one is invalid."""
        people = [_validated(StakeholderInput, p, "stakeholder") for p in people]
        existing = [s.name for s in self.stakeholders(self.get_session(session_id).id)]
        stakeholder_ops.check_unique_names(existing + [p.name for p in people], len(existing))
        with self._write() as db:
            ids = [stakeholder_ops.insert(db, session_id, p) for p in people]
            _touch(db, session_id)
        return [self.get_stakeholder(i) for i in ids]

    def add_stakeholder(
        self, session_id: str, person: StakeholderInput | dict[str, Any]
    ) -> Stakeholder:
        return self.add_stakeholders(session_id, [person])[0]

    def update_stakeholder(self, stakeholder_id: str, **changes: Any) -> Stakeholder:
        current = self.get_stakeholder(stakeholder_id)
        merged = current.model_dump(include=set(StakeholderInput.model_fields)) | changes
        person = _validated(StakeholderInput, merged, "stakeholder")
        others = [s.name for s in self.stakeholders(current.session_id) if s.id != current.id]
        stakeholder_ops.check_unique_names(others + [person.name], len(others))
        with self._write() as db:
            stakeholder_ops.update(db, stakeholder_id, person)
            if person != StakeholderInput.model_validate(
                current.model_dump(include=set(StakeholderInput.model_fields))
            ):
                item_ops.mark_stakeholder_drafts_stale(db, stakeholder_id)
            _touch(db, current.session_id)
        return self.get_stakeholder(stakeholder_id)

    def remove_stakeholder(self, stakeholder_id: str) -> None:
        current = self.get_stakeholder(stakeholder_id)
        with self._write() as db:
            db.execute("DELETE FROM stakeholders WHERE id=?", [stakeholder_id])
            insert_event(db, current.session_id, "stakeholder_removed", {"name": current.name})
            _touch(db, current.session_id)

    def reorder_stakeholders(self, session_id: str, ordered_ids: Sequence[str]) -> None:
        """Set the order; ordered_ids must name every stakeholder of the session once."""
        known = {s.id for s in self.stakeholders(session_id)}
        if sorted(ordered_ids) != sorted(known):
            raise InvalidInputError("A new order must list every stakeholder exactly once.")
        with self._write() as db:
            for position, stakeholder_id in enumerate(ordered_ids):
                db.execute(
                    "UPDATE stakeholders SET position=? WHERE id=?", [position, stakeholder_id]
                )
            _touch(db, session_id)

    def move_stakeholder(self, stakeholder_id: str, offset: int) -> None:
        """Move one stakeholder up (negative) or down (positive) in the list."""
        current = self.get_stakeholder(stakeholder_id)
        ids = [s.id for s in self.stakeholders(current.session_id)]
        index = ids.index(stakeholder_id)
        ids.insert(max(0, min(len(ids) - 1, index + offset)), ids.pop(index))
        self.reorder_stakeholders(current.session_id, ids)

    # Items ------------------------------------------------------------------------

    def create_item(
        self,
        session_id: str,
        kind: ItemKind | str,
        body: dict[str, Any] | Any,
        origin: Origin | str,
        author: str,
        stakeholder_id: str | None = None,
        llm_call_id: str | None = None,
        note: str = "",
    ) -> Item:
        """Store a new draft (from a model or a person) with its first revision."""
        kind = _choice(ItemKind, kind, "item kind")
        origin = _choice(Origin, origin, "origin")
        self.get_session(session_id)
        if (
            stakeholder_id is not None
            and self.get_stakeholder(stakeholder_id).session_id != session_id
        ):
            raise InvalidInputError("That stakeholder belongs to another session.")
        self._check_llm_call(llm_call_id)
        with self._write() as db:
            item_id = item_ops.create(
                db,
                session_id,
                kind,
                body,
                origin,
                author,
                stakeholder_id,
                llm_call_id,
                note,
            )
            _touch(db, session_id)
        return self.get_item(item_id)

    def get_item(self, item_id: str) -> Item:
        with translate_errors(self.path):
            return item_ops.get(self.db, item_id)

    def edit_item(
        self,
        item_id: str,
        body: dict[str, Any] | Any,
        author: str,
        expected_version: int | None = None,
        note: str = "",
    ) -> Item:
        """A person's edit: a new revision; an approved item is reopened by it."""
        with self._write() as db:
            session_id = item_ops.edit(db, item_id, body, author, expected_version, note)
            _touch(db, session_id)
        return self.get_item(item_id)

    def redraft_item(
        self, item_id: str, body: dict[str, Any] | Any, llm_call_id: str | None, note: str = ""
    ) -> Item:
        """A model's new draft of an item: replaces it only if no person has touched it."""
        self._check_llm_call(llm_call_id)
        with self._write() as db:
            new_id_, session_id = item_ops.redraft(db, item_id, body, llm_call_id, note)
            _touch(db, session_id)
        return self.get_item(new_id_)

    def approve_item(self, item_id: str, by: str, expected_version: int | None = None) -> Item:
        with self._write() as db:
            session_id = item_ops.approve(db, item_id, by, expected_version)
            _touch(db, session_id)
        return self.get_item(item_id)

    def reject_item(self, item_id: str, by: str, note: str = "") -> Item:
        with self._write() as db:
            session_id = item_ops.set_status(db, item_id, "rejected", by, note)
            _touch(db, session_id)
        return self.get_item(item_id)

    def reopen_item(self, item_id: str, by: str, note: str = "") -> Item:
        with self._write() as db:
            session_id = item_ops.set_status(db, item_id, "draft", by, note)
            _touch(db, session_id)
        return self.get_item(item_id)

    def revisions(self, item_id: str) -> list[Revision]:
        with translate_errors(self.path):
            return item_ops.revisions(self.db, item_id)

    # Model calls and events -------------------------------------------------------

    def record_llm_call(self, call: LlmCall) -> str:
        if call.session_id is not None:
            self.get_session(call.session_id)
        call_id = new_id("llm_call")
        data = call.model_dump()
        data["messages"] = dumps(data["messages"])
        with self._write() as db:
            db["llm_calls"].insert({"id": call_id, **data, "created_at": now()})
        return call_id

    def llm_calls(self, session_id: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT * FROM llm_calls WHERE session_id=? ORDER BY created_at, rowid", [session_id]
        )
        for row in rows:
            row["messages"] = json.loads(row["messages"])
        return rows

    # The agenda ---------------------------------------------------------------------

    def stage_times(self, session_id: str) -> dict[Stage, StageTime]:
        """Every stage's time box and time spent (zero and None where nothing is saved)."""
        rows = self._rows("SELECT * FROM stage_times WHERE session_id=?", [session_id])
        saved = {r["stage"]: r for r in rows}
        return {
            stage: StageTime(
                stage=stage,
                planned_minutes=saved.get(stage.value, {}).get("planned_minutes"),
                spent_seconds=saved.get(stage.value, {}).get("spent_seconds", 0.0),
            )
            for stage in Stage
        }

    def add_stage_time(self, session_id: str, stage: Stage | str, seconds: float) -> None:
        stage = _choice(Stage, stage, "stage")
        if seconds <= 0:
            return
        with self._write() as db:
            db.execute(
                """INSERT INTO stage_times (session_id, stage, spent_seconds) VALUES (?,?,?)
                ON CONFLICT (session_id, stage)
                DO UPDATE SET spent_seconds = spent_seconds + excluded.spent_seconds""",
                [session_id, stage.value, float(seconds)],
            )

    def set_time_box(self, session_id: str, stage: Stage | str, minutes: int | None) -> None:
        stage = _choice(Stage, stage, "stage")
        if minutes is not None and not 0 < minutes <= 24 * 60:
            raise InvalidInputError("A time box is between 1 minute and 24 hours.")
        self.get_session(session_id)
        with self._write() as db:
            db.execute(
                """INSERT INTO stage_times (session_id, stage, planned_minutes) VALUES (?,?,?)
                ON CONFLICT (session_id, stage)
                DO UPDATE SET planned_minutes = excluded.planned_minutes""",
                [session_id, stage.value, minutes],
            )

    def usage(self, session_id: str) -> dict[str, int]:
        """Model calls of a session and their tokens, as the endpoint reported them."""
        row = self._rows(
            """SELECT count(*) AS calls, coalesce(sum(tokens_in), 0) AS tokens_in,
                coalesce(sum(tokens_out), 0) AS tokens_out,
                coalesce(sum(tokens_counted), 0) AS tokens_counted,
                coalesce(sum(status != 'ok'), 0) AS failed
            FROM llm_calls WHERE session_id = ?""",
            [session_id],
        )[0]
        return dict(row)

    def record_event(self, session_id: str, kind: str, detail: dict[str, Any] | None = None) -> str:
        self.get_session(session_id)
        with self._write() as db:
            return insert_event(db, session_id, kind, detail or {})

    def _check_llm_call(self, llm_call_id: str | None) -> None:
        if llm_call_id is not None and not self._rows(
            "SELECT 1 FROM llm_calls WHERE id=?", [llm_call_id]
        ):
            raise NotFoundError(f"No model call with id {llm_call_id!r}.")

    def events(self, session_id: str) -> list[Event]:
        rows = self._rows(
            "SELECT * FROM events WHERE session_id=? ORDER BY created_at, rowid", [session_id]
        )
        return [Event.model_validate(r | {"detail": json.loads(r["detail"])}) for r in rows]

    # Past sessions: follow-ups, what changed, moving sessions, browsing -------------
    # (the SQL lives in follow_up.py, transfer.py and browse.py)

    def follow_up(self, parent_id: str, title: str | None = None, by: str = "") -> Session:
        """Start the next workshop from parent_id's approved strategy (see follow_up.py)."""
        from .follow_up import create_follow_up

        self.get_session(parent_id)
        by = by.strip()
        if not by:
            raise InvalidInputError("A follow-up needs the name of who starts it.")
        with self._write() as db:
            try:
                session_id = create_follow_up(db, parent_id, title, by)
            except ValidationError as error:
                raise invalid(error, "follow-up") from None
        return self.get_session(session_id)

    def carried_links(self, session_id: str, ancestor_id: str) -> dict[str, str]:
        """{item of session_id: item of ancestor_id} it was carried forward from.

        Follows a chain of follow-ups; empty when ancestor_id is not an ancestor.
        """
        from .follow_up import carried_map

        links: dict[str, str] | None = None
        current: str | None = session_id
        seen: set[str] = set()
        with translate_errors(self.path):
            while current is not None and current not in seen:
                seen.add(current)
                parent, step = carried_map(self.db, current)
                if parent is None:
                    return {}
                links = (
                    step if links is None else {b: step[p] for b, p in links.items() if p in step}
                )
                if parent == ancestor_id:
                    return links
                current = parent
        return {}

    def revision_notes(self, session_id: str) -> dict[str, list[str]]:
        """Every item's revision notes, oldest first: the reasons people gave."""
        rows = self._rows(
            """SELECT r.item_id, r.note FROM revisions r JOIN items i ON i.id = r.item_id
            WHERE i.session_id = ? ORDER BY r.item_id, r.number""",
            [session_id],
        )
        notes: dict[str, list[str]] = {}
        for row in rows:
            notes.setdefault(row["item_id"], []).append(row["note"])
        return notes

    def dump_session(self, session_id: str) -> dict[str, Any]:
        """The whole session as a JSON-ready document, read from one snapshot."""
        from .transfer import dump_session

        self.get_session(session_id)
        with translate_errors(self.path):
            self.db.conn.execute("BEGIN")
            try:
                return dump_session(self.db, session_id)
            finally:
                self.db.conn.execute("COMMIT")

    def load_session_dump(self, document: dict[str, Any], as_copy: bool = False) -> Session:
        """Load a dump in one transaction: the same ids, or new ones with as_copy."""
        from .transfer import load_session

        with self._write() as db:
            session_id = load_session(db, document, as_copy)
        return self.get_session(session_id)

    def session_counts(self, session_id: str) -> dict[str, int]:
        """Stakeholders, items, revisions, llm_calls, events of a session; its follow-ups."""
        from .browse import session_counts

        self.get_session(session_id)
        with translate_errors(self.path):
            return session_counts(self.db, session_id)

    def list_sessions_filtered(
        self,
        limit: int = 50,
        offset: int = 0,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SessionSummary]:
        """Newest first; status open|approved|archived; dates on the workshop (else created) day."""
        from .browse import SessionFilter, list_sessions

        where = SessionFilter(status, since, until, include_archived)
        with translate_errors(self.path):
            return list_sessions(self.db, where, limit, offset)

    def search_filtered(
        self,
        query: str,
        limit: int = 50,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SearchHit]:
        """Full-text search limited to the sessions that pass the same filters."""
        from .browse import SessionFilter, search_sessions

        where = SessionFilter(status, since, until, include_archived)
        with translate_errors(self.path):
            return search_sessions(self.db, query, where, limit)


def _validated(model: type, value: Any, what: str) -> Any:
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise invalid(error, what) from None


def _choice(enum: type[Any], value: Any, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        names = ", ".join(e.value for e in enum)
        raise InvalidInputError(f"Unknown {what} {value!r}; one of: {names}.") from None


def _brief_values(brief: Brief) -> list[Any]:
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


def _draft_inputs(brief: Brief) -> tuple[Any, ...]:
    # The parts of a brief that drafts are made from; a new title does not stale them.
    return (brief.organisation, brief.priorities, brief.marketing_today, brief.challenges)


def _touch(db: Database, session_id: str) -> None:
    db.execute("UPDATE sessions SET updated_at=? WHERE id=?", [now(), session_id])
