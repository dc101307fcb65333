"""The service's model side: settings, drafters, usage; and the playbook's rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prompt_library import Playbook, PromptLibrary, Suggestion, load_library
from sessions import (
    Item,
    Segment,
    SessionRecord,
    SessionStore,
    Stakeholder,
)
from workshop.drafting.config import ModelSettings, no_model_message, resolve_settings
from workshop.drafting.faults import NoModelError
from workshop.rules.outcome_checks import Finding, check_outcome


@dataclass(frozen=True)
class Usage:
    calls: int
    failed: int
    tokens_in: int
    tokens_out: int
    tokens_counted: int
    cost: float | None = None


class DraftingOps:
    """Drafting and playbook operations of WorkshopService (needs `self.store`)."""

    store: SessionStore

    # Drafting ---------------------------------------------------------------------

    def model_settings(
        self, profile: str | None = None, model: str | None = None, base_url: str | None = None
    ) -> ModelSettings | None:
        """The model to draft with, or None when none is configured."""
        return resolve_settings(profile, model, base_url)

    def drafter(
        self,
        profile: str | None = None,
        model: str | None = None,
        base_url: str | None = None,
        pseudonymise: bool = False,
    ):
        """A Drafter bound to this store; NoModelError says how to connect one if none is set."""
        settings = self.model_settings(profile, model, base_url)
        if settings is None:
            raise NoModelError(no_model_message())
        from workshop.drafting.drafter import Drafter  # the engine pulls in tiktoken and openai

        return Drafter(self.store, settings, pseudonymise=pseudonymise)

    def record_llm_call(self, call) -> str:
        return self.store.record_llm_call(call)

    def usage(self, session_id: str, settings: ModelSettings | None = None) -> Usage:
        """Tokens so far, and their estimated cost at the given model's prices."""
        totals = self.store.usage(session_id)
        cost = None
        if settings is not None:
            from workshop.drafting.tokens import estimate_cost

            cost = estimate_cost(
                totals["tokens_in"], totals["tokens_out"], settings.price_in, settings.price_out
            )
        return Usage(**totals, cost=cost)

    # The playbook without a model ---------------------------------------------------

    @property
    def playbook(self) -> Playbook:
        if self._playbook is None:
            self._playbook = load_library().playbook()
        return self._playbook

    def rule_suggestions(self, record: SessionRecord) -> dict[str, Suggestion]:
        """What the playbook's attribute rules say about each person, where they say anything."""
        suggestions = {}
        for person in record.stakeholders:
            suggestion = self.playbook.suggest_segment(
                person.influence.value if person.influence else None,
                person.stance.value if person.stance else None,
                person.involvement.value if person.involvement else None,
            )
            if suggestion is not None:
                suggestions[person.id] = suggestion
        return suggestions

    def rule_suggestion(self, person: Stakeholder) -> Suggestion | None:
        """What the playbook's attribute rules say about one person (None: nothing)."""
        return self.playbook.suggest_segment(
            person.influence.value if person.influence else None,
            person.stance.value if person.stance else None,
            person.involvement.value if person.involvement else None,
        )

    def outcome_findings(self, item: Item) -> list[Finding]:
        return check_outcome(item.body, self.playbook)

    def check_outcome_body(self, body: dict[str, Any]) -> list[Finding]:
        """The outcome checks on a statement still being typed (no item needed)."""
        return check_outcome(body, self.playbook)

    @property
    def library(self) -> PromptLibrary:
        if getattr(self, "_library", None) is None:
            self._library = load_library()
        return self._library

    def people_by_segment(self, record: SessionRecord) -> dict[Segment, list[Stakeholder]]:
        """Who sits in each segment: by the approved assignment, else the newest draft.

        The same rule the discussion-guide prompts use (JobBuilder.people_in).
        """
        from workshop.drafting.jobs import JobBuilder  # no openai or tiktoken behind it

        builder = JobBuilder(record, self.library, self.playbook)
        return {segment: builder.people_in(segment) for segment in Segment}
