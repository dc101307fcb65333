"""The operations on a workshop, shared by the CLI and the TUI.

Front ends call this layer only; it calls the store (and, later, the drafting engine).
Keeping it the one door to the store means a shared backend could stand behind it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prompt_library import Playbook
from sessions import (
    Brief,
    ConflictError,
    Item,
    ItemKind,
    Origin,
    Revision,
    SearchHit,
    Session,
    SessionRecord,
    SessionStore,
    SessionSummary,
    Stage,
    StageTime,
    Stakeholder,
    StakeholderInput,
    Status,
)
from workshop.errors import WorkshopError
from workshop.service.conflicts import ConflictMemory, EditConflict, conflict_message
from workshop.service.drafting import DraftingOps, Usage
from workshop.service.export import ExportOps
from workshop.service.files import write_private_file
from workshop.service.history import HistoryOps
from workshop.service.importing import (
    parse_stakeholder_lines,
    read_brief_file,
    read_stakeholders_csv,
)


class WorkshopService(DraftingOps, ExportOps, HistoryOps):
    """One object per open database; the methods by subject live in service_*.py."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store
        self._playbook: Playbook | None = None
        self._conflicts = ConflictMemory()

    @classmethod
    def open(cls, db_path: Path | str | None = None) -> WorkshopService:
        return cls(SessionStore.open(db_path))

    @property
    def db_path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> WorkshopService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Sessions ---------------------------------------------------------------------

    def new_session(
        self,
        title: str | None = None,
        organisation: str | None = None,
        brief_file: Path | None = None,
        stakeholders_csv: Path | None = None,
    ) -> Session:
        """A new session from a title, a brief file, a stakeholder CSV, or all of them.

        Explicit title and organisation win over the file's.
        """
        fields: dict[str, Any] = {}
        people: list[StakeholderInput] = []
        if brief_file is not None:
            brief, people = read_brief_file(brief_file)
            fields = brief.model_dump()
        if title is not None:
            fields["title"] = title
        if organisation is not None:
            fields["organisation"] = organisation
        if "title" not in fields:
            raise WorkshopError("A new session needs a title: give --title or a brief file.")
        if stakeholders_csv is not None:
            people += read_stakeholders_csv(stakeholders_csv)
        return self.store.create_session(fields, people)

    def list_sessions(
        self, limit: int = 50, offset: int = 0, include_archived: bool = False
    ) -> list[SessionSummary]:
        return self.store.list_sessions(limit, offset, include_archived)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        return self.store.search(query, limit)

    def resolve(self, session_ref: str) -> str:
        return self.store.resolve_session_id(session_ref)

    def load(self, session_ref: str) -> SessionRecord:
        return self.store.load_session(self.resolve(session_ref))

    def update_brief(self, session_id: str, brief: Brief | dict[str, Any]) -> Session:
        return self.store.update_brief(session_id, brief)

    def set_stage(self, session_id: str, stage: Stage | str) -> Session:
        return self.store.set_stage(session_id, stage)

    # Stakeholders -----------------------------------------------------------------

    def add_stakeholder_lines(self, session_id: str, text: str) -> list[Stakeholder]:
        """Typed or pasted lines, one person each: 'Name, Role, Team, notes…'."""
        return self.store.add_stakeholders(session_id, parse_stakeholder_lines(text))

    def import_stakeholders(self, session_id: str, csv_path: Path) -> list[Stakeholder]:
        return self.store.add_stakeholders(session_id, read_stakeholders_csv(csv_path))

    def update_stakeholder(self, stakeholder_id: str, **changes: Any) -> Stakeholder:
        return self.store.update_stakeholder(stakeholder_id, **changes)

    def remove_stakeholder(self, stakeholder_id: str) -> None:
        self.store.remove_stakeholder(stakeholder_id)

    def move_stakeholder(self, stakeholder_id: str, offset: int) -> None:
        self.store.move_stakeholder(stakeholder_id, offset)

    def add_stakeholder(self, session_id: str, fields: dict[str, Any]) -> Stakeholder:
        return self.store.add_stakeholder(session_id, fields)

    def reorder_stakeholders(self, session_id: str, ordered_ids: list[str]) -> None:
        self.store.reorder_stakeholders(session_id, ordered_ids)

    # Items ------------------------------------------------------------------------

    def author(self, session_id: str) -> str:
        """Whom a person's change is recorded as: the facilitator, or this computer's user."""
        facilitator = self.store.get_session(session_id).facilitator
        if facilitator:
            return facilitator
        import getpass

        try:
            return getpass.getuser() or "facilitator"
        except (KeyError, OSError):
            return "facilitator"

    def write_item(
        self,
        session_id: str,
        kind: ItemKind | str,
        body: dict[str, Any],
        by: str,
        stakeholder_id: str | None = None,
    ) -> Item:
        """An item written by a person (not drafted by a model)."""
        return self.store.create_item(
            session_id, kind, body, Origin.PERSON, by, stakeholder_id=stakeholder_id
        )

    def get_item(self, item_id: str) -> Item:
        return self.store.get_item(item_id)

    def reopen(self, item_id: str, by: str, note: str = "") -> Item:
        return self.store.reopen_item(item_id, by, note)

    def revisions(self, item_id: str) -> list[Revision]:
        return self.store.revisions(item_id)

    def save_answer(
        self, session_id: str, stakeholder_id: str, question: str, answer: str, by: str
    ) -> Item:
        """Capture one answer live: the person's answers item is created or edited."""
        record = self.store.load_session(session_id)
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
            return self.write_item(
                session_id, ItemKind.ANSWERS, {"entries": entries}, by, stakeholder_id
            )
        return self.store.edit_item(current.id, {"entries": entries}, by)

    def approve(self, item_id: str, by: str, expected_version: int | None = None) -> Item:
        return self.store.approve_item(item_id, by, expected_version)

    def reject(self, item_id: str, by: str, note: str = "") -> Item:
        return self.store.reject_item(item_id, by, note)

    def edit(
        self, item_id: str, body: dict[str, Any], by: str, expected_version: int | None = None
    ) -> Item:
        """Save a person's edit. If someone saved the item since it was read, raise an
        EditConflict quoting their text; the same edit saved again goes in over it."""
        try:
            return self.store.edit_item(item_id, body, by, expected_version)
        except ConflictError as error:
            if self._conflicts.seen(item_id, expected_version, error.current_version):
                return self.store.edit_item(item_id, body, by, error.current_version)
            current = self.store.get_item(item_id)
            last = self.store.revisions(item_id)[-1]
            message = conflict_message(body, current, last.author, current.updated_at)
            raise EditConflict(message, current) from None

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
        current = self.cadence_for(self.store.load_session(session_id), segment)
        if current is None:
            return self.write_item(session_id, ItemKind.CADENCE, body, by)
        return self.store.edit_item(current.id, body, by, expected_version)

    # The agenda ---------------------------------------------------------------------

    def stage_times(self, session_id: str) -> dict[Stage, StageTime]:
        return self.store.stage_times(session_id)

    def add_stage_time(self, session_id: str, stage: Stage, seconds: float) -> None:
        self.store.add_stage_time(session_id, stage, seconds)

    def set_time_box(self, session_id: str, stage: Stage, minutes: int | None) -> None:
        self.store.set_time_box(session_id, stage, minutes)


__all__ = ["Usage", "WorkshopService", "write_private_file"]
