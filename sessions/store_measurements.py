"""Between workshops: values measured for approved outcomes, and the plan's entries
marked as they happen."""

from __future__ import annotations

import math
from datetime import date

from . import item_ops
from .database import translate_errors
from .errors import GONE_HINT, InvalidInputError, NotFoundError
from .models import ItemKind, Measurement, PlanStatus, PlanStatusChange, Status
from .rows import insert_event, new_id, now
from .store_base import StoreBase, choice, touch_session
from .text import clean_text

NOTE_MAX = 2_000


class MeasurementMethods(StoreBase):
    """Measurement operations of the store."""

    def add_measurement(
        self,
        outcome_id: str,
        value: float,
        measured_on: date,
        source: str = "",
        note: str = "",
        by: str = "",
    ) -> Measurement:
        """Record a value for an approved outcome; the day may not precede the workshop."""
        with translate_errors(self.path):
            outcome = item_ops.get(self.db, outcome_id)
        if outcome.kind is not ItemKind.OUTCOME:
            raise InvalidInputError(
                f"{outcome_id} is not an outcome; measurements are for outcomes."
            )
        if outcome.status is not Status.APPROVED:
            raise InvalidInputError(
                "Only an approved outcome is measured; approve it first (it is "
                f"{outcome.status.value})."
            )
        if isinstance(value, bool) or not math.isfinite(float(value)):
            raise InvalidInputError(f"A measurement is a number; {value!r} is not one.")
        session = self.get_session(outcome.session_id)
        start = session.workshop_date or date.fromisoformat(session.created_at[:10])
        if measured_on < start:
            raise InvalidInputError(
                f"{measured_on.isoformat()} is before the workshop ({start.isoformat()}), "
                "where the baseline was set; a measurement comes after it."
            )
        texts = {"source": clean_text(source).strip(), "note": clean_text(note).strip()}
        for name, text in texts.items():
            if len(text) > NOTE_MAX:
                raise InvalidInputError(
                    f"A measurement's {name} holds {NOTE_MAX:,} characters at most."
                )
        row = {
            "id": new_id("measurement"),
            "session_id": outcome.session_id,
            "outcome_id": outcome_id,
            "value": float(value),
            "measured_on": measured_on.isoformat(),
            **texts,
            "recorded_by": clean_text(by).strip(),
            "created_at": now(),
        }
        with self._write() as db:
            db["measurements"].insert(row)
            insert_event(
                db,
                outcome.session_id,
                "measured",
                {"outcome_id": outcome_id, "value": row["value"], "on": row["measured_on"]},
            )
            touch_session(db, outcome.session_id)
        return Measurement.model_validate(row)

    def measurements(self, session_id: str) -> list[Measurement]:
        """Every measurement of the session, oldest day first."""
        rows = self._rows(
            "SELECT * FROM measurements WHERE session_id=? ORDER BY measured_on, created_at",
            [session_id],
        )
        return [Measurement.model_validate(r) for r in rows]

    def remove_measurement(self, measurement_id: str, by: str = "") -> None:
        """Take back a value recorded by mistake; the event log keeps what it was."""
        rows = self._rows("SELECT * FROM measurements WHERE id=?", [measurement_id])
        if not rows:
            raise NotFoundError(f"No measurement with id {measurement_id!r}: {GONE_HINT}")
        row = rows[0]
        with self._write() as db:
            db.execute("DELETE FROM measurements WHERE id=?", [measurement_id])
            insert_event(db, row["session_id"], "measurement_removed", row | {"by": by})
            touch_session(db, row["session_id"])


class PlanStatusMethods(StoreBase):
    """The plan as it happens: status changes of plan entries."""

    def set_plan_status(
        self, entry_id: str, status: PlanStatus | str, on: date, note: str = "", by: str = ""
    ) -> PlanStatusChange:
        with translate_errors(self.path):
            entry = item_ops.get(self.db, entry_id)
        if entry.kind is not ItemKind.PLAN_ENTRY:
            raise InvalidInputError(f"{entry_id} is not a plan entry.")
        if entry.status is Status.REJECTED:
            raise InvalidInputError("That plan entry was rejected; reopen it before tracking it.")
        status = choice(PlanStatus, status, "plan status")
        note = clean_text(note).strip()
        if len(note) > NOTE_MAX:
            raise InvalidInputError(f"A status note holds {NOTE_MAX:,} characters at most.")
        row = {
            "id": new_id("plan_status"),
            "session_id": entry.session_id,
            "entry_id": entry_id,
            "status": status.value,
            "on_day": on.isoformat(),
            "note": note,
            "recorded_by": clean_text(by).strip(),
            "created_at": now(),
        }
        with self._write() as db:
            db["plan_statuses"].insert(row)
            insert_event(
                db,
                entry.session_id,
                "plan_status",
                {"entry_id": entry_id, "status": status.value, "on": row["on_day"]},
            )
            touch_session(db, entry.session_id)
        return PlanStatusChange.model_validate(row)

    def plan_statuses(self, session_id: str) -> list[PlanStatusChange]:
        """Every status change of the session's plan, in the order they were recorded."""
        rows = self._rows(
            "SELECT * FROM plan_statuses WHERE session_id=? ORDER BY created_at, rowid",
            [session_id],
        )
        return [PlanStatusChange.model_validate(r) for r in rows]
