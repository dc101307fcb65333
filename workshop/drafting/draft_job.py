"""What the drafting engine takes and gives: a job to draft, its progress as it goes, and
its result. Plain data, so screens and the CLI can use them without the engine's imports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from prompt_library import Template
from workshop.drafting.faults import DraftError


@dataclass
class DraftJob:
    """One request to make: a rendered template and the shape of the answer."""

    key: str  # what it is for: a stakeholder id, a segment, "outcomes"
    label: str  # how people know it: the stakeholder's name, the segment
    purpose: str
    template: Template
    variables: dict[str, str]
    answer_model: type[BaseModel]
    session_id: str | None = None
    stakeholder_id: str | None = None
    guidance: str = ""  # the facilitator's line for a regeneration, kept on the revision
    fixed: dict[str, Any] = field(default_factory=dict)  # fields decided by us, not the model
    restore: Callable[[str], str] | None = None  # maps pseudonyms back to names
    notes: list[str] = field(default_factory=list)
    # The longest answer this kind needs: a weak model's runaway answer stops here.
    max_tokens: int | None = None
    group: tuple[str, ...] = ()  # the stakeholders a job for several people places
    # A repair resends the whole answer: not worth it where the parts are asked again.
    repair: bool = True
    # A rule beyond the schema (figures nobody gave): what is wrong with an answer, or None.
    # A valid answer that breaks it is sent back once; if the fix is no better, it is kept,
    # for the room to see flagged, rather than lost.
    check: Callable[[BaseModel], str | None] | None = None
    # What the app does to an answer that still breaks the check after the repair (drops
    # the figures nobody gave); it may add to `notes`, which the stored revision carries.
    settle: Callable[[BaseModel], BaseModel] | None = None
    # For a classification, where any randomness is only a different answer next time.
    temperature: float | None = None


@dataclass
class Progress:
    key: str
    label: str
    state: str  # queued, sending, streaming, done, failed, cancelled
    partial: dict[str, Any] | None = None
    message: str = ""


@dataclass
class DraftResult:
    job: DraftJob
    answer: BaseModel | None = None
    error: DraftError | None = None
    call_id: str | None = None  # the call whose answer was kept
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    counted: int = 0  # calls whose figures are the app's own count (no usage reported)
    cost: float | None = None


ProgressCallback = Callable[[Progress], None]
