"""Reading a model's JSON answer: the final one strictly, a streaming one partially."""

from __future__ import annotations

import json
import re
from typing import Any

from .faults import MalformedJSONFault

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
    return data if isinstance(data, dict) else None
