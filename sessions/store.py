"""The session store: the one door to the database for the app and the CLI.

Every write method runs in one IMMEDIATE transaction that is committed before it
returns, so that whatever the caller then shows as saved is on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import item_ops, stakeholder_ops
from .browse import SessionFilter, search_sessions
from .database import connect, default_database_path, translate_errors
from .errors import InvalidInputError, NotFoundError
from .models import (
    Brief,
    SearchHit,
    Session,
    SessionRecord,
    SessionSummary,
    Stage,
    StageTime,
    StakeholderInput,
)
from .rows import (
    insert_event,
    item_from_row,
    new_id,
    now,
)
from .store_base import StoreBase, brief_values, choice, draft_inputs, validated
from .store_history import HistoryMethods
from .store_items import ItemMethods
from .store_measurements import MeasurementMethods, PlanStatusMethods
from .store_people import StakeholderMethods


class SessionStore(
    StakeholderMethods,
    ItemMethods,
    MeasurementMethods,
    PlanStatusMethods,
    HistoryMethods,
    StoreBase,
):
    """Open with `SessionStore.open(path)`; close with `close()` or use as a context manager.

    The methods live in store_people, store_items, store_measurements and store_history
    by subject.
    """

    @classmethod
    def open(cls, path: Path | str | None = None) -> SessionStore:
        path = Path(path) if path is not None else default_database_path()
        return cls(connect(path), path, reopenable=True)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Sessions ---------------------------------------------------------------------

    def create_session(
        self,
        brief: Brief | dict[str, Any],
        stakeholders: Sequence[StakeholderInput | dict[str, Any]] = (),
        parent_id: str | None = None,
    ) -> Session:
        brief = validated(Brief, brief, "brief")
        people = [validated(StakeholderInput, s, "stakeholder") for s in stakeholders]
        stakeholder_ops.check_unique_names([p.name for p in people])
        if parent_id is not None:
            self.get_session(parent_id)
        session_id, stamp = new_id("session"), now()
        with self._write() as db:
            db.execute(
                """INSERT INTO sessions (id, title, organisation, workshop_date, facilitator,
                participants, priorities, marketing_today, challenges, stage, parent_id,
                created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [session_id, *brief_values(brief), Stage.BRIEF.value, parent_id, stamp, stamp],
            )
            for person in people:
                stakeholder_ops.insert(db, session_id, person)
            insert_event(db, session_id, "session_created", {"parent_id": parent_id})
        return self.get_session(session_id)

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
        brief = validated(Brief, brief, "brief")
        before = self.get_session(session_id).brief
        with self._write() as db:
            db.execute(
                """UPDATE sessions SET title=?, organisation=?, workshop_date=?, facilitator=?,
                participants=?, priorities=?, marketing_today=?, challenges=?, updated_at=?
                WHERE id=?""",
                [*brief_values(brief), now(), session_id],
            )
            if draft_inputs(before) != draft_inputs(brief):
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
        return self.list_sessions_filtered(limit, offset, include_archived=include_archived)

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
            return search_sessions(self.db, query, SessionFilter(include_archived=True), limit)

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
        stage = choice(Stage, stage, "stage")
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
        stage = choice(Stage, stage, "stage")
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
