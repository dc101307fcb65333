"""Who an export is for, and what each audience's document may hold.

The team gets everything. Leadership gets the outcomes, their progress, the 90-day plan,
the impact cadence and the asks: nothing that labels, quotes or judges a person (a
document that calls the CFO a Detractor must not leave the team).
"""

from __future__ import annotations

from enum import StrEnum

from sessions import ItemKind
from workshop.rules.compare_progress import PROGRESS_KINDS


class Audience(StrEnum):
    """Who a document is for: the team (everything) or leadership (nothing about people)."""

    TEAM = "team"
    LEADERSHIP = "leadership"


# What a leadership document holds; the people's items stay with the team.
LEADERSHIP_KINDS = frozenset({ItemKind.OUTCOME, ItemKind.PLAN_ENTRY, ItemKind.CADENCE})
# Changes since the previous workshop that name no person's segment or reasons about them.
LEADERSHIP_CHANGES = frozenset(
    {
        "priority_added",
        "priority_dropped",
        "outcome_added",
        "outcome_dropped",
        "target_raised",
        "target_lowered",
        "target_changed",
        "outcome_changed",
        *PROGRESS_KINDS,  # the quarter's results, plan and updates name no person
    }
)
