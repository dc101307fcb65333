"""The operations on a workshop, shared by the CLI and the TUI.

Front ends call this layer only; it calls the store (and, later, the drafting engine).
Keeping it the one door to the store means a shared backend could stand behind it.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from prompt_library import Playbook, PromptLibrary, Suggestion, load_library
from sessions import (
    Brief,
    Item,
    ItemKind,
    NotFoundError,
    Origin,
    Revision,
    SearchHit,
    Segment,
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

from .compare import Change, compare_sessions
from .drafting.config import ModelSettings, no_model_message, resolve_settings
from .drafting.faults import NoModelError
from .errors import WorkshopError
from .export_markdown import ExportData, ModelCall, SegmentInfo, export_markdown
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
        return self.store.edit_item(item_id, body, by, expected_version)

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

    def rule_suggestion(self, person: Stakeholder) -> Suggestion | None:
        """What the playbook's attribute rules say about one person (None: nothing)."""
        return self.playbook.suggest_segment(
            person.influence.value if person.influence else None,
            person.stance.value if person.stance else None,
            person.involvement.value if person.involvement else None,
        )

    def outcome_findings(self, item: Item) -> list[Finding]:
        return check_outcome(item.body, self.playbook)

    def check_outcome_body(self, body: dict[str, Any]) -> list[Finding]:
        """The outcome checks on a statement still being typed (no item needed)."""
        return check_outcome(body, self.playbook)

    @property
    def library(self) -> PromptLibrary:
        if getattr(self, "_library", None) is None:
            self._library = load_library()
        return self._library

    def people_by_segment(self, record: SessionRecord) -> dict[Segment, list[Stakeholder]]:
        """Who sits in each segment: by the approved assignment, else the newest draft.

        The same rule the discussion-guide prompts use (JobBuilder.people_in).
        """
        from .drafting.jobs import JobBuilder  # no openai or tiktoken behind it

        builder = JobBuilder(record, self.library, self.playbook)
        return {segment: builder.people_in(segment) for segment in Segment}

    # Export -----------------------------------------------------------------------

    def export_markdown(self, session_ref: str, include_drafts: bool = False) -> str:
        return self.render_markdown(self.load(session_ref), include_drafts)

    def render_markdown(self, record: SessionRecord, include_drafts: bool = False) -> str:
        """The export of an already loaded session (a preview needs no second load)."""
        return export_markdown(self.export_data(record), include_drafts)

    def export_data(self, record: SessionRecord, changes: list[Change] | None = None) -> ExportData:
        """What the export needs besides the record: each item's revisions, the model
        calls (with the version of the template each used, where the library still has
        it), the playbook's segment names and topics, the parent's title, the changes."""
        session_id = record.session.id
        revisions: dict[str, list[Revision]] = {}
        for item in record.items:
            with contextlib.suppress(NotFoundError):
                revisions[item.id] = self.store.revisions(item.id)
        versions = {t.content_hash: t.version for t in self.library.templates()}
        calls = {
            row["id"]: ModelCall(
                model=row["model"],
                template_id=row["template_id"],
                template_version=versions.get(row["template_hash"]),
                template_hash=row["template_hash"],
                ok=row["status"] == "ok",
            )
            for row in self.store.llm_calls(session_id)
        }
        parent_title = None
        if record.session.parent_id:
            with contextlib.suppress(NotFoundError):
                parent_title = self.store.get_session(record.session.parent_id).title
                if changes is None:  # a follow-up's export says what changed since
                    changes = self.changes_since_parent(session_id)
        return ExportData(
            record=record,
            revisions=revisions,
            calls=calls,
            segments=[SegmentInfo(s.id, s.name, s.definition) for s in self.playbook.segments],
            topics={t.id: t.title for t in self.playbook.topics},
            parent_title=parent_title,
            changes=list(changes or []),
        )

    def write_export(
        self, session_ref: str, path: Path, include_drafts: bool = False, force: bool = False
    ) -> Path:
        """Write the Markdown to path, owner-readable only, never over a file unless forced."""
        session_id = self.resolve(session_ref)
        text = self.export_markdown(session_id, include_drafts)
        write_private_file(path, text, force)
        self.store.record_event(session_id, "exported", {"path": str(path)})
        return path

    # Past sessions: follow-ups, what changed, moving sessions, archive ---------------

    def get_session(self, session_ref: str) -> Session:
        """One session's brief and state, without its people and items."""
        return self.store.get_session(self.resolve(session_ref))

    def follow_up(self, session_id: str, title: str | None = None) -> Session:
        """Start the next workshop from a past one (sessions/follow_up.py says what it carries)."""
        parent_id = self.resolve(session_id)
        return self.store.follow_up(parent_id, title, by=self.author(parent_id))

    def compare(self, a_ref: str, b_ref: str) -> list[Change]:
        """What changed from session a (earlier) to session b (later)."""
        a_id, b_id = self.resolve(a_ref), self.resolve(b_ref)
        return compare_sessions(
            self.store.load_session(a_id),
            self.store.load_session(b_id),
            links=self.store.carried_links(b_id, a_id),
            notes=self.store.revision_notes(b_id),
        )

    def changes_since_parent(self, session_id: str) -> list[Change]:
        """What changed since the session this one follows up; empty when it has none."""
        session = self.get_session(session_id)
        if session.parent_id is None:
            return []
        return self.compare(session.parent_id, session.id)

    def dump(self, session_ref: str) -> dict[str, Any]:
        """The whole session as a JSON-ready document (see sessions/transfer.py)."""
        return self.store.dump_session(self.resolve(session_ref))

    def dump_text(self, session_ref: str) -> str:
        from sessions.transfer import dump_text

        return dump_text(self.dump(session_ref))

    def write_dump(self, session_ref: str, path: Path, force: bool = False) -> Path:
        """Write the dump to path, owner-readable only, never over a file unless forced."""
        write_private_file(path, self.dump_text(session_ref), force)
        return path

    def read_dump(self, path: Path) -> dict[str, Any]:
        from sessions.transfer import parse_dump

        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise WorkshopError(f"{path}: no such file.") from None
        except UnicodeDecodeError:
            raise WorkshopError(f"{path} is not a session dump: not UTF-8 text.") from None
        except OSError as error:
            raise WorkshopError(f"Cannot read {path}: {error.strerror}.") from None
        return parse_dump(text, str(path))

    def load_dump(self, data: dict[str, Any], as_copy: bool = False) -> Session:
        """Load a dumped session: the same ids (refused if taken), or new ones with as_copy."""
        return self.store.load_session_dump(data, as_copy)

    def archive(self, session_ref: str) -> Session:
        return self.store.set_archived(self.resolve(session_ref), True)

    def unarchive(self, session_ref: str) -> Session:
        return self.store.set_archived(self.resolve(session_ref), False)

    def deletion_summary(self, session_ref: str) -> tuple[Session, dict[str, int]]:
        """The session and what deleting it would delete (see SessionStore.session_counts)."""
        session_id = self.resolve(session_ref)
        return self.store.get_session(session_id), self.store.session_counts(session_id)

    def delete(self, session_ref: str) -> None:
        self.store.delete_session(self.resolve(session_ref))

    def list_filtered(
        self,
        limit: int = 50,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SessionSummary]:
        return self.store.list_sessions_filtered(
            limit, 0, include_archived, status=status, since=since, until=until
        )

    def search_filtered(
        self,
        query: str,
        limit: int = 50,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SearchHit]:
        return self.store.search_filtered(
            query, limit, include_archived, status=status, since=since, until=until
        )


def write_private_file(path: Path, text: str, force: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise WorkshopError(f"{path} already exists; use --force to replace it.") from None
    except OSError as error:
        raise WorkshopError(f"Cannot write {path}: {error.strerror}.") from None
    # A replaced file would keep its old mode otherwise; some file systems have no modes.
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


__all__ = ["WorkshopService", "write_private_file"]
