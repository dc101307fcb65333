"""How an endpoint is asked for JSON, best first, and how a refusal of one is recognised.

Endpoints differ: OpenAI and vLLM take a strict `json_schema`; llama.cpp's servers answer
it with an error (llama-cpp-python with HTTP 500) but constrain decoding to a schema given
inside `json_object`; others take plain `json_object` only. The engine starts at the best
mode it has not seen refused for this endpoint and model, and steps down on a refusal.
"""

from __future__ import annotations

import json
from typing import Any

JSON_SCHEMA = "json_schema"
JSON_OBJECT_SCHEMA = "json_object_schema"  # {"type": "json_object", "schema": {...}}
JSON_OBJECT = "json_object"
LADDER = (JSON_SCHEMA, JSON_OBJECT_SCHEMA, JSON_OBJECT)
DESCRIPTIONS = {
    JSON_SCHEMA: "structured output (JSON schema)",
    JSON_OBJECT_SCHEMA: "JSON mode with the schema (decoding constrained by the server)",
    JSON_OBJECT: "JSON mode, the schema in the prompt, then validation",
}
SCHEMA_PREFIX = "Answer with one JSON object that matches this JSON schema:\n"

# Words an endpoint's refusal uses when it is the response_format it cannot take.
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "'text'")


def response_format(mode: str, name: str, schema: dict[str, Any]) -> dict[str, Any]:
    if mode == JSON_SCHEMA:
        return {
            "type": JSON_SCHEMA,
            "json_schema": {"name": name, "schema": schema, "strict": True},
        }
    if mode == JSON_OBJECT_SCHEMA:
        return {"type": JSON_OBJECT, "schema": schema}
    return {"type": JSON_OBJECT}


def with_schema_in_prompt(mode: str, messages: list[dict], schema: dict[str, Any]) -> list[dict]:
    """Below strict JSON schema the schema also travels in the prompt: a weak model
    follows it better, and a server that ignores `schema` still has it."""
    if mode == JSON_SCHEMA:
        return messages
    text = SCHEMA_PREFIX + json.dumps(schema, ensure_ascii=False)
    return [*messages, {"role": "system", "content": text}]


def step_down(mode: str) -> str | None:
    """The next mode to try after `mode` was refused, or None at the bottom."""
    index = LADDER.index(mode)
    return LADDER[index + 1] if index + 1 < len(LADDER) else None


def refuses_format(message: str) -> bool:
    """Whether an error (whatever its status code) is about the response_format."""
    lowered = message.lower()
    return any(word in lowered for word in _FORMAT_WORDS)
