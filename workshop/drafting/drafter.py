"""Drafting for a session: build jobs, run the engine, store what comes back.

The one place where the engine meets the store. Human work is never overwritten: the
store's redraft replaces only untouched model drafts and puts anything else beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from prompt_library import PromptLibrary, load_library
from sessions import Item, ItemKind, Origin, Segment, SessionRecord, SessionStore, Status
from workshop.drafting.capabilities import Capabilities
from workshop.drafting.config import ModelSettings
from workshop.drafting.engine import DraftingEngine, DraftJob, DraftResult, ProgressCallback
from workshop.drafting.jobs import JobBuilder, OutcomesDraft
from workshop.drafting.tokens import counted_note
from workshop.errors import WorkshopError


@dataclass
class DraftSummary:
    """What a round of drafting did, for the CLI's last line and the TUI's status bar."""

    drafted: list[Item] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (label, message)
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    counted: int = 0
    cost: float | None = None

    def tokens(self) -> str:
        """'1,234 in, 56 out', with a word when the app counted them itself."""
        return f"{self.tokens_in:,} in, {self.tokens_out:,} out" + counted_note(
            self.counted, self.calls
        )

    def add_usage(self, result: DraftResult) -> None:
        self.tokens_in += result.tokens_in
        self.tokens_out += result.tokens_out
        self.calls += result.calls
        self.counted += result.counted
        if result.cost is not None:
            self.cost = (self.cost or 0.0) + result.cost


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
        people = [p for p in record.stakeholders if not stakeholder_ids or p.id in stakeholder_ids]
        if not people:
            raise WorkshopError("There are no stakeholders to draft for; add some first.")
        guidance = guidance or {}
        return [builder.segmentation(p, guidance.get(p.id, "")) for p in people]

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

    def _existing(self, kind: ItemKind, jobs: Sequence[DraftJob]) -> list[Item]:
        session_ids = {job.session_id for job in jobs if job.session_id}
        return [i for s in session_ids for i in self.store.load_session(s).items_of(kind)]

    def _store(self, kind: ItemKind, result: DraftResult, existing: list[Item]) -> list[Item]:
        job, answer = result.job, result.answer
        guidance = [f"guidance: {job.guidance}"] if job.guidance else []
        note = "; ".join([*job.notes, *guidance])
        if isinstance(answer, OutcomesDraft):
            return self._store_outcomes(job, answer, result.call_id, note, existing)
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
        self,
        job: DraftJob,
        answer: OutcomesDraft,
        call_id: str | None,
        note: str,
        existing: list[Item],
    ) -> list[Item]:
        session_id = job.session_id or ""
        # Untouched drafts from an earlier round make way; edited and approved ones stay.
        for old in existing:
            if old.origin is Origin.MODEL and old.status is Status.DRAFT:
                self.store.reject_item(old.id, self.author, "superseded by a newer draft")
        return [
            self.store.create_item(
                session_id,
                ItemKind.OUTCOME,
                outcome.model_dump(mode="json"),
                Origin.MODEL,
                self.author,
                llm_call_id=call_id,
                note=note,
            )
            for outcome in answer.outcomes
        ]


def _current(
    existing: list[Item], kind: ItemKind, stakeholder_id: str | None, segment: str | None
) -> Item | None:
    """The item a new draft of the same thing should replace or sit beside."""
    candidates = [
        item
        for item in existing
        if item.status is not Status.REJECTED
        and item.stakeholder_id == stakeholder_id
        and (kind is not ItemKind.DISCUSSION_GUIDE or stakeholder_id or item.segment == segment)
    ]
    untouched = [i for i in candidates if i.origin is Origin.MODEL and i.status is Status.DRAFT]
    pool = untouched or candidates
    return max(pool, key=lambda i: i.updated_at) if pool else None


def _segment_of(builder: JobBuilder, stakeholder_id: str) -> Segment | None:
    for segment in Segment:
        if any(p.id == stakeholder_id for p in builder.people_in(segment)):
            return segment
    return None
