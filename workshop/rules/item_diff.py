"""What changed between two revisions of an item's body, as readable lines.

A body is turned into field-by-field text (one line per line of each field, list entries
marked with a bullet, unknown values said plainly), and the two texts are compared with
difflib. Pure: no Textual, no Rich; the screen colours the lines by their tag.

    - baseline: 18%
    + baseline: 20%
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Tag = Literal["+", "-", " ", "@"]  # added, removed, unchanged, a gap between hunks
NOT_GIVEN = "(not given)"
EMPTY = "(empty)"
NONE_LISTED = "(none)"
BULLET = "•"


@dataclass(frozen=True)
class DiffLine:
    tag: Tag
    text: str

    def __str__(self) -> str:
        return f"{self.tag} {self.text}"


def field_label(key: str) -> str:
    """A body key as people read it: 'leading_indicators' → 'leading indicators'."""
    return key.replace("_", " ")


def ordered_keys(keys: Iterable[str], order: Sequence[str] = ()) -> list[str]:
    """Keys in the given order (a body model's field order), then any others sorted."""
    present = list(dict.fromkeys(keys))
    first = [k for k in order if k in present]
    return first + sorted(k for k in present if k not in first)


def body_lines(body: dict[str, Any] | None, order: Sequence[str] = ()) -> list[str]:
    """A body as lines of text, one field (or one line of a field) per line.

    Stored bodies come back with their keys sorted; `order` (the body model's field
    order) puts them back in the order people read them: result before metric."""
    if not body:
        return []
    lines: list[str] = []
    for key in ordered_keys(body, order):
        lines += _value_lines(field_label(str(key)), body[key])
    return lines


def _value_lines(label: str, value: Any) -> list[str]:
    if isinstance(value, dict):
        lines: list[str] = []
        for key, inner in value.items():
            lines += _value_lines(f"{label} {field_label(str(key))}", inner)
        return lines or [f"{label}: {EMPTY}"]
    if isinstance(value, list):
        if not value:
            return [f"{label}: {NONE_LISTED}"]
        lines = []
        for entry in value:
            lines += _entry_lines(label, entry)
        return lines
    return _scalar_lines(f"{label}:", value)


def _entry_lines(label: str, entry: Any) -> list[str]:
    """One list entry: its first line carries the bullet, so an inserted entry diffs alone."""
    if isinstance(entry, dict):
        lines: list[str] = []
        for n, (key, inner) in enumerate(entry.items()):
            mark = BULLET if n == 0 else " "
            if isinstance(inner, (dict, list)):
                inner_lines = _value_lines(field_label(str(key)), inner)
                lines += [f"{label} {mark} {line}" for line in inner_lines]
            else:
                lines += _scalar_lines(f"{label} {mark} {field_label(str(key))}:", inner)
        return lines or [f"{label} {BULLET} {EMPTY}"]
    if isinstance(entry, list):
        return [f"{label} {BULLET} {_scalar(entry)}"]
    return _scalar_lines(f"{label} {BULLET}", entry)


def _scalar_lines(prefix: str, value: Any) -> list[str]:
    text = _scalar(value)
    parts = text.splitlines() or [EMPTY]
    return [f"{prefix} {part}".rstrip() for part in parts]


def _scalar(value: Any) -> str:
    if value is None:
        return NOT_GIVEN
    if isinstance(value, str):
        return value if value.strip() else EMPTY
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def changed_fields(
    old: dict[str, Any] | None, new: dict[str, Any] | None, order: Sequence[str] = ()
) -> list[str]:
    """The top-level fields whose values differ (added and removed ones too)."""
    old, new = old or {}, new or {}
    keys = ordered_keys([*new, *old], order)
    return [field_label(k) for k in keys if old.get(k, _MISSING) != new.get(k, _MISSING)]


_MISSING = object()


def diff_bodies(
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    context: int | None = None,
    order: Sequence[str] = (),
) -> list[DiffLine]:
    """Lines of new compared with old. context=None keeps every unchanged line (bodies are
    short, and a whole item reads better on a projector); a number keeps that many unchanged
    lines around each change and marks the gaps with an '@' line."""
    before, after = body_lines(old, order), body_lines(new, order)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    if context is None:
        groups = [matcher.get_opcodes()]
    else:
        groups = list(matcher.get_grouped_opcodes(context))
        if not groups or all(op == "equal" for group in groups for op, *_ in group):
            return []
    lines: list[DiffLine] = []
    for number, group in enumerate(groups):
        if number and context is not None:
            lines.append(DiffLine("@", "…"))
        for op, a1, a2, b1, b2 in group:
            if op == "equal":
                lines += [DiffLine(" ", text) for text in after[b1:b2]]
                continue
            lines += [DiffLine("-", text) for text in before[a1:a2]]
            lines += [DiffLine("+", text) for text in after[b1:b2]]
    return lines


def has_changes(lines: list[DiffLine]) -> bool:
    return any(line.tag in "+-" for line in lines)


__all__ = [
    "DiffLine",
    "body_lines",
    "changed_fields",
    "diff_bodies",
    "field_label",
    "has_changes",
    "ordered_keys",
]
