"""Plan-entry rules: what a calendar entry needs before it can be saved.

The same rules hold wherever an entry comes from: the plan dialog, a script, a loaded
dump. The body's own shape (a title, real dates, ends not before starts) is the model's,
PlanEntryBody; serving an approved outcome depends on the session and is checked here.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any

DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EXAMPLE_DATE = "2026-07-02"
NO_APPROVED_OUTCOME = "An entry must serve an approved outcome, and none is approved yet (stage 5)."
CHOOSE_OUTCOME = "Choose the approved outcome this entry serves."


def parse_date(label: str, raw: str) -> date | None | str:
    """A typed YYYY-MM-DD date, None when empty, or a message saying what is wrong."""
    text = raw.strip()
    if not text:
        return None
    if not DATE_SHAPE.match(text):
        return f"{label}: {text!r} is not a date. Type it as YYYY-MM-DD, e.g. {EXAMPLE_DATE}."
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        return f"{label}: {text!r} is not a real date ({error})."


def order_problem(starts: date | None, ends: date | None) -> str | None:
    if starts and ends and ends < starts:
        return f"Ends ({ends.isoformat()}) is before Starts ({starts.isoformat()})."
    return None


def outcome_problem(outcome_id: str | None, approved: Collection[str]) -> str | None:
    """Why an entry cannot serve this outcome, or None when it can."""
    if not approved:
        return NO_APPROVED_OUTCOME
    if outcome_id is None or outcome_id not in approved:
        return CHOOSE_OUTCOME
    return None


def entry_body(
    fields: dict[str, str], outcome_id: str | None, approved: Collection[str]
) -> dict[str, Any] | str:
    """A plan entry as typed, or one sentence saying what to fix first."""
    title = fields["title"].strip()
    if not title:
        return "Give the entry a title."
    starts = parse_date("Starts", fields["starts"])
    if isinstance(starts, str):
        return starts
    ends = parse_date("Ends", fields["ends"])
    if isinstance(ends, str):
        return ends
    problem = order_problem(starts, ends) or outcome_problem(outcome_id, approved)
    if problem:
        return problem
    return {
        "title": title,
        "starts": starts.isoformat() if starts else None,
        "ends": ends.isoformat() if ends else None,
        "channel": fields["channel"].strip(),
        "outcome_id": outcome_id,
        "description": fields["description"],
    }
