"""Whole sessions as JSON documents, to move them between machines.

A dump holds one session with everything that belongs to it: the session row, its
stakeholders, items, revisions, model calls, events and agenda, column for column
(JSON columns as JSON, `items.body_text` left out because it is derived from the body).
Its header names the format, the format version and the schema version it was written
with. Loading it back gives the same ids and the same contents, so that
dump → load into another database → dump gives the same bytes; `as_copy` loads it as a
new session instead, with new ids assigned consistently (references inside bodies and
event details follow). No Textual, no openai here.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from .bodies import body_hash, body_text
from .database import schema_version
from .errors import DuplicateNameError, InvalidInputError, describe_validation
from .item_ops import draft_slot
from .migrations import MIGRATION_NAMES
from .rows import dumps, insert_event, new_id
from .stakeholder_ops import check_unique_names
from .text import NESTED_TOO_DEEP
from .transfer_rows import CHECKS, DERIVED_COLUMNS

FORMAT = "strategy-workshop-session"
FORMAT_VERSION = 1

# In the order they are written (references before the rows that point at them).
SECTIONS = (
    "stakeholders",
    "llm_calls",
    "items",
    "revisions",
    "events",
    "stage_times",
    "measurements",
    "plan_statuses",
)
JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions": ("participants", "priorities"),
    "items": ("body",),
    "revisions": ("body",),
    "llm_calls": ("messages",),
    "events": ("detail",),
}
ID_KINDS = {
    "stakeholders": "stakeholder",
    "llm_calls": "llm_call",
    "items": "item",
    "revisions": "revision",
    "events": "event",
    "measurements": "measurement",
    "plan_statuses": "plan_status",
}


# Dumping ----------------------------------------------------------------------------


def dump_session(db: Database, session_id: str) -> dict[str, Any]:
    """The whole session as a JSON-ready document (deterministic for the same data)."""
    queries = {
        "stakeholders": "SELECT * FROM stakeholders WHERE session_id=? ORDER BY position, rowid",
        "llm_calls": "SELECT * FROM llm_calls WHERE session_id=? ORDER BY created_at, rowid",
        "items": "SELECT * FROM items WHERE session_id=? ORDER BY created_at, rowid",
        "revisions": """SELECT r.* FROM revisions r JOIN items i ON i.id = r.item_id
            WHERE i.session_id=? ORDER BY i.created_at, i.rowid, r.number""",
        "events": "SELECT * FROM events WHERE session_id=? ORDER BY created_at, rowid",
        "stage_times": "SELECT * FROM stage_times WHERE session_id=? ORDER BY stage",
        "measurements": """SELECT * FROM measurements WHERE session_id=?
            ORDER BY measured_on, created_at, rowid""",
        "plan_statuses": """SELECT * FROM plan_statuses WHERE session_id=?
            ORDER BY created_at, rowid""",
    }
    session = list(db.query("SELECT * FROM sessions WHERE id=?", [session_id]))
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": schema_version(db),
        "session": _out("sessions", session[0]),
    }
    for section in SECTIONS:
        document[section] = [_out(section, r) for r in db.query(queries[section], [session_id])]
    return document


def dump_text(document: dict[str, Any]) -> str:
    """The document as the file holds it: UTF-8 JSON, indented, ending with a newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse_dump(text: str, source: str = "the file") -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"{source} is not a session dump: not valid JSON ({error.msg}, line {error.lineno})."
        ) from None
    except RecursionError:
        raise InvalidInputError(f"{source} is not a session dump: {NESTED_TOO_DEEP}") from None
    if not isinstance(data, dict):
        raise InvalidInputError(f"{source} is not a session dump: expected a JSON object.")
    return data


def _out(table: str, row: dict[str, Any]) -> dict[str, Any]:
    data = {}
    for column in sorted(row):
        if column in DERIVED_COLUMNS.get(table, ()):
            continue
        value = row[column]
        if column in JSON_COLUMNS.get(table, ()) and value is not None:
            value = _sorted(json.loads(value))
        data[column] = value
    return data


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


# Loading ----------------------------------------------------------------------------


def check_header(document: dict[str, Any]) -> None:
    """Refuse what is not a dump, or one from a newer version of the app."""
    if document.get("format") != FORMAT:
        raise InvalidInputError(
            "This is not a Strategy Workshop session dump (no "
            f'"format": "{FORMAT}" in it); nothing was loaded.'
        )
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInputError("The dump has no valid format_version; nothing was loaded.")
    if version > FORMAT_VERSION:
        raise InvalidInputError(
            f"The dump was written by a newer version of Strategy Workshop (format "
            f"{version}; this version reads up to {FORMAT_VERSION}); upgrade the app to "
            "load it. Nothing was loaded."
        )
    schema = document.get("schema_version")
    if not isinstance(schema, str) or not schema:
        raise InvalidInputError("The dump has no schema_version; nothing was loaded.")
    if schema not in MIGRATION_NAMES:
        raise InvalidInputError(
            f"The dump was written by a newer version of Strategy Workshop (schema "
            f"{schema}); upgrade the app to load it. Nothing was loaded."
        )


def load_session(db: Database, document: dict[str, Any], as_copy: bool = False) -> str:
    """Insert the dumped session into db (inside the caller's transaction); return its id.

    Without as_copy, the ids are kept and a clash with anything already in db is refused.
    A parent session that is not in db is left out of the link (parent_id becomes null).
    """
    if not isinstance(document, dict):
        raise InvalidInputError("This is not a session dump: expected a JSON object.")
    check_header(document)
    tables = _read_tables(db, document)
    merged = _supersede_duplicate_drafts(tables)
    session = tables["sessions"][0]
    old_session_id = session["id"]
    if as_copy:
        tables = _with_new_ids(tables)
    else:
        _refuse_clashes(db, tables)
    session = tables["sessions"][0]
    parent = session.get("parent_id")
    if parent is not None and (
        parent == session["id"] or not list(db.query("SELECT 1 FROM sessions WHERE id=?", [parent]))
    ):
        session["parent_id"] = None
    calls = {r["id"] for r in tables["llm_calls"]}
    for revision in tables["revisions"]:
        call = revision.get("llm_call_id")
        if call is not None and call not in calls and not _exists(db, "llm_calls", call):
            revision["llm_call_id"] = None  # a call of another session, not in the dump
    try:
        for table in ("sessions", *SECTIONS):
            for row in tables[table]:
                _insert(db, table, row)
    except sqlite3.IntegrityError as error:
        raise InvalidInputError(
            f"The dump does not hold together ({error}); nothing was loaded."
        ) from None
    if as_copy:
        insert_event(db, session["id"], "loaded_as_copy", {"from": old_session_id})
    if merged:
        insert_event(db, session["id"], "duplicate_drafts_merged", {"rejected": merged})
    return session["id"]


def _supersede_duplicate_drafts(tables: dict[str, list[dict[str, Any]]]) -> int:
    """A dump from before one-draft-per-person held: the newest untouched model draft of
    each person stays a draft, the others are rejected with a revision saying why."""
    newest: dict[tuple, dict[str, Any]] = {}
    older: list[dict[str, Any]] = []
    ordered = sorted(tables["items"], key=lambda r: str(r.get("updated_at")), reverse=True)
    for item in ordered:
        slot = draft_slot(str(item["kind"]), item.get("stakeholder_id"), item.get("segment"))
        if slot is None or item.get("origin") != "model" or item.get("status") != "draft":
            continue
        if slot in newest:
            older.append(item)
        else:
            newest[slot] = item
    for item in older:
        numbers = [r["number"] for r in tables["revisions"] if r["item_id"] == item["id"]]
        item["status"] = "rejected"
        item["version"] = int(item.get("version") or 1) + 1
        tables["revisions"].append(
            {
                "id": new_id("revision"),
                "item_id": item["id"],
                "number": max(numbers, default=0) + 1,
                "body": item["body"],
                "status": "rejected",
                "origin": "model",
                "author": "workshop",
                "llm_call_id": None,
                "note": "superseded: a second draft of the same thing, from drafts run at once",
                "created_at": item["updated_at"],
            }
        )
    return len(older)


def _exists(db: Database, table: str, row_id: str) -> bool:
    return bool(list(db.query(f"SELECT 1 FROM {table} WHERE id=?", [row_id])))


def _insert(db: Database, table: str, row: dict[str, Any]) -> None:
    columns = list(row)
    values = [
        dumps(row[c]) if c in JSON_COLUMNS.get(table, ()) and row[c] is not None else row[c]
        for c in columns
    ]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def _read_tables(db: Database, document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every row checked against the current schema and the record models."""
    session = document.get("session")
    if not isinstance(session, dict):
        raise InvalidInputError("The dump has no session in it; nothing was loaded.")
    tables: dict[str, list[dict[str, Any]]] = {"sessions": [session]}
    for section in SECTIONS:
        rows = document.get(section, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidInputError(
                f"The dump's {section} is not a list of rows; nothing was loaded."
            )
        tables[section] = rows
    checked: dict[str, list[dict[str, Any]]] = {}
    for table, rows in tables.items():
        known = set(db[table].columns_dict) - set(DERIVED_COLUMNS.get(table, ()))
        checked[table] = []
        for index, row in enumerate(rows):
            what = f"{table}[{index}]" if table != "sessions" else "session"
            unknown = set(row) - known - set(DERIVED_COLUMNS.get(table, ()))
            if unknown:
                raise InvalidInputError(
                    f"The dump's {what} has a column this version does not know: "
                    f"{sorted(unknown)[0]}; nothing was loaded."
                )
            try:
                checked[table].append(CHECKS[table](row))
            except ValidationError as error:
                raise InvalidInputError(
                    describe_validation(error, f"The dump's {what}") + "; nothing was loaded."
                ) from None
            except (TypeError, ValueError, KeyError) as error:
                raise InvalidInputError(
                    f"The dump's {what} is not valid ({error}); nothing was loaded."
                ) from None
    _check_references(checked)
    return checked


def _check_references(tables: dict[str, list[dict[str, Any]]]) -> None:
    session_id = tables["sessions"][0]["id"]
    for table in SECTIONS:
        ids = [r["id"] for r in tables[table] if "id" in r]
        if len(ids) != len(set(ids)):
            raise InvalidInputError(f"The dump's {table} repeat an id; nothing was loaded.")
        for row in tables[table]:
            if "session_id" in row and row["session_id"] != session_id:
                raise InvalidInputError(
                    f"The dump's {table} hold a row of another session "
                    f"({row['session_id']}); nothing was loaded."
                )
    try:
        check_unique_names([r["name"] for r in tables["stakeholders"]])
    except DuplicateNameError as error:
        raise InvalidInputError(
            f"The dump is not one the app wrote: {error} Nothing was loaded."
        ) from None
    people = {r["id"] for r in tables["stakeholders"]}
    items = {r["id"] for r in tables["items"]}
    for item in tables["items"]:
        if item.get("stakeholder_id") is not None and item["stakeholder_id"] not in people:
            raise InvalidInputError(
                f"The dump's item {item['id']} names a stakeholder that is not in it; "
                "nothing was loaded."
            )
    outcomes = {r["id"] for r in tables["items"] if r["kind"] == "outcome"}
    for measurement in tables["measurements"]:
        if measurement["outcome_id"] not in outcomes:
            raise InvalidInputError(
                f"The dump's measurement {measurement['id']} is of an outcome that is not in "
                "it; nothing was loaded."
            )
    entries = {r["id"] for r in tables["items"] if r["kind"] == "plan_entry"}
    for change in tables["plan_statuses"]:
        if change["entry_id"] not in entries:
            raise InvalidInputError(
                f"The dump's plan status {change['id']} is of an entry that is not in it; "
                "nothing was loaded."
            )
    for revision in tables["revisions"]:
        if revision["item_id"] not in items:
            raise InvalidInputError(
                f"The dump's revision {revision['id']} belongs to an item that is not in it; "
                "nothing was loaded."
            )


def _refuse_clashes(db: Database, tables: dict[str, list[dict[str, Any]]]) -> None:
    session_id = tables["sessions"][0]["id"]
    if _exists(db, "sessions", session_id):
        raise InvalidInputError(
            f"A session with id {session_id} is already in this database; nothing was "
            "loaded. Delete it first, or load the file as a copy with new ids (--as-copy)."
        )
    for table in SECTIONS:
        ids = [r["id"] for r in tables[table] if "id" in r]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            taken = list(db.query(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk))
            if taken:
                raise InvalidInputError(
                    f"The dump's {table} use ids already in this database ({taken[0]['id']}); "
                    "nothing was loaded. Load it as a copy with new ids (--as-copy)."
                )


# Copies -----------------------------------------------------------------------------


def _with_new_ids(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The same session under new ids; every reference to an old id follows."""
    ids = {tables["sessions"][0]["id"]: new_id("session")}
    for table, kind in ID_KINDS.items():
        for row in tables[table]:
            ids[row["id"]] = new_id(kind)
    refs = (
        "id",
        "session_id",
        "stakeholder_id",
        "item_id",
        "llm_call_id",
        "outcome_id",
        "entry_id",
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for table, rows in tables.items():
        out[table] = []
        for row in rows:
            row = dict(row)
            for column in refs:
                if row.get(column) in ids:
                    row[column] = ids[row[column]]
            for column in JSON_COLUMNS.get(table, ()):
                if table != "sessions" and row.get(column) is not None:
                    row[column] = _remap(row[column], ids)
            out[table].append(row)
    hashes = {}
    for item in out["items"]:
        if item.get("approved_hash") is not None:
            fresh = body_hash(item["body"])
            if fresh != item["approved_hash"]:  # the body named a renamed id
                hashes[item["approved_hash"]] = fresh
                item["approved_hash"] = fresh
        item["body_text"] = body_text(item["body"])
    for event in out["events"]:
        event["detail"] = _remap(event["detail"], hashes)
    return out


def _remap(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, dict):
        return {ids.get(k, k): _remap(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_remap(v, ids) for v in value]
    return value
