"""What changed between two sessions (a follow-up and the one it continues).

`Change` is the shared shape: the export, the CLI (`workshop diff A B`) and the TUI all
show lists of them. Computing them is `compare_sessions`.

How the two sessions are read (A the earlier, B the later):

- stakeholders are matched by name, ignoring case and spacing;
- a person's segment is their approved assignment, else their newest one not rejected;
- an outcome counts when it is not rejected (a draft is marked as not approved yet);
  what B no longer has is reported only if it was approved in A (a follow-up starts
  from the approved strategy, so A's open drafts are not news);
  outcomes are matched first by the carried-forward link (an outcome B took over from A,
  even if reworded since), then by their result text, ignoring case, spacing and final
  punctuation; a carried outcome that B rejected is reported as dropped;
- a target that has a number on both sides is raised or lowered, otherwise changed;
- the reason is the newest note a person gave on the B item (not the notes the app
  writes itself, such as "approved" or "carried forward from …").

The order is fixed: by kind (priorities, people, segments, outcomes, targets, other
outcome fields), then by subject.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sessions import Item, ItemKind, Segment, SessionRecord, Status
from workshop.rules.change import Change
from workshop.rules.compare_people import attribute_changes, seat_changes

KIND_ORDER = (
    "priority_added",
    "priority_dropped",
    "stakeholder_added",
    "stakeholder_removed",
    "segment_moved",
    "segment_assigned",
    "segment_cleared",
    "seat_changed",
    "influence_changed",
    "stance_changed",
    "outcome_added",
    "outcome_dropped",
    "target_raised",
    "target_lowered",
    "target_changed",
    "outcome_changed",
)
# Outcome fields compared, in the order they are reported; the target has its own kinds.
OUTCOME_FIELDS = ("result", "metric", "baseline", "target", "due", "owner")
# Notes the app writes itself: never shown as a person's reason.
MACHINE_NOTES = ("approved", "edited after approval: reopened", "superseded by a newer draft")
MACHINE_NOTE_STARTS = ("carried forward from ", "notes shortened to fit")


def compare_sessions(
    a: SessionRecord,
    b: SessionRecord,
    *,
    links: Mapping[str, str] | None = None,
    notes: Mapping[str, Sequence[str]] | None = None,
) -> list[Change]:
    """The changes from a (earlier) to b (later).

    links: {b item id: a item id} for items b carried forward from a (the store's
    `carried_links`); notes: {b item id: its revision notes, oldest first} (the store's
    `revision_notes`), where the reasons come from. Both are optional.
    """
    links = links or {}
    notes = notes or {}
    changes = [
        *_priority_changes(a, b),
        *_people_changes(a, b, notes),
        *_outcome_changes(a, b, links, notes),
    ]
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    field_rank = {name: index for index, name in enumerate(OUTCOME_FIELDS)}
    return sorted(
        changes,
        key=lambda c: (
            rank.get(c.kind, len(rank)),
            c.kind,
            c.subject.casefold(),
            field_rank.get(c.field, len(field_rank)),
            c.before,
            c.after,
        ),
    )


def reason_from(notes: Sequence[str]) -> str:
    """The newest note a person gave, without the app's own notes; '' when none."""
    for note in reversed(notes):
        parts = [p.strip() for p in note.split("; ")]
        human = [p for p in parts if p and not _is_machine_note(p)]
        if human:
            return "; ".join(human)
    return ""


def _is_machine_note(note: str) -> bool:
    folded = note.casefold()
    return folded in MACHINE_NOTES or folded.startswith(MACHINE_NOTE_STARTS)


# Priorities ---------------------------------------------------------------------------


def _priority_changes(a: SessionRecord, b: SessionRecord) -> list[Change]:
    before = {_key(p): p for p in a.session.priorities}
    after = {_key(p): p for p in b.session.priorities}
    return [Change("priority_added", p) for k, p in after.items() if k not in before] + [
        Change("priority_dropped", p) for k, p in before.items() if k not in after
    ]


# People and segments ------------------------------------------------------------------


def _people_changes(
    a: SessionRecord, b: SessionRecord, notes: Mapping[str, Sequence[str]]
) -> list[Change]:
    people_a = {_name_key(p.name): p for p in a.stakeholders}
    people_b = {_name_key(p.name): p for p in b.stakeholders if not p.has_left}
    changes, told = seat_changes(a, b)
    for key, person in people_b.items():
        assigned = _assignment(b, person.id)
        if key not in people_a:
            if key not in told:
                changes.append(Change("stakeholder_added", person.name, after=_segment(assigned)))
            continue
        changes += attribute_changes(people_a[key], person)
        before_item = _assignment(a, people_a[key].id)
        before, after = _segment(before_item), _segment(assigned)
        if before == after:
            continue
        if assigned is not None:
            reason = reason_from(notes.get(assigned.id, ()))
            pending = assigned.status is not Status.APPROVED
            kind = "segment_moved" if before else "segment_assigned"
            changes.append(Change(kind, person.name, before, after, reason, pending=pending))
        elif before_item is not None and before_item.status is Status.APPROVED:
            rejected = _newest(
                [
                    i
                    for i in b.items_of(ItemKind.SEGMENTATION)
                    if i.stakeholder_id == person.id and i.status is Status.REJECTED
                ]
            )
            reason = reason_from(notes.get(rejected.id, ())) if rejected else ""
            changes.append(Change("segment_cleared", person.name, before=before, reason=reason))
    for key, person in people_a.items():
        if key not in people_b and key not in told:
            before = _segment(_assignment(a, person.id))
            changes.append(Change("stakeholder_removed", person.name, before=before))
    return changes


def _assignment(record: SessionRecord, stakeholder_id: str) -> Item | None:
    """The approved assignment, else the newest one not rejected."""
    items = [
        i
        for i in record.items_of(ItemKind.SEGMENTATION)
        if i.stakeholder_id == stakeholder_id and i.status is not Status.REJECTED
    ]
    approved = [i for i in items if i.status is Status.APPROVED]
    return _newest(approved or items)


def _newest(items: list[Item]) -> Item | None:
    if not items:
        return None
    return max(items, key=lambda i: (i.approved_at or "", i.updated_at, i.created_at, i.id))


def _segment(item: Item | None) -> str:
    if item is None:
        return ""
    value = item.body.get("segment") or (item.segment.value if item.segment else "")
    try:
        return Segment(value).label
    except ValueError:
        return str(value)


# Outcomes -----------------------------------------------------------------------------


def _outcome_changes(
    a: SessionRecord,
    b: SessionRecord,
    links: Mapping[str, str],
    notes: Mapping[str, Sequence[str]],
) -> list[Change]:
    live_a = [i for i in a.items_of(ItemKind.OUTCOME) if i.status is not Status.REJECTED]
    all_b = b.items_of(ItemKind.OUTCOME)
    pairs: list[tuple[Item, Item]] = []
    matched_a: set[str] = set()
    matched_b: set[str] = set()
    by_id = {i.id: i for i in live_a}
    # 1. The carried-forward link, whatever became of the wording.
    for item in all_b:
        source = by_id.get(links.get(item.id, ""))
        if source is not None and source.id not in matched_a:
            pairs.append((source, item))
            matched_a.add(source.id)
            matched_b.add(item.id)
    # 2. The same result, in words.
    for item in all_b:
        if item.id in matched_b or item.status is Status.REJECTED:
            continue
        key = _key(_text(item.body.get("result")))
        source = next(
            (
                i
                for i in live_a
                if i.id not in matched_a and _key(_text(i.body.get("result"))) == key
            ),
            None,
        )
        if source is not None:
            pairs.append((source, item))
            matched_a.add(source.id)
            matched_b.add(item.id)

    changes = []
    for before, after in pairs:
        reason = reason_from(notes.get(after.id, ()))
        if after.status is Status.REJECTED:
            subject = _text(before.body.get("result"))
            changes.append(Change("outcome_dropped", subject, reason=reason))
        else:
            changes.extend(_field_changes(before, after, reason))
    for item in all_b:
        if item.id not in matched_b and item.status is not Status.REJECTED:
            pending = item.status is not Status.APPROVED
            changes.append(
                Change(
                    "outcome_added",
                    _text(item.body.get("result")),
                    reason=reason_from(notes.get(item.id, ())),
                    pending=pending,
                )
            )
    for item in live_a:
        # A draft of A that B did not take up is not news: B starts from what was approved.
        if item.id not in matched_a and item.status is Status.APPROVED:
            changes.append(Change("outcome_dropped", _text(item.body.get("result"))))
    return changes


def _field_changes(before: Item, after: Item, reason: str) -> list[Change]:
    subject = _text(after.body.get("result"))
    pending = after.status is not Status.APPROVED
    changes = []
    for name in OUTCOME_FIELDS:
        old, new = before.body.get(name), after.body.get(name)
        if _key(_text(old)) == _key(_text(new)) and (old is None) == (new is None):
            continue
        old_text, new_text = _shown(old), _shown(new)
        if name == "target":
            kind = _target_kind(old, new)
            changes.append(Change(kind, subject, old_text, new_text, reason, pending=pending))
        else:
            changes.append(
                Change("outcome_changed", subject, old_text, new_text, reason, name, pending)
            )
    return changes


_NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d,]*(?:\.\d+)?(?:\s?(k|m|bn)(?![a-z]))?", re.IGNORECASE)
_SCALE = {"k": 1e3, "m": 1e6, "bn": 1e9}


def number_in(text: Any) -> float | None:
    """The first number in a target ('1,200 leads' → 1200.0, '€1.5M' → 1.5e6), or None."""
    if not isinstance(text, str):
        return None
    match = _NUMBER.search(text)
    if match is None:
        return None
    digits = match.group(0)
    if match.group(1):
        digits = digits[: match.start(1) - match.start(0)]
    try:
        value = float(digits.replace(",", "").strip())
    except ValueError:
        return None
    return value * _SCALE.get((match.group(1) or "").casefold(), 1)


def _target_kind(old: Any, new: Any) -> str:
    before, after = number_in(old), number_in(new)
    if before is None or after is None or before == after:
        return "target_changed"
    return "target_raised" if after > before else "target_lowered"


# Text ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _shown(value: Any) -> str:
    return "unknown" if value is None or not str(value).strip() else str(value)


def _key(text: str) -> str:
    """For matching: case, spacing and final punctuation do not count."""
    return " ".join(text.casefold().split()).rstrip(".!;:, ")


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


__all__ = ["Change", "compare_sessions", "number_in", "reason_from"]
