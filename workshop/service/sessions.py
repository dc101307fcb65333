"""Sessions as a whole: creating them from files, finding, loading, archiving, the agenda."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sessions import (
    Brief,
    SearchHit,
    Session,
    SessionRecord,
    SessionStore,
    SessionSummary,
    Stage,
    StageTime,
    StakeholderInput,
)
from sessions.errors import describe_validation
from workshop.errors import WorkshopError
from workshop.service.importing import read_brief_file, read_stakeholders_csv

# The brief's fields that hold lists: set from text as `;`-separated values.
BRIEF_LIST_FIELDS = ("participants", "priorities")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class SessionOps:
    """`service.sessions`. A session is named by its id or an unambiguous start of one."""

    # The store's own operations, offered as they are: the service adds nothing to them.
    list: Callable[..., list[SessionSummary]]
    search: Callable[..., list[SearchHit]]
    update_brief: Callable[[str, Brief | dict[str, Any]], Session]
    set_stage: Callable[[str, Stage | str], Session]
    stage_times: Callable[[str], dict[Stage, StageTime]]
    add_stage_time: Callable[[str, Stage, float], None]
    set_time_box: Callable[[str, Stage, int | None], None]

    def __init__(self, store: SessionStore) -> None:
        self._store = store
        self.list = store.list_sessions
        self.search = store.search
        self.update_brief = store.update_brief
        self.set_stage = store.set_stage
        self.stage_times = store.stage_times
        self.add_stage_time = store.add_stage_time
        self.set_time_box = store.set_time_box

    def new(
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
        return self._store.create_session(fields, people)

    def set_brief_fields(
        self, session_ref: str, changes: Mapping[str, str]
    ) -> tuple[Session, list[str]]:
        """Set fields of the brief from text, as typed on a command line: all or none.

        List fields take `;`-separated values; an empty value clears a field (a date too).
        Returns the session and the names of the fields whose value changed.
        """
        session = self.get(session_ref)
        fields = brief_fields()
        merged = session.brief.model_dump()
        for name, text in changes.items():
            if name not in fields:
                raise WorkshopError(
                    f"Unknown brief field {name!r}; the fields are: {', '.join(fields)}."
                )
            merged[name] = brief_value(name, text)
        try:
            brief = Brief.model_validate(merged)
        except ValidationError as error:
            raise WorkshopError(
                f"{describe_validation(error)}; nothing was changed "
                f"(the fields are: {', '.join(fields)})."
            ) from None
        changed = [n for n in fields if getattr(brief, n) != getattr(session.brief, n)]
        if not changed:
            return session, []
        return self._store.update_brief(session.id, brief), changed

    def resolve(self, session_ref: str) -> str:
        return self._store.resolve_session_id(session_ref)

    def load(self, session_ref: str) -> SessionRecord:
        return self._store.load_session(self.resolve(session_ref))

    def exists(self, session_id: str) -> bool:
        """False once the session was deleted (another window, the CLI)."""
        return self._store.session_exists(session_id)

    def get(self, session_ref: str) -> Session:
        """One session's brief and state, without its people and items."""
        return self._store.get_session(self.resolve(session_ref))

    def archive(self, session_ref: str) -> Session:
        return self._store.set_archived(self.resolve(session_ref), True)

    def unarchive(self, session_ref: str) -> Session:
        return self._store.set_archived(self.resolve(session_ref), False)

    def deletion_summary(self, session_ref: str) -> tuple[Session, dict[str, int]]:
        """The session and what deleting it would delete (see SessionStore.session_counts)."""
        session_id = self.resolve(session_ref)
        return self._store.get_session(session_id), self._store.session_counts(session_id)

    def delete(self, session_ref: str) -> None:
        self._store.delete_session(self.resolve(session_ref))

    def list_filtered(
        self,
        limit: int = 50,
        include_archived: bool = False,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[SessionSummary]:
        return self._store.list_sessions_filtered(
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
        return self._store.search_filtered(
            query, limit, include_archived, status=status, since=since, until=until
        )


def brief_fields() -> list[str]:
    """The brief's fields, in the order the brief shows them."""
    return list(Brief.model_fields)


def brief_value(name: str, text: str) -> Any:
    """A brief field's value from a line of text (validated later, with the whole brief)."""
    if name in BRIEF_LIST_FIELDS:
        return [part.strip() for part in text.split(";") if part.strip()]
    if name == "workshop_date":
        text = text.strip()
        if not text:
            return None
        try:
            if _ISO_DAY.fullmatch(text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise WorkshopError(
            f"workshop_date: {text!r} is not a day; give it as YYYY-MM-DD "
            "(or nothing, to clear it); nothing was changed."
        )
    return text
