"""The service's export: the Markdown document and writing it to a file."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sessions import (
    NotFoundError,
    Revision,
    SessionRecord,
    SessionStore,
)
from workshop.export.markdown import ExportData, ModelCall, SegmentInfo, export_markdown
from workshop.rules.compare import Change
from workshop.service.files import write_private_file


class ExportOps:
    """Export operations of WorkshopService (needs `self.store`)."""

    store: SessionStore

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
