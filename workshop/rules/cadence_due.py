"""When each segment's impact update is due, from the cadence and the updates approved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DUE_SOON = timedelta(days=7)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "other": 2}
_UNITS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "year": 365}
_EVERY = re.compile(
    r"(?:every|each)\s+(?:(\d+|one|two|three|four|six|other)\s+)?(day|week|fortnight|month|quarter|year)s?",
    re.I,
)
_WORDS = {
    "daily": 1,
    "weekly": 7,
    "fortnightly": 14,
    "biweekly": 14,
    "monthly": 30,
    "bimonthly": 61,
    "quarterly": 91,
    "half-yearly": 182,
    "yearly": 365,
    "annually": 365,
}


def period_days(frequency: str) -> int | None:
    """'monthly' → 30, 'every two weeks' → 14, 'each quarter' → 91; None when unclear."""
    text = frequency.strip().casefold()
    for word, days in _WORDS.items():
        if re.search(rf"\b{re.escape(word)}\b", text):
            return days
    match = _EVERY.search(text)
    if match:
        count = match[1] or "1"
        n = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        return n * _UNITS[match[2]]
    return None


@dataclass
class DueUpdate:
    session_id: str
    session_title: str
    segment: str
    report: str
    frequency: str
    last: date | None  # the last update approved for the segment
    due: date | None  # None: the frequency cannot be read
    today: date

    @property
    def state(self) -> str:
        if self.due is None:
            return "frequency unclear"
        if self.due < self.today:
            return "overdue"
        return "due" if self.due <= self.today + DUE_SOON else "later"

    @property
    def days_late(self) -> int:
        return (self.today - self.due).days if self.due and self.due < self.today else 0


def next_due(start: date, last: date | None, frequency: str) -> date | None:
    days = period_days(frequency)
    if days is None:
        return None
    return (last or start) + timedelta(days=days)
