"""Small models drift in ways that lose no meaning: fix those before validating.

Driven by the answer's JSON schema, so it holds for every draft kind: an enum value in
another case or spelling ("Champion", "decision maker" for `decision_maker`), one string
wrapped in a list where a string is expected, a lone string where a list is expected,
`null` for a text the model did not know (an unknown owner stays unknown: empty), and a
number where text is expected. Anything else is left for validation to report.
"""

from __future__ import annotations

import re
from typing import Any

_SEPARATORS = re.compile(r"[\s\-]+")


def normalise(data: Any, schema: dict[str, Any]) -> Any:
    """`data` made to fit `schema` where the fix is certain; the rest unchanged."""
    return _fit(data, schema, schema.get("$defs", {}))


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return defs.get(ref.removeprefix("#/$defs/"), {})
    return schema


def _fit(value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    schema = _resolve(schema, defs)
    options = schema.get("anyOf")
    if options:  # e.g. a string or null: fit the first option that fits
        if value is None and any(_resolve(o, defs).get("type") == "null" for o in options):
            return None
        for option in options:
            option = _resolve(option, defs)
            if option.get("type") != "null":
                return _fit(value, option, defs)
        return value
    kind = schema.get("type")
    if "enum" in schema:
        return _enum(value, schema["enum"])
    if kind == "object" and isinstance(value, dict):
        properties = schema.get("properties", {})
        return {
            key: _fit(item, properties[key], defs) if key in properties else item
            for key, item in value.items()
        }
    if kind == "array":
        items = schema.get("items", {})
        if isinstance(value, str):
            value = [value] if value.strip() else []
        if isinstance(value, list):
            return [_fit(item, items, defs) for item in value]
        return value
    if kind == "string":
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            return value[0]
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{value:g}" if isinstance(value, float) else str(value)
    return value


def _enum(value: Any, allowed: list[Any]) -> Any:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or value in allowed:
        return value
    wanted = _key(value)
    matches = [a for a in allowed if isinstance(a, str) and _key(a) == wanted]
    return matches[0] if len(matches) == 1 else value


def _key(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip().lower())
