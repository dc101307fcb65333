"""The service's export: the Markdown document, for the team or for leadership, and
writing it to a file."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

from sessions import (
    Item,
    ItemKind,
    NotFoundError,
    Revision,
    SessionRecord,
    SessionStore,
)
from workshop.errors import WorkshopError
from workshop.export.markdown import (
    Audience,
    ExportData,
    ModelCall,
    SegmentInfo,
    export_markdown,
)
from workshop.rules.compare import Change
from workshop.rules.draft_flags import DraftFlag
from workshop.rules.file_names import export_file_name
from workshop.service.files import write_private_file
from workshop.service.history import HistoryOps
from workshop.service.method import MethodOps
from workshop.service.sessions import SessionOps


class ExportOps:
    """`service.export`: the Markdown document, and writing it to a file."""

    def __init__(
        self, store: SessionStore, sessions: SessionOps, method: MethodOps, history: HistoryOps
    ) -> None:
        self._store = store
        self._sessions = sessions
        self._method = method
        self._history = history

    def file_name(self, session_ref: str, audience: Audience | str = Audience.TEAM) -> str:
        """The file an export is offered to be written to, named after the title (and
        marked as leadership's when it is)."""
        name = export_file_name(self._sessions.get(session_ref).title)
        if _audience(audience) is Audience.LEADERSHIP:
            name = name.removesuffix(".md") + "-leadership.md"
        return name

    def markdown(
        self,
        session_ref: str,
        include_drafts: bool = False,
        audience: Audience | str = Audience.TEAM,
    ) -> str:
        return self.render(self._sessions.load(session_ref), include_drafts, audience)

    def render(
        self,
        record: SessionRecord,
        include_drafts: bool = False,
        audience: Audience | str = Audience.TEAM,
    ) -> str:
        """The export of an already loaded session (a preview needs no second load)."""
        audience = _audience(audience)
        if audience is Audience.LEADERSHIP and include_drafts:
            raise WorkshopError(
                "A leadership export holds approved items only; leave out the drafts, "
                "or export for the team."
            )
        return export_markdown(self.data(record), include_drafts, audience)

    def data(self, record: SessionRecord, changes: list[Change] | None = None) -> ExportData:
        """What the export needs besides the record: each item's revisions, the model
        calls (with the version of the template each used, where the library still has
        it), the playbook's segment names and topics, the parent's title, the changes."""
        session_id = record.session.id
        revisions: dict[str, list[Revision]] = {}
        for item in record.items:
            with contextlib.suppress(NotFoundError):
                revisions[item.id] = self._store.revisions(item.id)
        versions = {t.content_hash: t.version for t in self._method.library.templates()}
        calls = {
            row["id"]: ModelCall(
                model=row["model"],
                template_id=row["template_id"],
                template_version=versions.get(row["template_hash"]),
                template_hash=row["template_hash"],
                ok=row["status"] == "ok",
            )
            for row in self._store.llm_calls(session_id)
        }
        flags = self._method.draft_flags(record)
        parent_title = None
        if record.session.parent_id:
            with contextlib.suppress(NotFoundError):
                parent_title = self._store.get_session(record.session.parent_id).title
                if changes is None:  # a follow-up's export says what changed since
                    changes = self._history.changes_since_parent(session_id)
        return ExportData(
            record=record,
            revisions=revisions,
            calls=calls,
            segments=[
                SegmentInfo(s.id, s.name, s.definition) for s in self._method.playbook.segments
            ],
            topics={t.id: t.title for t in self._method.playbook.topics},
            parent_title=parent_title,
            changes=list(changes or []),
            flags=flags,
            measurements=self._store.measurements(session_id),
            failing={
                item.id: failing
                for item in record.items_of(ItemKind.OUTCOME)
                if (failing := self._failing(item, flags))
            },
        )

    def _failing(self, outcome: Item, flags: Mapping[str, DraftFlag]) -> list[str]:
        """The checks an outcome fails, in the words its card uses."""
        return [f.label for f in self._method.outcome_findings(outcome, flags) if not f.ok]

    def write(
        self,
        session_ref: str,
        path: Path,
        include_drafts: bool = False,
        force: bool = False,
        audience: Audience | str = Audience.TEAM,
    ) -> Path:
        """Write the Markdown to path, owner-readable only, never over a file unless forced."""
        session_id = self._sessions.resolve(session_ref)
        audience = _audience(audience)
        text = self.markdown(session_id, include_drafts, audience)
        write_private_file(path, text, force)
        self._store.record_event(
            session_id, "exported", {"path": str(path), "audience": audience.value}
        )
        return path


def _audience(value: Audience | str) -> Audience:
    try:
        return Audience(value)
    except ValueError:
        names = " or ".join(a.value for a in Audience)
        raise WorkshopError(f"{value!r} is not an audience; export for {names}.") from None
