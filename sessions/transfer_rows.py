"""Checks on a dump's rows before they are loaded: each row goes through its record model
and comes out as it is stored, with its text cleaned; an approval must match its text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel

from .bodies import body_hash, body_text, validate_body
from .errors import InvalidInputError
from .models import (
    Event,
    Item,
    ItemKind,
    LlmCall,
    Measurement,
    PlanStatusChange,
    Revision,
    Session,
    StageTime,
    Stakeholder,
)
from .text import clean_text

# Columns the store derives from others: never read from a dump, always recomputed.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {"items": ("body_text",)}


def _through(model: type[BaseModel], row: dict[str, Any], keep: Iterable[str] = ()) -> dict:
    """Validate row with model; return the row with the model's (cleaned) values."""
    keep = set(keep)
    data = {k: v for k, v in row.items() if k not in keep}
    validated = model.model_validate(data).model_dump(mode="json")
    out = {k: validated[k] for k in data if k in validated}
    for key in keep & set(row):
        if row[key] is not None and not isinstance(row[key], str):
            raise TypeError(f"{key} must be text")
        out[key] = row[key]
    return out


def _check_session(row: dict[str, Any]) -> dict[str, Any]:
    out = _through(Session, row)
    out["archived"] = int(out.get("archived", 0))
    return out


def _check_stakeholder(row: dict[str, Any]) -> dict[str, Any]:
    return _through(Stakeholder, row)


def _check_item(row: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in row.items() if k not in DERIVED_COLUMNS["items"]}
    out = _through(Item, row)
    out["body"] = validate_body(ItemKind(out["kind"]), out["body"])
    # An approval is a person vouching for this exact text: the app writes the text's hash
    # with it, so an approval whose hash does not match was edited in the file, not given.
    if out["status"] == "approved" and out.get("approved_hash") != body_hash(out["body"]):
        raise InvalidInputError(
            f"The dump's item {out['id']} is marked approved, but the approval is not for "
            "its text (edited in the file?); nothing was loaded."
        )
    out["body_text"] = body_text(out["body"])
    out["stale"] = int(out.get("stale", 0))
    return out


def _check_revision(row: dict[str, Any]) -> dict[str, Any]:
    return _through(Revision, row) | {"body": _history_body(row)}


def _history_body(row: dict[str, Any]) -> dict[str, Any]:
    # History may hold bodies of an older shape: keep them, with their text cleaned.
    body = row.get("body")
    if not isinstance(body, dict):
        raise TypeError("body must be a JSON object")
    return _clean_strings(body)


def _clean_strings(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: _clean_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_strings(v) for v in value]
    return value


def _check_llm_call(row: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(row.get("id"), str):
        raise TypeError("id must be text")
    return _through(LlmCall, row, keep=("id", "created_at"))


def _check_event(row: dict[str, Any]) -> dict[str, Any]:
    return _through(Event, row)


def _check_stage_time(row: dict[str, Any]) -> dict[str, Any]:
    return _through(StageTime, row, keep=("session_id",))


def _check_measurement(row: dict[str, Any]) -> dict[str, Any]:
    return _through(Measurement, row)


def _check_plan_status(row: dict[str, Any]) -> dict[str, Any]:
    return _through(PlanStatusChange, row)


CHECKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "sessions": _check_session,
    "stakeholders": _check_stakeholder,
    "items": _check_item,
    "revisions": _check_revision,
    "llm_calls": _check_llm_call,
    "events": _check_event,
    "stage_times": _check_stage_time,
    "measurements": _check_measurement,
    "plan_statuses": _check_plan_status,
}
