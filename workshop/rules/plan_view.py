"""The 90-day plan as it happens: each entry's status, what is due or late, and what its
outcome's measurements did while it ran."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sessions import Item, Measurement, PlanStatus, PlanStatusChange

DUE_WITHIN = timedelta(days=7)  # an entry starting this soon is due
_FINISHED = (PlanStatus.DONE, PlanStatus.DROPPED)


@dataclass
class EntryState:
    entry_id: str
    title: str
    starts: date | None
    ends: date | None
    outcome_id: str | None
    status: PlanStatus
    since: date | None  # the day of the last status change; None: never changed
    note: str
    late: bool
    due: bool
    before: float | None  # the outcome's latest value before the entry started
    after: float | None  # its latest value while the entry ran (or since)

    @property
    def moved(self) -> float | None:
        """What the outcome's value did while the entry ran; None without both values."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def entry_states(
    entries: list[Item],
    changes: list[PlanStatusChange],
    measurements: list[Measurement],
    today: date,
) -> list[EntryState]:
    latest: dict[str, PlanStatusChange] = {}
    for change in changes:  # in the order recorded: the last one stands
        latest[change.entry_id] = change
    states = []
    for entry in entries:
        body = entry.body
        starts, ends = _day(body.get("starts")), _day(body.get("ends"))
        change = latest.get(entry.id)
        status = change.status if change else PlanStatus.PLANNED
        open_ = status not in _FINISHED
        late = open_ and ends is not None and ends < today
        due = (
            not late
            and status in (PlanStatus.PLANNED, PlanStatus.SLIPPED)
            and starts is not None
            and starts <= today + DUE_WITHIN
        )
        outcome = body.get("outcome_id")
        before, after = _values_around(outcome, starts, ends or today, measurements)
        states.append(
            EntryState(
                entry_id=entry.id,
                title=str(body.get("title") or ""),
                starts=starts,
                ends=ends,
                outcome_id=outcome,
                status=status,
                since=change.on_day if change else None,
                note=change.note if change else "",
                late=late,
                due=due,
                before=before,
                after=after,
            )
        )
    return sorted(states, key=lambda s: (s.starts or date.max, s.title))


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _values_around(
    outcome_id: str | None, starts: date | None, until: date, measurements: list[Measurement]
) -> tuple[float | None, float | None]:
    if outcome_id is None or starts is None:
        return None, None
    mine = sorted(
        (m for m in measurements if m.outcome_id == outcome_id),
        key=lambda m: (m.measured_on, m.created_at),
    )
    before = [m.value for m in mine if m.measured_on < starts]
    during = [m.value for m in mine if starts <= m.measured_on <= until]
    return (before[-1] if before else None), (during[-1] if during else None)
