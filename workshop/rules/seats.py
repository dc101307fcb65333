"""Seats in the room: who left, who took over from whom, and whom marketing must win over
again (resell) because the seat changed hands and nobody has placed the newcomer yet."""

from __future__ import annotations

from sessions import ItemKind, SessionRecord, Stakeholder, Status


def to_resell(record: SessionRecord, person: Stakeholder) -> bool:
    """A newcomer in someone's seat with no approved placement yet."""
    if not person.replaces or person.has_left:
        return False
    return not any(
        i.stakeholder_id == person.id and i.status is Status.APPROVED
        for i in record.items_of(ItemKind.SEGMENTATION)
    )


def seat_note(record: SessionRecord, person: Stakeholder) -> str:
    """What a register line says about the seat: '' for most people."""
    if person.has_left:
        return f"left on {person.left_on.isoformat()}" if person.left_on else "left"
    if not person.replaces:
        return ""
    resell = ": to resell" if to_resell(record, person) else ""
    return f"took over from {person.replaces}{resell}"
