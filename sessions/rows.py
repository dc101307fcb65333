"""Small helpers shared by the store modules: ids, clocks, row conversion, events."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from .models import Item, Session, Stakeholder

ID_PREFIXES = {
    "session": "ses",
    "stakeholder": "stk",
    "item": "itm",
    "revision": "rev",
    "llm_call": "llm",
    "event": "evt",
    "measurement": "msr",
    "plan_status": "pst",
}


def new_id(kind: str) -> str:
    """A stable text id such as 'ses_8f3a1c2b7d4e': short enough to type, random enough."""
    return f"{ID_PREFIXES[kind]}_{secrets.token_hex(6)}"


def now() -> str:
    """UTC, ISO 8601, microseconds, so that ordering by text is ordering by time."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def session_from_row(row: dict[str, Any]) -> Session:
    data = dict(row)
    data["participants"] = json.loads(data["participants"])
    data["priorities"] = json.loads(data["priorities"])
    data["archived"] = bool(data["archived"])
    return Session.model_validate(data)


def stakeholder_from_row(row: dict[str, Any]) -> Stakeholder:
    return Stakeholder.model_validate(dict(row))


def item_from_row(row: dict[str, Any]) -> Item:
    data = dict(row)
    data.pop("body_text", None)
    data["body"] = json.loads(data["body"])
    data["stale"] = bool(data["stale"])
    return Item.model_validate(data)


def insert_event(db: Database, session_id: str, kind: str, detail: dict[str, Any]) -> str:
    """Append to the session's event log (stage changes, approvals, exports…)."""
    event_id = new_id("event")
    db.execute(
        "INSERT INTO events (id, session_id, kind, detail, created_at) VALUES (?,?,?,?,?)",
        [event_id, session_id, kind, dumps(detail), now()],
    )
    return event_id
