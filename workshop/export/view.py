"""What the Markdown export shows: the data it is made from, and which items it includes.

`ExportData` is everything the export needs beyond the session record (revisions, model
calls, the playbook's words, the parent session and what changed since it); the service
builds it from the store. `ExportView` decides, once, which items the document shows:

- an item is shown when it is approved, or, with drafts asked for, when it is a draft;
  rejected items never are;
- a person's segment is their approved assignment (the newest, if several); with drafts
  and no approved one, their newest draft assignment; any other assignment is left out;
- captured answers are a record of what people said, not a proposal to approve: they are
  shown unless rejected, and never counted as left out.

Everything is ordered stably (playbook segment order, the register's order, then
creation time and id), so the same session always gives the same document.

The audience decides which sections there are: the team gets everything; leadership gets
the outcomes, their progress, the plan, the cadence and the asks, and nothing that labels,
quotes or judges a person (no segments, objections, rationales or attributed answers).

Progress is judged as of the day of the session's latest measurement, not the day the
document is made, so that the same session still gives the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sessions import (
    Item,
    ItemKind,
    Measurement,
    Revision,
    Segment,
    SessionRecord,
    Stakeholder,
    Status,
)
from workshop.export.audience import LEADERSHIP_CHANGES, LEADERSHIP_KINDS, Audience
from workshop.rules.progress import OutcomeProgress, progress_of, start_of

if TYPE_CHECKING:
    from workshop.rules.compare import Change
    from workshop.rules.draft_flags import DraftFlag


@dataclass(frozen=True)
class SegmentInfo:
    """A segment as the playbook names and defines it."""

    id: str
    name: str
    definition: str = ""


DEFAULT_SEGMENTS: tuple[SegmentInfo, ...] = tuple(SegmentInfo(s.value, s.label) for s in Segment)


@dataclass(frozen=True)
class ModelCall:
    """What the export says about one recorded model call."""

    model: str
    template_id: str = ""
    template_version: int | None = None  # None: the template's hash is not in the library
    template_hash: str = ""
    ok: bool = True


@dataclass(frozen=True)
class ExportData:
    """A session and what its export needs besides the record itself."""

    record: SessionRecord
    revisions: Mapping[str, Sequence[Revision]] = field(default_factory=dict)  # item id →
    calls: Mapping[str, ModelCall] = field(default_factory=dict)  # llm call id → (all calls)
    segments: Sequence[SegmentInfo] = DEFAULT_SEGMENTS
    topics: Mapping[str, str] = field(default_factory=dict)  # topic id → title
    parent_title: str | None = None
    changes: Sequence[Change] = ()
    flags: Mapping[str, DraftFlag] = field(default_factory=dict)  # item id → why to check it
    measurements: Sequence[Measurement] = ()  # the session's, for the approved outcomes
    failing: Mapping[str, Sequence[str]] = field(default_factory=dict)  # outcome id → checks


def _newest(items: list[Item], approved: bool = False) -> Item:
    if approved:
        return max(items, key=lambda i: (i.approved_at or i.updated_at, i.updated_at, i.id))
    return max(items, key=lambda i: (i.updated_at, i.created_at, i.id))


class ExportView:
    def __init__(
        self, data: ExportData, include_drafts: bool, audience: Audience = Audience.TEAM
    ) -> None:
        self.audience = Audience(audience)
        if self.leadership and include_drafts:
            raise ValueError("A leadership export holds approved items only.")
        self.data = data
        self.drafts = include_drafts
        self.session = data.record.session
        self.people: list[Stakeholder] = sorted(
            data.record.stakeholders, key=lambda p: (p.position, p.created_at, p.id)
        )
        self.names = {p.id: p.name for p in self.people}
        self.items = sorted(data.record.items, key=lambda i: (i.created_at, i.id))
        self.by_id = {i.id: i for i in self.items}
        segments = list(data.segments)
        known = {s.id for s in segments}
        segments += [s for s in DEFAULT_SEGMENTS if s.id not in known]
        self.segments = segments
        self.segment_ids = [s.id for s in segments]

        self._rank = {p.id: n for n, p in enumerate(self.people)}
        candidates: dict[str, list[Item]] = {}
        for item in self.items:
            if item.kind is ItemKind.SEGMENTATION and item.status is not Status.REJECTED:
                candidates.setdefault(item.stakeholder_id or "", []).append(item)
        self.assignment: dict[str, Item] = {}  # stakeholder id → the assignment shown
        for person in self.people:
            mine = candidates.get(person.id, [])
            approved = [i for i in mine if i.status is Status.APPROVED]
            if approved:
                self.assignment[person.id] = _newest(approved, approved=True)
            elif include_drafts and mine:
                self.assignment[person.id] = _newest(mine)
        assigned = {i.id for i in self.assignment.values()}
        self.shown_ids = {i.id for i in self.items if self._shown(i, assigned)}

    def _shown(self, item: Item, assigned: set[str]) -> bool:
        if item.kind is ItemKind.SEGMENTATION:
            return item.id in assigned
        if item.kind is ItemKind.ANSWERS:
            return item.status is not Status.REJECTED and item.stakeholder_id in self.names
        if item.status is Status.APPROVED:
            return True
        return self.drafts and item.status is Status.DRAFT

    # Which items -----------------------------------------------------------------------

    def shown(self, kind: ItemKind) -> list[Item]:
        return [i for i in self.items if i.kind is kind and i.id in self.shown_ids]

    @property
    def leadership(self) -> bool:
        return self.audience is Audience.LEADERSHIP

    def left_out(self, kind: ItemKind | None = None) -> list[Item]:
        """Items not shown, of the kinds this audience's document has sections for."""
        return [
            i
            for i in self.items
            if i.id not in self.shown_ids
            and i.kind is not ItemKind.ANSWERS
            and (kind is None or i.kind is kind)
            and (not self.leadership or i.kind in LEADERSHIP_KINDS)
        ]

    def changes(self) -> list[Change]:
        changes = list(self.data.changes)
        if self.leadership:
            return [c for c in changes if c.kind in LEADERSHIP_CHANGES]
        return changes

    @staticmethod
    def is_draft(item: Item) -> bool:
        return item.status is not Status.APPROVED and item.kind is not ItemKind.ANSWERS

    # Segments and people -----------------------------------------------------------------

    def segment_name(self, segment_id: object) -> str:
        for segment in self.segments:
            if segment.id == segment_id:
                return segment.name
        return str(segment_id or "").replace("_", " ").capitalize()

    def segment_of(self, person_id: str | None) -> str | None:
        item = self.assignment.get(person_id or "")
        return str(item.body.get("segment")) if item else None

    def people_in(self, segment_id: str) -> list[Stakeholder]:
        return [p for p in self.people if self.segment_of(p.id) == segment_id]

    def unplaced(self) -> list[Stakeholder]:
        return [p for p in self.people if p.id not in self.assignment]

    def segment_rank(self, segment_id: object) -> int:
        try:
            return self.segment_ids.index(str(segment_id))
        except ValueError:
            return len(self.segment_ids)

    def person_rank(self, person_id: str | None) -> int:
        return self._rank.get(person_id or "", len(self.people))

    # Outcomes and plan -----------------------------------------------------------------

    def outcomes(self) -> list[Item]:
        return self.shown(ItemKind.OUTCOME)

    @functools.cached_property
    def _plan(self) -> list[Item]:
        def when(item: Item) -> tuple:
            body = item.body
            starts, ends = body.get("starts") or "", body.get("ends") or ""
            return (not (starts or ends), starts or ends, ends, str(body.get("title")), item.id)

        return sorted(self.shown(ItemKind.PLAN_ENTRY), key=when)

    def plan(self) -> list[Item]:
        return list(self._plan)

    # Progress ----------------------------------------------------------------------------

    @functools.cached_property
    def _measured(self) -> list[Measurement]:
        approved = {i.id for i in self.outcomes() if i.status is Status.APPROVED}
        return [m for m in self.data.measurements if m.outcome_id in approved]

    @property
    def as_of(self) -> date | None:
        """The day progress is judged on: that of the latest measurement, if any."""
        return max((m.measured_on for m in self._measured), default=None)

    @functools.cached_property
    def _progress(self) -> dict[str, OutcomeProgress]:
        start = start_of(self.session)
        return {
            item.id: progress_of(item.id, item.body, start, self._measured, self.as_of or start)
            for item in self.outcomes()
            if item.status is Status.APPROVED
        }

    def progress(self, item: Item) -> OutcomeProgress | None:
        """How an approved outcome is doing; None for a draft."""
        return self._progress.get(item.id)

    def tracked(self) -> list[OutcomeProgress]:
        """The progress of every approved outcome shown, in the document's order."""
        return list(self._progress.values())

    def cadences(self) -> list[Item]:
        items = self.shown(ItemKind.CADENCE)
        return sorted(items, key=lambda i: self.segment_rank(i.body.get("segment")))

    def guides(self) -> list[Item]:
        """Segment-wide guides first, then per-person ones, each in creation order."""
        items = self.shown(ItemKind.DISCUSSION_GUIDE)
        return sorted(
            items, key=lambda i: (i.stakeholder_id is not None, self.person_rank(i.stakeholder_id))
        )

    def answers(self) -> list[Item]:
        return sorted(
            self.shown(ItemKind.ANSWERS), key=lambda i: self.person_rank(i.stakeholder_id)
        )

    def answer_segment(self, item: Item) -> str | None:
        """Where a speaker's answers belong: their segment once it is shown, else the
        segment whose guide asked the questions they answered (where they were captured)."""
        placed = self.segment_of(item.stakeholder_id)
        if placed is not None:
            return placed
        asked = {str(e.get("question", "")) for e in item.body.get("entries") or []}
        for guide in self.guides():
            questions = {str(q.get("text", "")) for q in guide.body.get("questions") or []}
            if guide.body.get("segment") and asked & questions:
                return str(guide.body["segment"])
        return None

    def assignments(self) -> list[Item]:
        return [self.assignment[p.id] for p in self.people if p.id in self.assignment]
