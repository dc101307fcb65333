"""Where a person sits on the influence × support map: the register's attributes, else the
estimate their placement draft carries, marked as estimated so nobody mistakes it for what
the room recorded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sessions import Influence, Stakeholder, Stance


@dataclass(frozen=True)
class Position:
    influence: Influence | None
    stance: Stance | None
    estimated: bool = False  # one of the two came from a model's placement, not the register

    @property
    def on_map(self) -> bool:
        return self.influence is not None and self.stance is not None


def position(person: Stakeholder, assignment: Mapping[str, Any] | None = None) -> Position:
    """The register wins; a gap is filled from the assignment's estimate, if it has one."""
    body = assignment or {}
    influence = person.influence or _member(Influence, body.get("influence"))
    stance = person.stance or _member(Stance, body.get("stance"))
    estimated = (influence is not person.influence) or (stance is not person.stance)
    return Position(influence, stance, estimated)


def _member(enum: type[Influence] | type[Stance], value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        return None
