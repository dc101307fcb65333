"""Items as people change them: writing, editing (with conflicts), answers, the cadence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sessions import (
    ConflictError,
    Item,
    ItemKind,
    Origin,
    Revision,
    SessionRecord,
    SessionStore,
    Status,
    StoreError,
)
from workshop.errors import WorkshopError
from workshop.rules.plan_entries import outcome_problem
from workshop.service.conflicts import ConflictMemory, EditConflict, conflict_message
from workshop.service.undo import UndoJournal


class ItemOps:
    """`service.items`."""

    # The store's own operations, offered as they are: the service adds nothing to them.
    get: Callable[[str], Item]
    revisions: Callable[[str], list[Revision]]

    def __init__(self, store: SessionStore, journal: UndoJournal | None = None) -> None:
        self._store = store
        self._journal = journal or UndoJournal(store)
        self._conflicts = ConflictMemory()
        self.get = store.get_item
        self.revisions = store.revisions

    # Decisions, each one undoable (service.undo) -------------------------------------------

    def approve(self, item_id: str, by: str, expected_version: int | None = None) -> Item:
        return self._journaled(
            "the approval",
            item_id,
            by,
            lambda: self._store.approve_item(item_id, by, expected_version),
        )

    def reject(self, item_id: str, by: str, note: str = "") -> Item:
        return self._journaled(
            "the rejection", item_id, by, lambda: self._store.reject_item(item_id, by, note)
        )

    def reopen(self, item_id: str, by: str, note: str = "") -> Item:
        return self._journaled(
            "reopening", item_id, by, lambda: self._store.reopen_item(item_id, by, note)
        )

    def _journaled(self, what: str, item_id: str, by: str, change: Callable[[], Item]) -> Item:
        before = self._store.get_item(item_id)
        after = change()
        self._journal.item_changed(what, before, after, by, self._label(after))
        return after

    def _label(self, item: Item) -> str | None:
        """A person's item is known by their name (the placement of Dana Reyes)."""
        if item.stakeholder_id is None:
            return None
        try:
            return self._store.get_stakeholder(item.stakeholder_id).name
        except StoreError:
            return None

    def author(self, session_id: str) -> str:
        """Whom a person's change is recorded as: the facilitator, or this computer's user."""
        facilitator = self._store.get_session(session_id).facilitator
        if facilitator:
            return facilitator
        import getpass

        try:
            return getpass.getuser() or "facilitator"
        except (KeyError, OSError):
            return "facilitator"

    def write(
        self,
        session_id: str,
        kind: ItemKind | str,
        body: dict[str, Any],
        by: str,
        stakeholder_id: str | None = None,
    ) -> Item:
        """An item written by a person (not drafted by a model)."""
        if ItemKind(kind) is ItemKind.PLAN_ENTRY:
            self._check_plan_entry(session_id, body)
        return self._store.create_item(
            session_id, kind, body, Origin.PERSON, by, stakeholder_id=stakeholder_id
        )

    def edit(
        self, item_id: str, body: dict[str, Any], by: str, expected_version: int | None = None
    ) -> Item:
        """Save a person's edit. If someone saved the item since it was read, raise an
        EditConflict quoting their text; the same edit saved again goes in over it."""
        item = self._store.get_item(item_id)
        if item.kind is ItemKind.PLAN_ENTRY:
            self._check_plan_entry(item.session_id, body)
        try:
            return self._journaled(
                "the edit",
                item_id,
                by,
                lambda: self._store.edit_item(item_id, body, by, expected_version),
            )
        except ConflictError as error:
            theirs = error.current_version
            if self._conflicts.seen(item_id, expected_version, theirs):
                return self._journaled(
                    "the edit",
                    item_id,
                    by,
                    lambda: self._store.edit_item(item_id, body, by, theirs),
                )
            current = self._store.get_item(item_id)
            last = self._store.revisions(item_id)[-1]
            message = conflict_message(body, current, last.author, current.updated_at)
            raise EditConflict(message, current) from None

    def _check_plan_entry(self, session_id: str, body: dict[str, Any]) -> None:
        """An entry of the 90-day plan serves an approved outcome of its own session."""
        record = self._store.load_session(session_id)
        approved = {i.id for i in record.items_of(ItemKind.OUTCOME) if i.status is Status.APPROVED}
        problem = outcome_problem(body.get("outcome_id"), approved)
        if problem:
            raise WorkshopError(problem)

    def save_answer(
        self, session_id: str, stakeholder_id: str, question: str, answer: str, by: str
    ) -> Item:
        """Capture one answer live: the person's answers item is created or edited."""
        record = self._store.load_session(session_id)
        current = next(
            (
                i
                for i in record.items_of(ItemKind.ANSWERS)
                if i.stakeholder_id == stakeholder_id and i.status is not Status.REJECTED
            ),
            None,
        )
        entries = list(current.body["entries"]) if current else []
        for entry in entries:
            if entry["question"] == question:
                entry["answer"] = answer
                break
        else:
            entries.append({"question": question, "answer": answer})
        if current is None:
            return self.write(
                session_id, ItemKind.ANSWERS, {"entries": entries}, by, stakeholder_id
            )
        return self._store.edit_item(current.id, {"entries": entries}, by)

    @staticmethod
    def cadence_for(record: SessionRecord, segment: str) -> Item | None:
        """A segment's impact cadence: the newest one not rejected, else the newest rejected."""
        items = [i for i in record.items_of(ItemKind.CADENCE) if i.body.get("segment") == segment]
        items.sort(key=lambda i: (i.status is not Status.REJECTED, i.updated_at))
        return items[-1] if items else None

    def save_cadence(
        self,
        session_id: str,
        segment: str,
        report: str,
        frequency: str,
        by: str,
        expected_version: int | None = None,
    ) -> Item:
        """What impact report a segment gets and how often: written once, then edited."""
        body = {"segment": segment, "report": report, "frequency": frequency}
        current = self.cadence_for(self._store.load_session(session_id), segment)
        if current is None:
            return self.write(session_id, ItemKind.CADENCE, body, by)
        return self._store.edit_item(current.id, body, by, expected_version)
