"""The method as data: the playbook's segment rules and outcome checks, without a model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prompt_library import Playbook, PromptLibrary, Suggestion, load_library
from sessions import (
    Item,
    ItemKind,
    Origin,
    Segment,
    SessionRecord,
    Stakeholder,
    Status,
)
from workshop.rules import draft_flags
from workshop.rules.outcome_checks import Finding, check_outcome
from workshop.rules.supplied import data_texts, supplied_figures

# Not one of the playbook's six rules: it needs the session, which check_outcome never sees.
FIGURES_RULE_ID, FIGURES_RULE_TITLE = "figures-supplied", "Figures come from the room"


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
        return self.playbook.suggest_segment(person.influence, person.stance, person.involvement)

    def suggestions(self, record: SessionRecord) -> dict[str, Suggestion]:
        """What the rules say about each person, where they say anything."""
        found = {p.id: self.suggestion(p) for p in record.stakeholders}
        return {person_id: s for person_id, s in found.items() if s is not None}

    def outcome_findings(
        self, item: Item, flags: Mapping[str, draft_flags.DraftFlag] | None = None
    ) -> list[Finding]:
        """The outcome checks; given the session's `draft_flags`, also figures nobody gave."""
        findings = check_outcome(item.body, self.playbook)
        flag = (flags or {}).get(item.id)
        if flag is not None:
            findings.append(
                Finding(
                    FIGURES_RULE_ID, False, flag.message, FIGURES_RULE_TITLE, "figure nobody gave"
                )
            )
        return findings

    def draft_flags(self, record: SessionRecord) -> dict[str, draft_flags.DraftFlag]:
        """{item id: why the room must look at it}, for model drafts not yet edited or approved.

        A placement that may follow an instruction found inside the data; an outcome whose
        baseline or target holds a figure nobody supplied.
        """
        flags: dict[str, draft_flags.DraftFlag] = {}
        instructions = draft_flags.instructions_in(data_texts(record))
        names = {p.id: p.name for p in record.stakeholders}
        segment_names = {s.id: s.name for s in self.playbook.segments}
        supplied: set[float] | None = None
        for item in record.items:
            if item.origin is not Origin.MODEL or item.status is not Status.DRAFT:
                continue  # edited or approved: a person has vouched for it
            if item.kind is ItemKind.SEGMENTATION and instructions:
                segment = str(item.body.get("segment") or "")
                flag = draft_flags.injection_flag(
                    names.get(item.stakeholder_id or "", ""),
                    segment,
                    segment_names.get(segment, ""),
                    instructions,
                )
                if flag is not None:
                    flags[item.id] = flag
            elif item.kind is ItemKind.OUTCOME:
                if supplied is None:
                    supplied = supplied_figures(record)
                invented = draft_flags.invented_figures(item.body, supplied)
                if invented:
                    flags[item.id] = draft_flags.invented_figures_flag(invented)
        return flags

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
