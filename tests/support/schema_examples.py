"""Schema-valid example answers: what the test server's default model says.

`example_from_schema` builds a small instance of a JSON schema (objects, arrays, strings
with their formats, numbers within their bounds, enums, $ref, anyOf), deterministic, so
that tests can compare what was stored with what was sent.
"""

from __future__ import annotations

import re
from typing import Any


def _humanize(name: str | None) -> str:
    if not name:
        return "text"
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).replace("_", " ").replace("-", " ")
    return " ".join(words.split()).lower() or "text"


def _resolve_ref(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    if not ref.startswith("#"):
        raise ValueError(f"only local $ref supported, got {ref!r}")
    node: Any = root
    for token in ref.lstrip("#").strip("/").split("/"):
        if not token:
            continue
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _example_string(schema: dict[str, Any], name: str | None) -> str:
    fmt = schema.get("format")
    by_format = {
        "date": "2025-01-31",
        "date-time": "2025-01-31T09:00:00Z",
        "time": "09:00:00",
        "email": "someone@example.com",
        "uri": "https://example.com/",
        "url": "https://example.com/",
        "uuid": "00000000-0000-4000-8000-000000000000",
        "duration": "P30D",
    }
    text = by_format.get(fmt or "") or f"Example {_humanize(name)}"
    min_len = schema.get("minLength")
    max_len = schema.get("maxLength")
    if isinstance(min_len, int) and len(text) < min_len:
        text = text + "x" * (min_len - len(text))
    if isinstance(max_len, int) and len(text) > max_len:
        text = text[:max_len]
    return text


def _example_number(schema: dict[str, Any], integer: bool) -> int | float:
    def bound(key: str) -> float | None:
        value = schema.get(key)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if is_number else None

    low, high = bound("minimum"), bound("maximum")
    xlow, xhigh = bound("exclusiveMinimum"), bound("exclusiveMaximum")
    step = 1.0 if integer else 0.5
    value = 1.0
    if low is not None:
        value = max(value, low)
    if xlow is not None and value <= xlow:
        value = xlow + step
    if high is not None:
        value = min(value, high)
    if xhigh is not None and value >= xhigh:
        floor = xlow if xlow is not None else low
        value = xhigh - 1 if integer or floor is None else (floor + xhigh) / 2
    multiple = bound("multipleOf")
    if multiple:
        value = multiple * max(1, round(value / multiple))
    return int(value) if integer else value


def example_from_schema(
    schema: dict[str, Any],
    root: dict[str, Any] | None = None,
    name: str | None = None,
    _depth: int = 0,
) -> Any:
    """Generate a JSON instance that validates against ``schema``.

    Handles object/properties/required, ``$ref`` + ``$defs``/``definitions``, ``anyOf`` /
    ``oneOf`` (the first non-null branch), ``allOf``, ``enum``, ``const``, type lists,
    string (formats, lengths), integer/number (bounds), boolean, null, arrays (one item,
    or ``minItems``), ``prefixItems`` and nested objects. Strings are mildly meaningful:
    ``"Example <property name>"``.
    """
    root = schema if root is None else root
    if not isinstance(schema, dict):  # `true` / `{}` schemas
        return f"Example {_humanize(name)}"
    deep = _depth > 12

    if "$ref" in schema:
        target = _resolve_ref(schema["$ref"], root)
        if not name:
            name = schema["$ref"].rsplit("/", 1)[-1]
        return example_from_schema(target, root, name, _depth + 1)
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            non_null = [
                b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")
            ]
            if deep and len(non_null) < len(branches):
                return None
            return example_from_schema((non_null or branches)[0], root, name, _depth + 1)
    if isinstance(schema.get("allOf"), list) and schema["allOf"]:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            if isinstance(part, dict) and "$ref" in part:
                part = _resolve_ref(part["$ref"], root)
            if not isinstance(part, dict):
                continue
            for key, value in part.items():
                if key == "properties":
                    merged.setdefault("properties", {}).update(value)
                elif key == "required":
                    merged.setdefault("required", []).extend(value)
                else:
                    merged.setdefault(key, value)
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        return example_from_schema({**merged, **rest}, root, name, _depth + 1)

    kind = schema.get("type")
    if isinstance(kind, list):
        non_null_kinds = [k for k in kind if k != "null"]
        if deep and "null" in kind:
            return None
        kind = non_null_kinds[0] if non_null_kinds else "null"
    if kind is None:
        if "properties" in schema:
            kind = "object"
        elif "items" in schema or "prefixItems" in schema:
            kind = "array"
        elif "examples" in schema and schema["examples"]:
            return schema["examples"][0]
        else:
            kind = "string"

    if kind == "object":
        result: dict[str, Any] = {}
        properties = schema.get("properties") or {}
        required = schema.get("required") or []
        for prop, sub in properties.items():
            if deep and prop not in required:
                continue
            result[prop] = example_from_schema(sub, root, prop, _depth + 1)
        return result
    if kind == "array":
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list):
            return [example_from_schema(s, root, name, _depth + 1) for s in prefix]
        min_items = schema.get("minItems", 0) or 0
        max_items = schema.get("maxItems")
        count = max(1, min_items)
        if isinstance(max_items, int):
            count = min(count, max_items)
        if deep:
            count = min_items
        item_schema = schema.get("items", {})
        if count and item_schema is False:
            return []
        return [example_from_schema(item_schema, root, name, _depth + 1) for _ in range(count)]
    if kind == "string":
        return _example_string(schema, name)
    if kind == "integer":
        return _example_number(schema, integer=True)
    if kind == "number":
        return _example_number(schema, integer=False)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    raise ValueError(f"unsupported schema type {kind!r}")
