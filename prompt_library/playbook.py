"""Playbooks: the segments, discussion topics, outcome rules and attribute rules, as TOML.

The segment ids and the six outcome rule ids are fixed because the rest of the app
(the board's columns, the outcome checks) is keyed on them; everything else — the
words, the topics, the order of the attribute rules — is the organisation's to adapt.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import NESTED_TOO_DEEP, PlaybookError
from .templates import ID_PATTERN, Source, one_line_errors

SegmentId = Literal["influencer", "champion", "detractor", "decision_maker", "participant"]
Influence = Literal["high", "medium", "low"]
Stance = Literal["supportive", "neutral", "resistant"]
Involvement = Literal["approves", "executes", "advises", "none"]

SEGMENT_IDS: tuple[str, ...] = (
    "influencer",
    "champion",
    "detractor",
    "decision_maker",
    "participant",
)
OUTCOME_RULE_IDS: tuple[str, ...] = (
    "metric",
    "baseline",
    "target",
    "due_date",
    "owner",
    "result_not_activity",
)
ATTRIBUTE_VALUES: dict[str, tuple[str, ...]] = {
    "influence": ("high", "medium", "low"),
    "stance": ("supportive", "neutral", "resistant"),
    "involvement": ("approves", "executes", "advises", "none"),
}

# Keys the loader fills in; a file that sets them would be claiming its own hash.
_LOADER_FIELDS = ("content_hash", "path", "source")

NonEmpty = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Segment(_Model):
    id: SegmentId
    name: NonEmpty
    definition: NonEmpty
    needs: NonEmpty = Field(description="What they need from marketing.")
    approach: NonEmpty = Field(description="How marketing should engage them.")
    # What an impact update for this segment speaks of: the terms it cares about.
    update_terms: str = ""
    # Short sketches of typical members: small models place people far better when they
    # can match a person against an example than against a definition alone.
    examples: list[NonEmpty] = []


class Topic(_Model):
    id: str = Field(pattern=ID_PATTERN.pattern)
    title: NonEmpty
    guidance: NonEmpty


class OutcomeRule(_Model):
    id: str = Field(pattern=ID_PATTERN.pattern)
    title: NonEmpty
    description: NonEmpty


class When(_Model):
    """Conditions of an attribute rule; a condition left out matches anything."""

    influence: list[Influence] | None = None
    stance: list[Stance] | None = None
    involvement: list[Involvement] | None = None

    @field_validator("influence", "stance", "involvement", mode="before")
    @classmethod
    def _one_value_is_a_list(cls, value: object) -> object:
        # `stance = "resistant"` reads more naturally in TOML than a one-item list.
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _not_empty(self) -> When:
        conditions = (self.influence, self.stance, self.involvement)
        if all(c is None for c in conditions):
            raise ValueError("needs at least one of influence, stance, involvement")
        if any(c is not None and not c for c in conditions):
            raise ValueError("a condition must list at least one value")
        return self


class AttributeRule(_Model):
    id: str = Field(pattern=ID_PATTERN.pattern)
    segment: SegmentId
    when: When
    reason: NonEmpty

    def matches(self, attributes: dict[str, str | None]) -> bool:
        for name in ("influence", "stance", "involvement"):
            allowed = getattr(self.when, name)
            # A missing attribute cannot satisfy a rule that asks about it.
            if allowed is not None and attributes.get(name) not in allowed:
                return False
        return True


class Suggestion(_Model):
    segment_id: SegmentId
    rule_id: str
    reason: str


class Playbook(_Model):
    id: str = Field(pattern=ID_PATTERN.pattern)
    version: int = Field(ge=1, strict=True)
    description: NonEmpty
    segments: list[Segment]
    topics: list[Topic] = Field(min_length=1)
    outcome_rules: list[OutcomeRule]
    attribute_rules: list[AttributeRule] = []
    content_hash: str = ""
    path: Path | None = None
    source: Source = "shipped"

    @model_validator(mode="after")
    def _check_ids(self) -> Playbook:
        segment_ids = [s.id for s in self.segments]
        _no_duplicates("segment", segment_ids)
        missing = [s for s in SEGMENT_IDS if s not in segment_ids]
        if missing:
            raise ValueError(f"segments missing: {', '.join(missing)}")
        _no_duplicates("topic", [t.id for t in self.topics])
        rule_ids = [r.id for r in self.outcome_rules]
        _no_duplicates("outcome rule", rule_ids)
        missing = [r for r in OUTCOME_RULE_IDS if r not in rule_ids]
        if missing:
            raise ValueError(f"outcome rules missing: {', '.join(missing)}")
        _no_duplicates("attribute rule", [r.id for r in self.attribute_rules])
        return self

    def segment(self, segment_id: str) -> Segment:
        for segment in self.segments:
            if segment.id == segment_id:
                return segment
        raise KeyError(f"no segment {segment_id!r}; segments: {', '.join(SEGMENT_IDS)}")

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        known = ", ".join(t.id for t in self.topics)
        raise KeyError(f"no topic {topic_id!r}; topics: {known}")

    def outcome_rule(self, rule_id: str) -> OutcomeRule:
        for rule in self.outcome_rules:
            if rule.id == rule_id:
                return rule
        known = ", ".join(r.id for r in self.outcome_rules)
        raise KeyError(f"no outcome rule {rule_id!r}; rules: {known}")

    def suggest_segment(
        self,
        influence: str | None = None,
        stance: str | None = None,
        involvement: str | None = None,
    ) -> Suggestion | None:
        """The segment the first matching attribute rule suggests, or None.

        Accepts enum members or strings in any case; an unknown value is a ValueError
        because it means the caller and the playbook disagree on the vocabulary.
        """
        attributes = {
            "influence": _normalise("influence", influence),
            "stance": _normalise("stance", stance),
            "involvement": _normalise("involvement", involvement),
        }
        for rule in self.attribute_rules:
            if rule.matches(attributes):
                return Suggestion(segment_id=rule.segment, rule_id=rule.id, reason=rule.reason)
        return None

    # The texts below fill the templates' playbook variables, so every caller describes
    # the playbook to the model in the same words.

    def segments_text(self) -> str:
        return "\n\n".join(
            f"- {s.id} ({s.name}): {s.definition}\n"
            f"  Needs from marketing: {s.needs}\n"
            f"  How to engage: {s.approach}"
            + "".join(f"\n  Typical: {example}" for example in s.examples)
            for s in self.segments
        )

    def attribute_rules_text(self) -> str:
        """The attribute rules as evidence a reader can weigh, strongest first."""
        lines = []
        for rule in self.attribute_rules:
            when = " and ".join(
                f"{name} is {' or '.join(values)}"
                for name in ("influence", "stance", "involvement")
                if (values := getattr(rule.when, name))
            )
            lines.append(f"- when {when}: {rule.segment}. {rule.reason}")
        return "\n".join(lines) or "(none)"

    def segments_outline(self) -> str:
        """The segments in a line or two each: for prompts that place many people at once,
        where a small model does better with less to read."""
        return "\n".join(f"- {s.id} ({s.name}): {s.definition}" for s in self.segments)

    def topics_text(self) -> str:
        return "\n".join(f"- {t.id} ({t.title}): {t.guidance}" for t in self.topics)

    def outcome_rules_text(self) -> str:
        return "\n".join(f"- {r.id} ({r.title}): {r.description}" for r in self.outcome_rules)


def _no_duplicates(kind: str, ids: list[str]) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{kind} ids listed twice: {', '.join(duplicates)}")


def _normalise(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if text not in ATTRIBUTE_VALUES[name]:
        allowed = ", ".join(ATTRIBUTE_VALUES[name])
        raise ValueError(f"{name} {value!r} is not one of: {allowed}")
    return text


def load_playbook(path: Path, source: Source = "shipped") -> Playbook:
    """Read and validate one playbook file; raise `PlaybookError` naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlaybookError(path, f"cannot read: {exc.strerror or exc}") from exc
    return parse_playbook(raw, path, source)


def parse_playbook(raw: bytes, path: Path, source: Source = "shipped") -> Playbook:
    try:
        data = tomllib.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as exc:
        raise PlaybookError(path, f"not valid UTF-8 (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PlaybookError(path, f"not valid TOML: {exc}") from exc
    except RecursionError:
        raise PlaybookError(path, NESTED_TOO_DEEP) from None
    reserved = [key for key in _LOADER_FIELDS if key in data]
    if reserved:
        raise PlaybookError(path, f"keys set by the loader, not the file: {', '.join(reserved)}")
    data.update(content_hash=hashlib.sha256(raw).hexdigest(), path=path, source=source)
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as exc:
        raise PlaybookError(path, one_line_errors(exc)) from exc
    if playbook.id != path.stem:
        raise PlaybookError(path, f"id {playbook.id!r} must equal the file name {path.stem!r}")
    return playbook
