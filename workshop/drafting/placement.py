"""The quick placement of a whole room: what the model is asked for, and reading its answer
as it streams, so that each person's card can move the moment their entry is complete.

One request places up to a batch of people (segment, one-line rationale, confidence, and
an estimate of influence and stance); the engagement details follow per person. Seeing
the room at once lets the model judge people against each other, and on a local model it
is one prompt and a short answer each instead of a long draft each.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sessions import Influence, Segment, Stakeholder, Stance
from sessions.models import Name, Text, TextList
from workshop.drafting.normalise import normalise
from workshop.drafting.partial import map_strings

# People per request. Ten entries are about 700 tokens of answer: short enough for a small
# model to keep its place in the list, and for the answer to fit a 4,096-token context
# beside the prompt.
BATCH = 5
TOKENS_PER_ENTRY = 120  # an entry is about 60 tokens of JSON; a small model's run longer
DETAIL_TOKENS = 600  # motivations, objections, approach and messages for one person


class Placement(BaseModel):
    """One person's place, as the model sends it."""

    model_config = ConfigDict(extra="forbid")

    # In this order on purpose (bench/real_model.py, the 1.5B model, 20 labelled people):
    # writing the evidence before the segment places far better than justifying a segment
    # already chosen; and the estimates come after the segment, because a model that has
    # just written "supportive" then picks champion for a CEO who approves the plan
    # (agreement 14-15 of 20 with the estimates first, 17-18 with them last). The prompt's
    # own list still names the estimates before the segment: the schema decides the order
    # of the answer, and that pairing measured best (18 of 20 against 17).
    name: Name = Field(description="The stakeholder's name exactly as given.")
    rationale: Text = Field(description="One sentence on the evidence.")
    segment: Segment
    confidence: Literal["low", "medium", "high"]
    influence: Influence | None = Field(description="Their weight in the company, or null.")
    stance: Stance | None = Field(description="Their stance towards marketing, or null.")


class PlacementsDraft(BaseModel):
    """What the placement prompt returns: an entry per person."""

    model_config = ConfigDict(extra="forbid")

    placements: list[Placement] = Field(max_length=BATCH * 5)

    @field_validator("placements", mode="before")
    @classmethod
    def _drop_what_does_not_fit(cls, value: Any) -> Any:
        # One bad entry must not cost the whole room: its person is asked again instead.
        if not isinstance(value, list):
            return value
        return [entry for entry in value if fits(entry) is not None]


class EngagementDetails(BaseModel):
    """What the engagement prompt returns for one person already placed."""

    model_config = ConfigDict(extra="forbid")

    motivations: TextList = Field(description="What is in it for them.")
    objections: TextList = Field(description="What they are likely to object.")
    approach: Text = Field(description="How marketing should engage them.")
    messages: TextList = Field(description="Key messages for them.")


def fits(entry: Any) -> Placement | None:
    """The entry as a Placement, or None if it is not one (even after safe fixes)."""
    try:
        return Placement.model_validate(normalise(entry, _placement_schema()))
    except ValidationError:
        return None


@functools.cache
def _placement_schema() -> dict[str, Any]:
    # Built once: entries are checked one by one as the answer streams.
    from workshop.drafting.engine import answer_schema

    return answer_schema(Placement)


def placement_body(placement: Placement, person: Stakeholder) -> dict[str, Any]:
    """A segmentation body that places the person and leaves the details to come.

    The estimates are kept only where the register records nothing: the register wins.
    """
    return {
        "segment": placement.segment.value,
        "rationale": placement.rationale,
        "motivations": [],
        "objections": [],
        "approach": "",
        "messages": [],
        "confidence": placement.confidence,
        "influence": None if person.influence else value_of(placement.influence),
        "stance": None if person.stance else value_of(placement.stance),
    }


def value_of(member: Enum | None) -> str | None:
    """An enum member's value, or None for no member."""
    return member.value if member is not None else None


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class PlacementReader:
    """Reads one placement request's answer as it streams.

    An entry is finished once the next one has begun (or the answer has ended); each
    finished entry is handed out once, matched to a person of the batch by name.
    """

    def __init__(
        self, people: Iterable[Stakeholder], restore: Callable[[str], str] | None = None
    ) -> None:
        self.people = {name_key(p.name): p for p in people}
        self.restore = restore
        self.placed: dict[str, Placement] = {}  # stakeholder id → placement
        self._read = 0

    def finished(self, partial: dict[str, Any] | None) -> list[tuple[Stakeholder, Placement]]:
        """The entries finished since the last call, from a partial answer."""
        entries = _entries(partial)
        return self._take(entries[self._read : max(self._read, len(entries) - 1)])

    def final(self, answer: PlacementsDraft | None) -> list[tuple[Stakeholder, Placement]]:
        """What the whole answer adds to what streaming already handed out."""
        if answer is None:
            return []
        return self._take(answer.placements, validated=True)

    def in_progress(self, partial: dict[str, Any] | None) -> tuple[Stakeholder, dict] | None:
        """The person whose entry is streaming now, and what of it has arrived."""
        entries = _entries(partial)
        if not entries or not isinstance(entries[-1], dict):
            return None
        name = str(entries[-1].get("name") or "")
        person = self._person(self.restore(name) if self.restore else name)
        if person is None or person.id in self.placed:
            return None
        return person, entries[-1]

    def missing(self) -> list[Stakeholder]:
        return [p for p in self.people.values() if p.id not in self.placed]

    def _take(self, entries: list[Any], validated: bool = False) -> list[tuple]:
        if not validated:
            self._read += len(entries)
        out = []
        for entry in entries:
            if not validated and self.restore is not None:
                entry = map_strings(entry, self.restore)  # the final answer comes restored
            placement = entry if validated else fits(entry)
            if placement is None:
                continue
            person = self._person(placement.name)
            if person is not None and person.id not in self.placed:
                self.placed[person.id] = placement
                out.append((person, placement))
        return out

    def _person(self, name: str) -> Stakeholder | None:
        return self.people.get(name_key(name))


def _entries(partial: dict[str, Any] | None) -> list[Any]:
    entries = (partial or {}).get("placements")
    return entries if isinstance(entries, list) else []
