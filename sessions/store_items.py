"""Items and their history, model calls, events and usage."""

from __future__ import annotations

import json
from typing import Any

from . import item_ops
from .database import translate_errors
from .errors import InvalidInputError
from .models import (
    Event,
    Item,
    ItemKind,
    LlmCall,
    Origin,
    Revision,
)
from .rows import (
    dumps,
    insert_event,
    new_id,
    now,
)
from .store_base import StoreBase, choice, touch_session


class ItemMethods(StoreBase):
    """Item, model-call and event operations of the store."""

    # Items ------------------------------------------------------------------------

    def create_item(
        self,
        session_id: str,
        kind: ItemKind | str,
        body: dict[str, Any] | Any,
        origin: Origin | str,
        author: str,
        stakeholder_id: str | None = None,
        llm_call_id: str | None = None,
        note: str = "",
    ) -> Item:
        """Store a new draft (from a model or a person) with its first revision."""
        kind = choice(ItemKind, kind, "item kind")
        origin = choice(Origin, origin, "origin")
        self.get_session(session_id)
        if (
            stakeholder_id is not None
            and self.get_stakeholder(stakeholder_id).session_id != session_id
        ):
            raise InvalidInputError("That stakeholder belongs to another session.")
        self._check_llm_call(llm_call_id)
        with self._write() as db:
            item_id = item_ops.create(
                db,
                session_id,
                kind,
                body,
                origin,
                author,
                stakeholder_id,
                llm_call_id,
                note,
            )
            touch_session(db, session_id)
        return self.get_item(item_id)

    def replace_model_drafts(
        self,
        session_id: str,
        kind: ItemKind | str,
        bodies: list[dict[str, Any]],
        author: str,
        llm_call_id: str | None = None,
        note: str = "",
    ) -> list[Item]:
        """A model's new set of drafts (outcomes): the untouched drafts of the kind make way
        in the same transaction, so drafts run at once leave one set, not two."""
        kind = choice(ItemKind, kind, "item kind")
        self.get_session(session_id)
        self._check_llm_call(llm_call_id)
        with self._write() as db:
            item_ops.supersede_model_drafts(db, session_id, kind, author)
            ids = [
                item_ops.create(
                    db, session_id, kind, body, Origin.MODEL, author, None, llm_call_id, note
                )
                for body in bodies
            ]
            touch_session(db, session_id)
        return [self.get_item(i) for i in ids]

    def get_item(self, item_id: str) -> Item:
        with translate_errors(self.path):
            return item_ops.get(self.db, item_id)

    def edit_item(
        self,
        item_id: str,
        body: dict[str, Any] | Any,
        author: str,
        expected_version: int | None = None,
        note: str = "",
    ) -> Item:
        """A person's edit: a new revision; an approved item is reopened by it."""
        with self._write() as db:
            session_id = item_ops.edit(db, item_id, body, author, expected_version, note)
            touch_session(db, session_id)
        return self.get_item(item_id)

    def redraft_item(
        self, item_id: str, body: dict[str, Any] | Any, llm_call_id: str | None, note: str = ""
    ) -> Item:
        """A model's new draft of an item: replaces it only if no person has touched it."""
        self._check_llm_call(llm_call_id)
        with self._write() as db:
            new_id_, session_id = item_ops.redraft(db, item_id, body, llm_call_id, note)
            touch_session(db, session_id)
        return self.get_item(new_id_)

    def approve_item(self, item_id: str, by: str, expected_version: int | None = None) -> Item:
        with self._write() as db:
            session_id = item_ops.approve(db, item_id, by, expected_version)
            touch_session(db, session_id)
        return self.get_item(item_id)

    def reject_item(self, item_id: str, by: str, note: str = "") -> Item:
        with self._write() as db:
            session_id = item_ops.set_status(db, item_id, "rejected", by, note)
            touch_session(db, session_id)
        return self.get_item(item_id)

    def reopen_item(self, item_id: str, by: str, note: str = "") -> Item:
        with self._write() as db:
            session_id = item_ops.set_status(db, item_id, "draft", by, note)
            touch_session(db, session_id)
        return self.get_item(item_id)

    def revisions(self, item_id: str) -> list[Revision]:
        with translate_errors(self.path):
            return item_ops.revisions(self.db, item_id)

    # Model calls and events -------------------------------------------------------

    def record_llm_call(self, call: LlmCall) -> str:
        if call.session_id is not None:
            self.get_session(call.session_id)
        call_id = new_id("llm_call")
        data = call.model_dump()
        data["messages"] = dumps(data["messages"])
        with self._write() as db:
            db["llm_calls"].insert({"id": call_id, **data, "created_at": now()})
        return call_id

    def llm_calls(self, session_id: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT * FROM llm_calls WHERE session_id=? ORDER BY created_at, rowid", [session_id]
        )
        for row in rows:
            row["messages"] = json.loads(row["messages"])
        return rows

    def usage(self, session_id: str) -> dict[str, int]:
        """Model calls of a session and their tokens: as the endpoint reported them, and
        where it reported none as the app counted them (`counted` says for how many calls)."""
        row = self._rows(
            """SELECT count(*) AS calls,
                coalesce(sum(coalesce(tokens_in, tokens_counted)), 0) AS tokens_in,
                coalesce(sum(coalesce(tokens_out, tokens_out_counted)), 0) AS tokens_out,
                coalesce(sum(tokens_counted), 0) AS tokens_counted,
                coalesce(sum(tokens_in IS NULL), 0) AS counted,
                coalesce(sum(status != 'ok'), 0) AS failed
            FROM llm_calls WHERE session_id = ?""",
            [session_id],
        )[0]
        return dict(row)

    def failed_calls(self, session_id: str) -> dict[str, int]:
        """{status: calls} for the session's model calls that did not end "ok"."""
        rows = self._rows(
            """SELECT status, count(*) AS calls FROM llm_calls
            WHERE session_id = ? AND status != 'ok' GROUP BY status ORDER BY calls DESC, status""",
            [session_id],
        )
        return {r["status"]: r["calls"] for r in rows}

    def record_event(self, session_id: str, kind: str, detail: dict[str, Any] | None = None) -> str:
        self.get_session(session_id)
        with self._write() as db:
            return insert_event(db, session_id, kind, detail or {})

    def events(self, session_id: str) -> list[Event]:
        rows = self._rows(
            "SELECT * FROM events WHERE session_id=? ORDER BY created_at, rowid", [session_id]
        )
        return [Event.model_validate(r | {"detail": json.loads(r["detail"])}) for r in rows]
