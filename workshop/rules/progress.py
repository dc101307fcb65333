"""How an approved outcome is doing: baseline → latest measurement → target, the share of
the way covered and of the time gone, and a status by the rule in docs/progress.md.

Pure functions over the outcome's body, its measurements and the day it is asked on.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sessions import Measurement, Session

MET, ON_TRACK, AT_RISK, BEHIND, NO_DATA, NOT_JUDGED = (
    "met",
    "on track",
    "at risk",
    "behind",
    "no data yet",
    "not judged",
)
ON_TRACK_SLACK = 0.10  # of the way behind the time gone still counts as on track
AT_RISK_SLACK = 0.25  # beyond this, behind

_NUMBER = re.compile(r"[-+]?(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?(?<![\w.])\d+(?:\.\d+)?")
_MONTH_NAMES = {
    name.lower(): n
    for n in range(1, 13)
    for name in (calendar.month_name[n], calendar.month_abbr[n])
}
_QUARTER = re.compile(r"\bq([1-4])\b(?:\s*(?:fy)?\s*'?(\d{2,4}))?", re.I)
_HALF = re.compile(r"\bh([12])\b(?:\s*'?(\d{2,4}))?", re.I)
_MONTH = re.compile(r"\b([a-z]{3,9})\.?\s*(\d{4})?\b", re.I)
_DAYS = re.compile(r"\b(\d+)\s*(day|week|month)s?\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def start_of(session: Session) -> date:
    """The day progress is counted from: the workshop's date, else the day it was created."""
    return session.workshop_date or date.fromisoformat(session.created_at[:10])


def first_number(text: str | None) -> float | None:
    """The figure a baseline or target gives ("18%" → 18, "1,200 leads" → 1200)."""
    match = _NUMBER.search(text or "")
    return float(match.group().replace(",", "")) if match else None


def due_date(text: str | None, start: date) -> date | None:
    """The last day of a time frame as people write it: 2026-09-30, 2026-09, Q3 (2026),
    H2, June (2026), end of year, 90 days, 6 weeks; None when it cannot be read."""
    text = (text or "").strip()
    if not text:
        return None
    if match := _ISO.search(text):
        year, month, day = int(match[1]), int(match[2]), match[3]
        try:
            return date(year, month, int(day)) if day else _month_end(year, month)
        except ValueError:
            return None
    if match := _QUARTER.search(text):
        return _after(start, match[2], lambda y: _month_end(y, int(match[1]) * 3))
    if match := _HALF.search(text):
        return _after(start, match[2], lambda y: _month_end(y, int(match[1]) * 6))
    if match := _DAYS.search(text):
        count, unit = int(match[1]), match[2].lower()
        days = {"day": 1, "week": 7, "month": 30}[unit] * count
        return start + timedelta(days=days)
    if re.search(r"\b(?:end of (?:the )?year|year[\s-]end|eoy)\b", text, re.I):
        return date(start.year, 12, 31)
    for match in _MONTH.finditer(text):
        month = _MONTH_NAMES.get(match[1].lower())
        if month:
            return _after(start, match[2], lambda y, m=month: _month_end(y, m))
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _after(start: date, year_text: str | None, end_in) -> date:
    """The frame in the year given, else the first one ending on or after the start."""
    if year_text:
        year = int(year_text)
        return end_in(year + 2000 if year < 100 else year)
    end = end_in(start.year)
    return end if end >= start else end_in(start.year + 1)


@dataclass
class OutcomeProgress:
    outcome_id: str
    result: str
    metric: str
    baseline: float | None
    target: float | None
    start: date
    due: date | None
    measurements: list[Measurement] = field(default_factory=list)
    today: date = field(default_factory=date.today)

    @property
    def latest(self) -> Measurement | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def share_of_way(self) -> float | None:
        """0 at the baseline, 1 at the target (either direction); None when unknown."""
        if self.latest is None or self.baseline is None or self.target is None:
            return None
        if self.target == self.baseline:
            return 1.0 if self.latest.value == self.target else 0.0
        return (self.latest.value - self.baseline) / (self.target - self.baseline)

    @property
    def share_of_time(self) -> float | None:
        if self.due is None:
            return None
        if self.due <= self.start:
            return 1.0
        return max(0.0, (self.today - self.start).days / (self.due - self.start).days)

    @property
    def status(self) -> str:
        if self.latest is None:
            return NO_DATA
        way, time = self.share_of_way, self.share_of_time
        if way is None:
            return NOT_JUDGED
        if way >= 1:
            return MET
        if time is None:
            return NOT_JUDGED
        if time >= 1 or way < time - AT_RISK_SLACK:
            return BEHIND
        return ON_TRACK if way >= time - ON_TRACK_SLACK else AT_RISK

    @property
    def why(self) -> str:
        """What an unjudged or unknown figure lacks, in the words a reader needs."""
        missing = [
            name
            for name, value in (("baseline", self.baseline), ("target", self.target))
            if value is None
        ]
        if missing:
            return f"the {' and the '.join(missing)} {'is' if len(missing) == 1 else 'are'} unknown"
        if self.due is None:
            return "the time frame is not a date the app can read"
        return ""


def progress_of(
    outcome_id: str,
    body: dict,
    start: date,
    measurements: list[Measurement],
    today: date | None = None,
) -> OutcomeProgress:
    mine = sorted(
        (m for m in measurements if m.outcome_id == outcome_id),
        key=lambda m: (m.measured_on, m.created_at),
    )
    return OutcomeProgress(
        outcome_id=outcome_id,
        result=str(body.get("result") or ""),
        metric=str(body.get("metric") or ""),
        baseline=first_number(body.get("baseline")),
        target=first_number(body.get("target")),
        start=start,
        due=due_date(body.get("due"), start),
        measurements=mine,
        today=today or date.today(),
    )
