"""Placing a room: the quick placement requests, then the engagement details per person.

Each person's card moves the moment their entry in the streamed answer is complete, while
the model is still writing about the next person; the placements are stored when the
call ends and is logged, each naming it, and an answer cut half-way keeps whoever it had
placed. Whoever an answer missed is asked again,
once, with the others it missed; whoever is still missing then gets a whole draft of
their own. The details follow, one request a person, merged into the placement draft.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sessions import Item, ItemKind, Origin, SessionRecord, Stakeholder, Status
from sessions.bodies import has_engagement_details
from workshop.drafting.engine import DraftJob, DraftResult, Progress, ProgressCallback
from workshop.drafting.faults import (
    ContextTooLongFault,
    CutByServerFault,
    DraftError,
    MalformedJSONFault,
    SchemaInvalidFault,
    StreamDroppedFault,
    TruncatedFault,
    failure_words,
)
from workshop.drafting.placement import (
    Placement,
    PlacementReader,
    PlacementsDraft,
    placement_body,
)
from workshop.drafting.summary import DraftSummary

if TYPE_CHECKING:
    from sessions import SessionStore
    from workshop.drafting.engine import DraftingEngine
    from workshop.drafting.jobs import JobBuilder

FOUND = "found"  # a person's entry is complete in the answer still streaming
PLACED = "placed"  # their placement is stored
# Failures of the answer itself: a draft of one person's own may still succeed. Others (no
# such model, a bad key, no connection) would fail every request the same way.
ANSWER_FAULTS = (
    MalformedJSONFault,
    SchemaInvalidFault,
    TruncatedFault,
    CutByServerFault,
    StreamDroppedFault,
    ContextTooLongFault,
)


class RoomPlacement:
    """One round of placing: `await RoomPlacement(...).run(jobs)` (the Drafter makes it)."""

    def __init__(
        self,
        store: SessionStore,
        engine: DraftingEngine,
        builder: Callable[[SessionRecord], JobBuilder],
        author: str,
        summary: DraftSummary,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.store = store
        self.engine = engine
        self.builder = builder
        self.author = author
        self.summary = summary
        self.on_progress = on_progress
        self.readers: dict[str, PlacementReader] = {}
        self.people: dict[str, Stakeholder] = {}
        self.existing: list[Item] = []
        self.placed: list[Item] = []  # stored this round, in the order they came
        self._found: dict[str, list[tuple[Stakeholder, Placement]]] = {}  # job key → unsaved
        self.errors: dict[str, DraftError] = {}  # person id → why their request failed
        self.jobs: dict[str, DraftJob] = {}

    async def run(self, jobs: Sequence[DraftJob]) -> list[str]:
        """Place everyone the jobs cover; returns the ids of people still unplaced.

        Those in `errors` failed in a way a request of their own would repeat.
        """
        if not jobs:
            return []
        record = self.store.load_session(jobs[0].session_id or "")
        self._know(record)
        for attempt in range(2):
            for job in jobs:
                self.jobs[job.key] = job
                self._read_afresh(job.key)
            await self.engine.draft_all(jobs, self._progress, self._result)
            missing = [p for p in self._unplaced(jobs) if p.id not in self.errors]
            if not missing or attempt or not self.placed:
                break  # an answer that placed nobody would not place them if asked again
            self._tell(missing, "queued", "not in the answer; asking again")
            guidance = jobs[0].guidance
            jobs = self.builder(record).placement(missing, guidance)
        return [p.id for p in self._unplaced(jobs)]

    def _unplaced(self, jobs: Sequence[DraftJob]) -> list[Stakeholder]:
        placed = {i.stakeholder_id for i in self.placed}
        return [self.people[i] for job in jobs for i in job.group if i not in placed]

    def _know(self, record: SessionRecord) -> None:
        self.people = {p.id: p for p in record.stakeholders}
        self.existing = list(record.items_of(ItemKind.SEGMENTATION))

    # What the engine reports ---------------------------------------------------------

    def _progress(self, event: Progress) -> None:
        reader = self.readers.get(event.key)
        if reader is None:
            return
        people = list(reader.people.values())
        if event.state == "streaming":
            for person, placement in reader.finished(event.partial):
                self._found.setdefault(event.key, []).append((person, placement))
                # Shown where they go now; "saved" comes once the call is logged.
                self._report(Progress(person.id, person.name, FOUND, _shown(placement)))
            current = reader.in_progress(event.partial)
            if current is not None:
                person, partial = current
                self._report(Progress(person.id, person.name, "streaming", partial))
        elif event.state in ("queued", "sending"):
            if event.state == "sending":
                # Sent again (a dropped stream, a server that cut it): this answer starts
                # from nothing, and what the last one gave was not kept.
                self._read_afresh(event.key)
            self._tell(people, "placing" if event.state == "sending" else "queued", event.message)

    def _read_afresh(self, key: str) -> None:
        job = self.jobs[key]
        self.readers[key] = PlacementReader([self.people[i] for i in job.group], job.restore)
        self._found.pop(key, None)

    def _result(self, result: DraftResult) -> None:
        self.summary.add_usage(result)
        reader = self.readers[result.job.key]
        answer = result.answer if isinstance(result.answer, PlacementsDraft) else None
        found = self._found.pop(result.job.key, []) + reader.final(answer)
        for person, placement in found:
            self._keep(person, placement, result.call_id)
        error = result.error
        if error is None:
            return
        for person in reader.missing():
            if isinstance(error, ANSWER_FAULTS):
                self.errors.pop(person.id, None)
            else:
                self.errors[person.id] = error
        if isinstance(error, ANSWER_FAULTS):
            # The engine's words say nothing partial was kept; here the finished entries were.
            told = (
                f"The answer stopped after {len(reader.placed)} of {len(reader.people)} people "
                f"({failure_words(error.kind, 1)}); asking again for the rest."
                if reader.placed
                else f"{error.message} Asking again."
            )
            self._tell(reader.missing(), "queued", told)
        else:
            self._tell(reader.missing(), "failed", error.message)

    # Storing ---------------------------------------------------------------------------

    def _keep(self, person: Stakeholder, placement: Placement, call_id: str | None) -> None:
        body = placement_body(placement, person)
        current = _untouched(self.existing, person.id)
        if current is not None:
            item = self.store.redraft_item(current.id, body, call_id, "")
        else:
            item = self.store.create_item(
                person.session_id,
                ItemKind.SEGMENTATION,
                body,
                Origin.MODEL,
                self.author,
                stakeholder_id=person.id,
                llm_call_id=call_id,
            )
        self.existing.append(item)
        self.placed.append(item)
        self.summary.drafted.append(item)
        self._report(Progress(person.id, person.name, PLACED, _shown(placement)))

    # Telling the screen ----------------------------------------------------------------

    def _tell(self, people: Sequence[Stakeholder], state: str, message: str = "") -> None:
        for person in people:
            self._report(Progress(person.id, person.name, state, message=message))

    def _report(self, progress: Progress) -> None:
        if self.on_progress is not None:
            self.on_progress(progress)


def _shown(placement: Placement) -> dict[str, str]:
    return {"segment": placement.segment.value, "rationale": placement.rationale}


def _untouched(existing: list[Item], person_id: str) -> Item | None:
    """The person's newest draft no one has touched: a new placement replaces it."""
    drafts = [
        i
        for i in existing
        if i.stakeholder_id == person_id and i.origin is Origin.MODEL and i.status is Status.DRAFT
    ]
    return max(drafts, key=lambda i: i.updated_at) if drafts else None


def unsettled(record: SessionRecord) -> list[str]:
    """Everyone whose placement no person has decided on yet (approved or edited): whom a
    round of placing drafts again."""
    settled = {
        i.stakeholder_id
        for i in record.items_of(ItemKind.SEGMENTATION)
        if i.status is not Status.REJECTED
        and (i.status is Status.APPROVED or i.origin is not Origin.MODEL)
    }
    return [p.id for p in record.stakeholders if p.id not in settled and not p.has_left]


def needing_details(record: SessionRecord, ids: Sequence[str] | None = None) -> list[Item]:
    """The untouched placement drafts that say where someone sits but not how to engage."""
    wanted = set(ids) if ids is not None else None
    found: dict[str, Item] = {}
    for item in record.items_of(ItemKind.SEGMENTATION):
        person = item.stakeholder_id or ""
        if wanted is not None and person not in wanted:
            continue
        if item.origin is Origin.MODEL and item.status is Status.DRAFT:
            newest = found.get(person)
            if newest is None or item.updated_at > newest.updated_at:
                found[person] = item
    order = {p.id: n for n, p in enumerate(record.stakeholders)}
    items = [i for i in found.values() if not has_engagement_details(i.body)]
    return sorted(items, key=lambda i: order.get(i.stakeholder_id or "", 0))
