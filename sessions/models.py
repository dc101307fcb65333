"""Domain records of a workshop session, validated with pydantic.

Inputs (what a person or a file gives) are separate from records (what the store
returns, with ids and timestamps), so that validation happens once, at the door.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .text import clean_line, clean_text

NAME_MAX = 200
TEXT_MAX = 20_000
LIST_MAX = 100


class Stage(StrEnum):
    BRIEF = "brief"
    STAKEHOLDERS = "stakeholders"
    SEGMENTATION = "segmentation"
    DISCUSSIONS = "discussions"
    OUTCOMES = "outcomes"
    PLAN = "plan"
    REVIEW = "review"
    EXPORT = "export"
    PROGRESS = "progress"  # between workshops: results, updates, seats


class Segment(StrEnum):
    INFLUENCER = "influencer"
    CHAMPION = "champion"
    DETRACTOR = "detractor"
    DECISION_MAKER = "decision_maker"
    PARTICIPANT = "participant"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"


class Origin(StrEnum):
    MODEL = "model"  # drafted by a model, untouched
    PERSON = "person"  # written by a person
    EDITED = "edited"  # drafted by a model, then edited by a person


class ItemKind(StrEnum):
    SEGMENTATION = "segmentation"
    DISCUSSION_GUIDE = "discussion_guide"
    ANSWERS = "answers"
    OUTCOME = "outcome"
    PLAN_ENTRY = "plan_entry"
    CADENCE = "cadence"
    IMPACT_UPDATE = "impact_update"


class Influence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Stance(StrEnum):
    SUPPORTIVE = "supportive"
    NEUTRAL = "neutral"
    RESISTANT = "resistant"


class Involvement(StrEnum):
    APPROVES = "approves"
    EXECUTES = "executes"
    ADVISES = "advises"
    NONE = "none"


def _nonempty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _at_most(limit: int) -> AfterValidator:
    # A plain validator rather than a schema constraint: the same types describe the
    # JSON we ask models for, and strict JSON-schema endpoints reject maxLength.
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"must be at most {limit:,} characters (got {len(value):,})")
        return value

    return AfterValidator(check)


# A name: one line, trimmed, never empty, bounded.
Name = Annotated[str, AfterValidator(clean_line), AfterValidator(_nonempty), _at_most(NAME_MAX)]
# A short optional label (role, team, organisation): one line, may be empty.
Label = Annotated[str, AfterValidator(clean_line), _at_most(NAME_MAX)]
# Free text (notes, answers, rationale): many lines, bounded.
Text = Annotated[str, AfterValidator(clean_text), AfterValidator(str.strip), _at_most(TEXT_MAX)]
LabelList = Annotated[list[Name], Field(max_length=LIST_MAX)]
TextList = Annotated[list[Text], Field(max_length=LIST_MAX)]


class Model(BaseModel):
    # Schemas are built on first use, not at import: start-up must not wait for all of them.
    model_config = ConfigDict(defer_build=True)


class Record(Model):
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, use_enum_values=False, defer_build=True
    )


class Brief(Record):
    """What the facilitator knows before the workshop starts."""

    title: Name
    organisation: Label = ""
    workshop_date: date | None = None
    facilitator: Label = ""
    participants: LabelList = []
    priorities: TextList = []
    marketing_today: Text = ""
    challenges: Text = ""


class StakeholderInput(Record):
    name: Name
    role: Label = ""
    team: Label = ""
    notes: Text = ""
    influence: Influence | None = None
    stance: Stance | None = None
    involvement: Involvement | None = None


class Stakeholder(StakeholderInput):
    id: str
    session_id: str
    position: int
    # Leadership changes: the day they left their seat; the name of whom they replace.
    left_on: date | None = None
    replaces: str = ""
    created_at: str
    updated_at: str

    @property
    def has_left(self) -> bool:
        return self.left_on is not None


class Session(Brief):
    id: str
    stage: Stage = Stage.BRIEF
    parent_id: str | None = None
    archived: bool = False
    created_at: str
    updated_at: str

    @property
    def brief(self) -> Brief:
        return Brief.model_validate(self.model_dump(include=set(Brief.model_fields)))


class SessionSummary(Model):
    """One row of the session list: enough for the home screen, nothing more."""

    id: str
    title: str
    organisation: str
    workshop_date: date | None
    stage: Stage
    archived: bool
    created_at: str
    updated_at: str
    stakeholders: int
    approved: int
    open: int


class Item(Record):
    """A drafted or written piece of the workshop: one assignment, guide, outcome…"""

    id: str
    session_id: str
    kind: ItemKind
    stakeholder_id: str | None = None
    segment: Segment | None = None
    status: Status
    origin: Origin
    body: dict[str, Any]
    version: int
    stale: bool = False
    approved_by: str | None = None
    approved_at: str | None = None
    approved_hash: str | None = None
    created_at: str
    updated_at: str


class Revision(Model):
    id: str
    item_id: str
    number: int
    body: dict[str, Any]
    status: Status
    origin: Origin
    author: str
    llm_call_id: str | None
    note: str
    created_at: str


class LlmCall(Model):
    """One request to a model, as recorded. There is deliberately no field for a key."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    session_id: str | None = None
    purpose: str
    model: str
    endpoint_host: str = ""
    template_id: str = ""
    template_hash: str = ""
    messages: list[dict[str, Any]] = []
    response: str = ""
    tokens_in: int | None = None
    tokens_out: int | None = None
    tokens_counted: int | None = None
    tokens_out_counted: int | None = None
    latency_ms: float | None = None
    first_token_ms: float | None = None
    status: str = "ok"
    error: str = ""


class Event(Model):
    id: str
    session_id: str
    kind: str
    detail: dict[str, Any]
    created_at: str


class StageTime(Model):
    """A stage's time box on the agenda, and the time really spent in it."""

    stage: Stage
    planned_minutes: int | None = None
    spent_seconds: float = 0.0


class Measurement(Model):
    """A value recorded for an approved outcome on a day, with where it came from."""

    id: str
    session_id: str
    outcome_id: str
    value: float
    measured_on: date
    source: str = ""
    note: str = ""
    recorded_by: str = ""
    created_at: str


class PlanStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in progress"
    DONE = "done"
    SLIPPED = "slipped"
    DROPPED = "dropped"


class PlanStatusChange(Model):
    """A plan entry's status from a day on, with why."""

    id: str
    session_id: str
    entry_id: str
    status: PlanStatus
    on_day: date
    note: str = ""
    recorded_by: str = ""
    created_at: str


class SearchHit(Model):
    session_id: str
    session_title: str
    where: str  # "session", "stakeholder" or an item kind
    snippet: str


class SessionRecord(Model):
    """A whole session as loaded: the brief, its people and its items."""

    session: Session
    stakeholders: list[Stakeholder]
    items: list[Item]

    def items_of(self, kind: ItemKind) -> list[Item]:
        return [item for item in self.items if item.kind == kind]
