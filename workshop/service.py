"""The operations on a workshop, shared by the CLI and the TUI.

Front ends call this layer only; it calls the store (and, later, the drafting engine).
Keeping it the one door to the store means a shared backend could stand behind it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prompt_library import Playbook, Suggestion, load_library
from sessions import (
    Brief,
    Item,
    SearchHit,
    Session,
    SessionRecord,
    SessionStore,
    SessionSummary,
    Stage,
    Stakeholder,
    StakeholderInput,
)

from .drafting.config import ModelSettings, no_model_message, resolve_settings
from .drafting.faults import NoModelError
from .errors import WorkshopError
from .export_markdown import export_markdown
from .importing import parse_stakeholder_lines, read_brief_file, read_stakeholders_csv
from .outcome_checks import Finding, check_outcome


@dataclass(frozen=True)
class Usage:
    calls: int
    failed: int
    tokens_in: int
    tokens_out: int
    tokens_counted: int
    cost: float | None = None


class WorkshopService:
    def __init__(self, store: SessionStore) -> None:
        self.store = store
        self._playbook: Playbook | None = None

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

    # Items ------------------------------------------------------------------------

    def approve(self, item_id: str, by: str, expected_version: int | None = None) -> Item:
        return self.store.approve_item(item_id, by, expected_version)

    def reject(self, item_id: str, by: str, note: str = "") -> Item:
        return self.store.reject_item(item_id, by, note)

    def edit(
        self, item_id: str, body: dict[str, Any], by: str, expected_version: int | None = None
    ) -> Item:
        return self.store.edit_item(item_id, body, by, expected_version)

    # Drafting ---------------------------------------------------------------------

    def model_settings(
        self, profile: str | None = None, model: str | None = None, base_url: str | None = None
    ) -> ModelSettings | None:
        """The model to draft with, or None when none is configured."""
        return resolve_settings(profile, model, base_url)

    def drafter(
        self,
        profile: str | None = None,
        model: str | None = None,
        base_url: str | None = None,
        pseudonymise: bool = False,
    ):
        """A Drafter bound to this store; NoModelError says how to connect one if none is set."""
        settings = self.model_settings(profile, model, base_url)
        if settings is None:
            raise NoModelError(no_model_message())
        from .drafting_service import Drafter  # the engine pulls in tiktoken and openai

        return Drafter(self.store, settings, pseudonymise=pseudonymise)

    def record_llm_call(self, call) -> str:
        return self.store.record_llm_call(call)

    def usage(self, session_id: str, settings: ModelSettings | None = None) -> Usage:
        """Tokens so far, and their estimated cost at the given model's prices."""
        totals = self.store.usage(session_id)
        cost = None
        if settings is not None:
            from .drafting.tokens import estimate_cost

            cost = estimate_cost(
                totals["tokens_in"], totals["tokens_out"], settings.price_in, settings.price_out
            )
        return Usage(**totals, cost=cost)

    # The playbook without a model ---------------------------------------------------

    @property
    def playbook(self) -> Playbook:
        if self._playbook is None:
            self._playbook = load_library().playbook()
        return self._playbook

    def rule_suggestions(self, record: SessionRecord) -> dict[str, Suggestion]:
        """What the playbook's attribute rules say about each person, where they say anything."""
        suggestions = {}
        for person in record.stakeholders:
            suggestion = self.playbook.suggest_segment(
                person.influence.value if person.influence else None,
                person.stance.value if person.stance else None,
                person.involvement.value if person.involvement else None,
            )
            if suggestion is not None:
                suggestions[person.id] = suggestion
        return suggestions

    def outcome_findings(self, item: Item) -> list[Finding]:
        return check_outcome(item.body, self.playbook)

    # Export -----------------------------------------------------------------------

    def export_markdown(self, session_ref: str, include_drafts: bool = False) -> str:
        return export_markdown(self.load(session_ref), include_drafts)

    def render_markdown(self, record: SessionRecord, include_drafts: bool = False) -> str:
        """The export of an already loaded session (a preview needs no second load)."""
        return export_markdown(record, include_drafts)

    def write_export(
        self, session_ref: str, path: Path, include_drafts: bool = False, force: bool = False
    ) -> Path:
        """Write the Markdown to path, owner-readable only, never over a file unless forced."""
        session_id = self.resolve(session_ref)
        text = self.export_markdown(session_id, include_drafts)
        write_private_file(path, text, force)
        self.store.record_event(session_id, "exported", {"path": str(path)})
        return path


def write_private_file(path: Path, text: str, force: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise WorkshopError(f"{path} already exists; use --force to replace it.") from None
    except OSError as error:
        raise WorkshopError(f"Cannot write {path}: {error.strerror}.") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


__all__ = ["WorkshopService", "write_private_file"]
