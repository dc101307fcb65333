"""Reading a model's JSON answer: the final one strictly, a streaming one partially."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from sessions.text import NESTED_TOO_DEEP, clean_text
from workshop.drafting.faults import MalformedJSONFault

# Some local models wrap JSON in a Markdown fence even in JSON mode.
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*?)\n?```\s*$", re.DOTALL)


def _unfenced(text: str) -> str:
    match = _FENCE.match(text)
    return match.group(1) if match else text


def parse_answer(text: str) -> dict[str, Any]:
    try:
        data = json.loads(_unfenced(text))
    except ValueError as error:
        raise MalformedJSONFault(f"The answer was not valid JSON ({error}).") from None
    except RecursionError:
        raise MalformedJSONFault(f"The answer was not usable JSON: {NESTED_TOO_DEEP}") from None
    if not isinstance(data, dict):
        raise MalformedJSONFault("The answer was JSON, but not an object.")
    return data


def parse_partial(text: str) -> dict[str, Any] | None:
    """The fields that have arrived so far, or None if nothing readable has yet."""
    import jiter  # ships with openai; parses incomplete JSON

    start = text.find("{")
    if start < 0:
        return None
    try:
        data = jiter.from_json(text[start:].encode("utf-8"), partial_mode="trailing-strings")
    except ValueError:
        return None
    # Shown on screen while it streams, before the store's own cleaning: no escape
    # sequence from the model may reach the terminal on the way.
    return map_strings(data, clean_text) if isinstance(data, dict) else None


def map_strings(value: Any, mapper: Callable[[str], str]) -> Any:
    """Every string inside a JSON value, passed through mapper."""
    if isinstance(value, str):
        return mapper(value)
    if isinstance(value, list):
        return [map_strings(v, mapper) for v in value]
    if isinstance(value, dict):
        return {k: map_strings(v, mapper) for k, v in value.items()}
    return value
