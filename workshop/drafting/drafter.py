"""Drafting for a session: build jobs, run the engine, store what comes back.

The one place where the engine meets the store. Human work is never overwritten: the
store's redraft replaces only untouched model drafts and puts anything else beside them.
"""

from __future__ import annotations

from collections.abc import Sequence

from prompt_library import PromptLibrary, load_library
from sessions import (
    Item,
    ItemKind,
    Origin,
    Segment,
    SessionRecord,
    SessionStore,
    Stakeholder,
    Status,
)
from workshop.drafting.capabilities import Capabilities
from workshop.drafting.config import ModelSettings
from workshop.drafting.engine import DraftingEngine, DraftJob, DraftResult, ProgressCallback
from workshop.drafting.jobs import JobBuilder, OutcomesDraft
from workshop.drafting.placement import BATCH
from workshop.drafting.summary import DraftSummary
from workshop.errors import WorkshopError


class Drafter:
    def __init__(
        self,
        store: SessionStore,
        settings: ModelSettings,
        library: PromptLibrary | None = None,
        pseudonymise: bool = False,
        capabilities: Capabilities | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.library = library or load_library()
        self.playbook = self.library.playbook()
        self.pseudonymise = pseudonymise
        self.engine = DraftingEngine(
            settings, self.library, store.record_llm_call, capabilities or Capabilities()
        )

    @property
    def author(self) -> str:
        return f"model:{self.settings.model}"

    async def aclose(self) -> None:
        await self.engine.aclose()

    def builder(self, record: SessionRecord) -> JobBuilder:
        return JobBuilder(
            record,
            self.library,
            self.playbook,
            pseudonymise=self.pseudonymise,
            counter=self.engine.counter,
            prompt_budget=self.settings.context_window - self.settings.max_output_tokens,
        )

    # Jobs ---------------------------------------------------------------------------

    def segmentation_jobs(
        self,
        session_id: str,
        stakeholder_ids: Sequence[str] | None = None,
        guidance: dict[str, str] | None = None,
    ) -> list[DraftJob]:
        record = self.store.load_session(session_id)
        builder = self.builder(record)
        people = _in_seat(record, stakeholder_ids)
        if not people:
            raise WorkshopError("There are no stakeholders to draft for; add some first.")
        guidance = guidance or {}
        return [builder.segmentation(p, guidance.get(p.id, "")) for p in people]

    def placement_jobs(
        self, session_id: str, stakeholder_ids: Sequence[str] | None = None, guidance: str = ""
    ) -> list[DraftJob]:
        """The quick pass: requests that place these people (everyone by default) at once."""
        record = self.store.load_session(session_id)
        people = _in_seat(record, stakeholder_ids)
        if not people:
            raise WorkshopError("There are no stakeholders to draft for; add some first.")
        builder = self.builder(record)
        return [
            job
            for start in range(0, len(people), BATCH)
            for job in builder.placement(people[start : start + BATCH], guidance)
        ]

    def question_jobs(
        self,
        session_id: str,
        segments: Sequence[Segment] | None = None,
        stakeholder_id: str | None = None,
    ) -> list[DraftJob]:
        record = self.store.load_session(session_id)
        builder = self.builder(record)
        if stakeholder_id:
            person = next((p for p in record.stakeholders if p.id == stakeholder_id), None)
            if person is None:
                raise WorkshopError(f"No stakeholder {stakeholder_id!r} in this session.")
            segment = _segment_of(builder, person.id) or Segment.PARTICIPANT
            return [builder.discussion_guide(segment, person)]
        return [builder.discussion_guide(s) for s in (segments or list(Segment))]

    def outcome_jobs(self, session_id: str) -> list[DraftJob]:
        return [self.builder(self.store.load_session(session_id)).outcomes()]

    def update_jobs(self, session_id: str, segment: str, period: str, facts: str) -> list[DraftJob]:
        """One job: the segment's impact update, written by the model from the facts."""
        record = self.store.load_session(session_id)
        return [self.builder(record).impact_update(Segment(segment), period, facts)]

    def preview(self, job: DraftJob) -> dict:
        """Exactly what would be sent for this job, and its size in tokens."""
        request = self.engine.request(job)
        return request | {
            "tokens": self.engine.count_tokens(request["messages"]),
            # Without the model's own encoding on this machine the count is cl100k's.
            "tokens_approximate": self.engine.counter.approximate,
        }

    # Running ------------------------------------------------------------------------

    async def run(
        self, kind: ItemKind, jobs: Sequence[DraftJob], on_progress: ProgressCallback | None = None
    ) -> DraftSummary:
        """Draft every job; each draft is stored the moment it is in."""
        summary = DraftSummary()
        existing = self._existing(kind, jobs)

        def keep(result: DraftResult) -> None:
            summary.add_usage(result)
            if result.error is not None or result.answer is None:
                message = result.error.message if result.error else "No answer."
                summary.failed.append((result.job.label, message))
                return
            summary.drafted.extend(self._store(kind, result, existing))

        await self.engine.draft_all(jobs, on_progress, keep)
        return summary

    async def place(
        self,
        jobs: Sequence[DraftJob],
        on_progress: ProgressCallback | None = None,
        details: bool = True,
    ) -> DraftSummary:
        """Place the room quickly, then (unless told not to) draft each person's details.

        Whoever the placement requests could not place gets a whole draft of their own.
        """
        from workshop.drafting.placing import RoomPlacement

        summary = DraftSummary()
        if not jobs:
            return summary
        placing = RoomPlacement(
            self.store, self.engine, self.builder, self.author, summary, on_progress
        )
        missing = await placing.run(jobs)
        session_id = jobs[0].session_id or ""
        names = {p.id: p.name for p in placing.people.values()}
        for person_id, error in placing.errors.items():
            summary.failed.append((names[person_id], error.message))
        missing = [i for i in missing if i not in placing.errors]
        if missing:
            whole = self.segmentation_jobs(session_id, missing)
            summary.merge(await self.run(ItemKind.SEGMENTATION, whole, on_progress))
        if details:
            people = [i for job in jobs for i in job.group]
            summary.merge(await self.add_details(session_id, people, on_progress))
        return summary

    def details_jobs(
        self, session_id: str, stakeholder_ids: Sequence[str] | None = None
    ) -> list[DraftJob]:
        """One engagement job for each placement draft that lacks the details."""
        from workshop.drafting.placing import needing_details

        record = self.store.load_session(session_id)
        people = {p.id: p for p in record.stakeholders}
        builder = self.builder(record)
        # By segment: one after another, the requests share the longest prompt prefix, which
        # a local server keeps from the last request instead of reading it again.
        found = needing_details(record, stakeholder_ids)
        found.sort(key=lambda i: str(i.body.get("segment")))
        return [builder.engagement(people[i.stakeholder_id or ""], i) for i in found]

    async def add_details(
        self,
        session_id: str,
        stakeholder_ids: Sequence[str] | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> DraftSummary:
        """Motivations, objections, approach and messages for placements that lack them."""
        return await self.detail(self.details_jobs(session_id, stakeholder_ids), on_progress)

    async def detail(
        self, jobs: Sequence[DraftJob], on_progress: ProgressCallback | None = None
    ) -> DraftSummary:
        """Run engagement jobs; each answer is merged into the person's placement draft."""
        from workshop.drafting.placing import needing_details

        summary = DraftSummary()
        if not jobs:
            return summary
        record = self.store.load_session(jobs[0].session_id or "")
        ids = [j.stakeholder_id or "" for j in jobs]
        placements = {i.stakeholder_id: i for i in needing_details(record, ids)}

        def keep(result: DraftResult) -> None:
            summary.add_usage(result)
            placement = placements.get(result.job.stakeholder_id)
            if result.error is not None or result.answer is None:
                message = result.error.message if result.error else "No answer."
                summary.failed.append((result.job.label, message))
                return
            if placement is None:  # a person approved or edited it since: theirs stands
                return
            body = placement.body | result.answer.model_dump(mode="json")
            item = self.store.redraft_item(placement.id, body, result.call_id, "details drafted")
            summary.detailed.append(item)

        await self.engine.draft_all(jobs, on_progress, keep)
        return summary

    async def complete(
        self,
        session_id: str,
        stakeholder_ids: Sequence[str],
        jobs: Sequence[DraftJob],
        on_progress: ProgressCallback | None = None,
    ) -> DraftSummary:
        """Run placement jobs for who has nothing yet, then the details everyone lacks."""
        summary = await self.place(jobs, on_progress) if jobs else DraftSummary()
        done = {i.stakeholder_id for i in summary.detailed}
        rest = [i for i in stakeholder_ids if i not in done]
        if rest:
            summary.merge(await self.add_details(session_id, rest, on_progress))
        return summary

    def _existing(self, kind: ItemKind, jobs: Sequence[DraftJob]) -> list[Item]:
        session_ids = {job.session_id for job in jobs if job.session_id}
        return [i for s in session_ids for i in self.store.load_session(s).items_of(kind)]

    def _store(self, kind: ItemKind, result: DraftResult, existing: list[Item]) -> list[Item]:
        job, answer = result.job, result.answer
        guidance = [f"guidance: {job.guidance}"] if job.guidance else []
        note = "; ".join([*job.notes, *guidance])
        if isinstance(answer, OutcomesDraft):
            return self._store_outcomes(job, answer, result.call_id, note)
        body = answer.model_dump(mode="json")
        current = _current(existing, kind, job.stakeholder_id, body.get("segment"))
        if current is not None:
            return [self.store.redraft_item(current.id, body, result.call_id, note)]
        item = self.store.create_item(
            job.session_id or "",
            kind,
            body,
            Origin.MODEL,
            self.author,
            stakeholder_id=job.stakeholder_id,
            llm_call_id=result.call_id,
            note=note,
        )
        return [item]

    def _store_outcomes(
        self, job: DraftJob, answer: OutcomesDraft, call_id: str | None, note: str
    ) -> list[Item]:
        # Untouched drafts from an earlier round make way; edited and approved ones stay.
        return self.store.replace_model_drafts(
            job.session_id or "",
            ItemKind.OUTCOME,
            [outcome.model_dump(mode="json") for outcome in answer.outcomes],
            self.author,
            llm_call_id=call_id,
            note=note,
        )


# Kinds drafted one per segment: a new draft replaces that segment's, not another's.
_BY_SEGMENT = (ItemKind.DISCUSSION_GUIDE, ItemKind.IMPACT_UPDATE)


def _current(
    existing: list[Item], kind: ItemKind, stakeholder_id: str | None, segment: str | None
) -> Item | None:
    """The item a new draft of the same thing should replace or sit beside."""
    candidates = [
        item
        for item in existing
        if item.status is not Status.REJECTED
        and item.stakeholder_id == stakeholder_id
        and (kind not in _BY_SEGMENT or stakeholder_id or item.segment == segment)
    ]
    untouched = [i for i in candidates if i.origin is Origin.MODEL and i.status is Status.DRAFT]
    pool = untouched or candidates
    return max(pool, key=lambda i: i.updated_at) if pool else None


def _in_seat(record: SessionRecord, stakeholder_ids: Sequence[str] | None) -> list[Stakeholder]:
    """These people (everyone by default), but not those who left their seat: nobody
    drafts for someone who is gone."""
    return [
        p
        for p in record.stakeholders
        if not p.has_left and (not stakeholder_ids or p.id in stakeholder_ids)
    ]


def _segment_of(builder: JobBuilder, stakeholder_id: str) -> Segment | None:
    for segment in Segment:
        if any(p.id == stakeholder_id for p in builder.people_in(segment)):
            return segment
    return None
