"""The body of each kind of item, as a pydantic model.

The same models are the JSON the drafting engine asks a model for, so they avoid
schema features that strict JSON-schema endpoints reject (defaults are fine; length
limits live in validators, not in the schema).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

from .models import Influence, ItemKind, Label, LabelList, Name, Segment, Stance, Text, TextList


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class SegmentationBody(Body):
    """One stakeholder's place among the segments, and how to engage them."""

    segment: Segment
    rationale: Text
    motivations: TextList = Field(description="What is in it for them.")
    objections: TextList = Field(description="What they are likely to object.")
    approach: Text = Field(description="How marketing should engage them.")
    messages: TextList = Field(description="Key messages for them.")
    confidence: Literal["low", "medium", "high"]
    # The model's reading of the person where the register records none, so that the
    # influence map fills before anyone has typed them; the register always wins.
    influence: Influence | None = Field(
        default=None, description="Their influence as you judge it, or null."
    )
    stance: Stance | None = Field(
        default=None, description="Their stance towards marketing as you judge it, or null."
    )

    @model_serializer(mode="wrap")
    def _without_absent_estimates(self, handler: Any) -> dict[str, Any]:
        # Bodies stored before the estimates existed must read back unchanged: their
        # approval hashes are over exactly those keys.
        data = handler(self)
        for name in ("influence", "stance"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


ENGAGEMENT_FIELDS = ("motivations", "objections", "approach", "messages")


def has_engagement_details(body: dict[str, Any]) -> bool:
    """Whether a placement carries how to engage the person, or only where they sit."""
    return any(body.get(name) for name in ENGAGEMENT_FIELDS)


class Question(Body):
    topic: Label = Field(description="The playbook discussion topic id it covers.")
    text: Text


class DiscussionGuideBody(Body):
    segment: Segment
    questions: list[Question] = Field(max_length=50)


class Answer(Body):
    question: Text
    answer: Text


class AnswersBody(Body):
    """What one stakeholder said in the discussion, captured live."""

    entries: list[Answer] = Field(max_length=200)


class OutcomeBody(Body):
    """A measurable result marketing owns. None means "nobody in the room said"."""

    result: Text
    metric: Text
    baseline: Text | None = Field(description="Null when nobody gave one; never invent.")
    target: Text | None = Field(description="Null when nobody gave one; never invent.")
    due: Text | None = Field(description="A date or time frame, or null when unknown.")
    owner: Label
    priority: Text = Field(description="The business priority it serves.")
    stakeholders: LabelList = Field(description="Names of the stakeholders invested in it.")
    leading_indicators: TextList


class PlanEntryBody(Body):
    """One entry of the 90-day campaign calendar."""

    title: Name
    starts: date | None = None
    ends: date | None = None
    channel: Label = ""
    outcome_id: str | None = None
    description: Text = ""

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> PlanEntryBody:
        if self.starts and self.ends and self.ends < self.starts:
            raise ValueError(
                f"ends ({self.ends.isoformat()}) is before starts ({self.starts.isoformat()})"
            )
        return self


class CadenceBody(Body):
    """How and how often one segment hears about marketing's impact."""

    segment: Segment
    report: Text
    frequency: Label


class ImpactUpdateBody(Body):
    """What one segment hears of marketing's impact for a period, in its own terms."""

    segment: Segment
    period: Label = Field(description="What the update covers, such as 'September 2026'.")
    headline: Name
    text: Text = Field(description="The update itself, Markdown, ready to send.")


BODY_MODELS: dict[ItemKind, type[Body]] = {
    ItemKind.SEGMENTATION: SegmentationBody,
    ItemKind.DISCUSSION_GUIDE: DiscussionGuideBody,
    ItemKind.ANSWERS: AnswersBody,
    ItemKind.OUTCOME: OutcomeBody,
    ItemKind.PLAN_ENTRY: PlanEntryBody,
    ItemKind.CADENCE: CadenceBody,
    ItemKind.IMPACT_UPDATE: ImpactUpdateBody,
}


def validate_body(kind: ItemKind, body: dict[str, Any] | Body) -> dict[str, Any]:
    """Validate a body for its kind and return it as plain JSON-ready data."""
    model = BODY_MODELS[kind]
    if isinstance(body, Body):
        body = body.model_dump(mode="json")
    return model.model_validate(body).model_dump(mode="json")


def canonical_json(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def body_hash(body: dict[str, Any]) -> str:
    """The hash an approval records: of the canonical JSON, so key order never matters."""
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def body_text(body: dict[str, Any]) -> str:
    """All the words of a body, for full-text search."""
    words: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            words.append(value)
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(body)
    return "\n".join(words)
