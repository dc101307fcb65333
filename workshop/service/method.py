"""The method as data: the playbook's segment rules and outcome checks, without a model."""

from __future__ import annotations

from typing import Any

from prompt_library import Playbook, PromptLibrary, Suggestion, load_library
from sessions import Item, Segment, SessionRecord, Stakeholder
from workshop.rules.outcome_checks import Finding, check_outcome


class MethodOps:
    """`service.method`: the playbook and prompt library, loaded once, on first use."""

    def __init__(self) -> None:
        self._playbook: Playbook | None = None
        self._library: PromptLibrary | None = None

    @property
    def library(self) -> PromptLibrary:
        if self._library is None:
            self._library = load_library()
        return self._library

    @property
    def playbook(self) -> Playbook:
        if self._playbook is None:
            self._playbook = self.library.playbook()
        return self._playbook

    def suggestion(self, person: Stakeholder) -> Suggestion | None:
        """What the playbook's attribute rules say about one person (None: nothing)."""
        return self.playbook.suggest_segment(
            person.influence.value if person.influence else None,
            person.stance.value if person.stance else None,
            person.involvement.value if person.involvement else None,
        )

    def suggestions(self, record: SessionRecord) -> dict[str, Suggestion]:
        """What the rules say about each person, where they say anything."""
        found = {p.id: self.suggestion(p) for p in record.stakeholders}
        return {person_id: s for person_id, s in found.items() if s is not None}

    def outcome_findings(self, item: Item) -> list[Finding]:
        return check_outcome(item.body, self.playbook)

    def check_outcome(self, body: dict[str, Any]) -> list[Finding]:
        """The outcome checks on a statement still being typed (no item needed)."""
        return check_outcome(body, self.playbook)

    def people_by_segment(self, record: SessionRecord) -> dict[Segment, list[Stakeholder]]:
        """Who sits in each segment: by the approved assignment, else the newest draft.

        The same rule the discussion-guide prompts use (JobBuilder.people_in).
        """
        from workshop.drafting.jobs import JobBuilder  # no openai or tiktoken behind it

        builder = JobBuilder(record, self.library, self.playbook)
        return {segment: builder.people_in(segment) for segment in Segment}
