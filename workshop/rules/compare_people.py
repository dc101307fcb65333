"""What changed about the people between two sessions beyond their segments: a seat that
changed hands, and an influence or a stance that moved (compare.py puts them in order)."""

from __future__ import annotations

from sessions import SessionRecord, Stakeholder
from workshop.rules.change import Change

NOT_RECORDED = "not recorded"


def seat_changes(a: SessionRecord, b: SessionRecord) -> tuple[list[Change], set[str]]:
    """The newcomers of b who took over the seat of someone a had, and the name keys those
    seat changes already tell of (not reported again as joined or gone)."""
    earlier = {_key(p.name): p for p in a.stakeholders}
    changes, told = [], set()
    for person in b.stakeholders:
        left = earlier.get(_key(person.replaces)) if person.replaces else None
        if left is None or person.has_left:
            continue
        changes.append(Change("seat_changed", person.name, before=left.name, after=person.role))
        told |= {_key(person.name), _key(left.name)}
    return changes, told


def attribute_changes(before: Stakeholder, after: Stakeholder) -> list[Change]:
    """An influence or a stance recorded differently in the later session."""
    changes = []
    for kind, old, new in (
        ("influence_changed", before.influence, after.influence),
        ("stance_changed", before.stance, after.stance),
    ):
        if old != new:
            changes.append(Change(kind, after.name, _value(old), _value(new)))
    return changes


def _value(value: object) -> str:
    return str(getattr(value, "value", value)) if value is not None else NOT_RECORDED


def _key(name: str) -> str:
    return " ".join(name.casefold().split())
