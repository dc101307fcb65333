"""Between workshops: measurements against approved outcomes, and how each is doing."""

from __future__ import annotations

import math
from datetime import date

from sessions import ItemKind, Measurement, PlanStatusChange, SessionStore, Status
from workshop.errors import WorkshopError
from workshop.rules.plan_view import EntryState, entry_states
from workshop.rules.progress import OutcomeProgress, progress_of, start_of
from workshop.service.refs import find_item
from workshop.service.sessions import SessionOps


def parse_value(text: str) -> float:
    """What people type for a measurement: 42, 42.5, 1,200, 18% (the number counts)."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise WorkshopError(
            f"{text!r} is not a number; give the measured value, such as 42 or 18.5."
        ) from None
    if not math.isfinite(value):
        raise WorkshopError(f"{text!r} is not a number one can measure.")
    return value


class ProgressOps:
    """`service.progress`."""

    def __init__(self, store: SessionStore, sessions: SessionOps) -> None:
        self._store = store
        self._sessions = sessions

    def measure(
        self,
        session_ref: str,
        outcome_ref: str,
        value: str | float,
        on: date | None = None,
        source: str = "",
        note: str = "",
    ) -> Measurement:
        record = self._sessions.load(session_ref)
        outcome = find_item(record.items_of(ItemKind.OUTCOME), outcome_ref, "outcome")
        number = parse_value(value) if isinstance(value, str) else value
        by = record.session.facilitator or "facilitator"
        return self._store.add_measurement(outcome.id, number, on or date.today(), source, note, by)

    def set_plan_status(
        self,
        session_ref: str,
        entry_ref: str,
        status: str,
        on: date | None = None,
        note: str = "",
    ) -> PlanStatusChange:
        record = self._sessions.load(session_ref)
        entry = find_item(record.items_of(ItemKind.PLAN_ENTRY), entry_ref, "plan entry")
        by = record.session.facilitator or "facilitator"
        return self._store.set_plan_status(entry.id, status, on or date.today(), note, by)

    def plan(self, session_ref: str, today: date | None = None) -> list[EntryState]:
        """Every plan entry not rejected, with its status, due or late, and its effect."""
        record = self._sessions.load(session_ref)
        entries = [
            i for i in record.items_of(ItemKind.PLAN_ENTRY) if i.status is not Status.REJECTED
        ]
        return entry_states(
            entries,
            self._store.plan_statuses(record.session.id),
            self._store.measurements(record.session.id),
            today or date.today(),
        )

    def progress(self, session_ref: str, today: date | None = None) -> list[OutcomeProgress]:
        """Every approved outcome of the session, with its measurements and status."""
        record = self._sessions.load(session_ref)
        measurements = self._store.measurements(record.session.id)
        start = start_of(record.session)
        return [
            progress_of(item.id, item.body, start, measurements, today)
            for item in record.items_of(ItemKind.OUTCOME)
            if item.status is Status.APPROVED
        ]
