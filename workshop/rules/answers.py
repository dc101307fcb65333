"""The discussion's data as the room works with it: which guide each segment is asked
from, and what each person said to which question."""

from __future__ import annotations

from sessions import Item, ItemKind, Segment, SessionRecord, Status


def guides_by_segment(record: SessionRecord) -> dict[Segment, list[Item]]:
    """Each segment's guides, the one to show first: approved, then open, newest first."""
    guides: dict[Segment, list[Item]] = {s: [] for s in Segment}
    for item in sorted(
        record.items_of(ItemKind.DISCUSSION_GUIDE), key=lambda i: i.updated_at, reverse=True
    ):
        segment = item.segment or Segment(str(item.body.get("segment")))
        guides[segment].append(item)
    order = {Status.APPROVED: 0, Status.DRAFT: 1, Status.REJECTED: 2}
    for items in guides.values():
        items.sort(key=lambda i: (order[i.status], i.stakeholder_id is not None))
    return guides


def answers_by_person(record: SessionRecord) -> dict[str, dict[str, str]]:
    """Stakeholder id → question → what they said (rejected answers left out)."""
    answers: dict[str, dict[str, str]] = {}
    for item in record.items_of(ItemKind.ANSWERS):
        if item.status is Status.REJECTED or not item.stakeholder_id:
            continue
        entries = answers.setdefault(item.stakeholder_id, {})
        for entry in item.body.get("entries", []):
            entries[str(entry.get("question", ""))] = str(entry.get("answer", ""))
    return answers


def guide_for(guides: list[Item]) -> Item | None:
    """The guide a segment is asked from: the first not rejected (approved first)."""
    return next((g for g in guides if g.status is not Status.REJECTED), None)


def questions_of(guide: Item | None) -> list[str]:
    if guide is None:
        return []
    return [str(q.get("text", "")) for q in guide.body.get("questions", []) if q.get("text")]


def answered(said: dict[str, str], questions: list[str]) -> int:
    """How many of the questions have an answer that is not blank."""
    return sum(1 for q in questions if said.get(q, "").strip())
