"""Impact updates per segment (what each one hears, on its cadence) and what is due."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sessions import Item, ItemKind, Origin, SessionRecord, SessionStore, Status
from workshop.errors import WorkshopError
from workshop.rules.cadence_due import DueUpdate, next_due
from workshop.rules.file_names import title_slug
from workshop.rules.impact_update import template_update
from workshop.service.files import write_private_file
from workshop.service.method import MethodOps
from workshop.service.progress import ProgressOps
from workshop.service.sessions import SessionOps

TEMPLATE_AUTHOR = "template"
DUE_SCAN = 500  # sessions looked at by `due`, newest first


class UpdateOps:
    """`service.updates`."""

    def __init__(
        self,
        store: SessionStore,
        sessions: SessionOps,
        method: MethodOps,
        progress: ProgressOps,
    ) -> None:
        self._store = store
        self._sessions = sessions
        self._method = method
        self._progress = progress

    def segment_id(self, text: str) -> str:
        """A segment named by its id or its name, as people type it."""
        wanted = " ".join(text.replace("_", " ").casefold().split())
        for segment in self._method.playbook.segments:
            if wanted in (segment.id.replace("_", " "), segment.name.casefold()):
                return segment.id
        names = ", ".join(s.id for s in self._method.playbook.segments)
        raise WorkshopError(f"No segment called {text!r}; one of: {names}.")

    def facts(self, session_ref: str, period: str, today: date | None = None) -> dict[str, str]:
        """The template update: a headline and text holding only what was recorded."""
        today = today or date.today()
        session_id = self._sessions.resolve(session_ref)
        return template_update(
            period,
            self._progress.progress(session_id, today),
            self._progress.plan(session_id, today),
            today,
        )

    def write_template(
        self, session_ref: str, segment: str, period: str | None = None, today: date | None = None
    ) -> Item:
        """A draft update for the segment from what was recorded, without a model."""
        today = today or date.today()
        session_id = self._sessions.resolve(session_ref)
        segment_id = self.segment_id(segment)
        body = self.facts(session_id, period or today.strftime("%B %Y"), today)
        return self._store.create_item(
            session_id,
            ItemKind.IMPACT_UPDATE,
            body | {"segment": segment_id},
            Origin.PERSON,
            TEMPLATE_AUTHOR,
        )

    def terms(self, segment: str) -> str:
        """What the segment cares to hear (the playbook's words), to edit the update by."""
        return self._method.playbook.segment(self.segment_id(segment)).update_terms

    def markdown(self, item: Item) -> str:
        """The update as it is sent: Markdown, no ids, nothing about the app."""
        body = item.body
        name = self._method.playbook.segment(str(body["segment"])).name
        return f"# {body['headline']}\n\n_For {name} · {body['period']}_\n\n{body['text']}\n"

    def due(self, today: date | None = None) -> list[DueUpdate]:
        """For every session with an approved cadence: each segment's next update."""
        today = today or date.today()
        found = [
            due
            for summary in self._store.list_sessions(limit=DUE_SCAN)
            for due in _due_in(self._store.load_session(summary.id), today)
        ]
        return sorted(found, key=lambda d: (d.due or date.max, d.session_title, d.segment))

    def due_in(self, session_ref: str, today: date | None = None) -> list[DueUpdate]:
        """This session's segments on the cadence, each with its next update."""
        record = self._sessions.load(session_ref)
        return _due_in(record, today or date.today())

    def file_name(self, item: Item) -> str:
        """Where an update is offered to be written: session, segment and period."""
        title = self._sessions.get(item.session_id).title
        return f"{title_slug(title)}-update-{title_slug(str(item.body['segment']))}-" + (
            f"{title_slug(str(item.body.get('period') or 'now'))}.md"
        )

    def write(self, item: Item, path: Path, force: bool = False) -> Path:
        """The update as it is sent, in a file only its owner can read."""
        write_private_file(path, self.markdown(item), force)
        self._store.record_event(
            item.session_id, "update_written", {"path": str(path), "item_id": item.id}
        )
        return path


def _due_in(record: SessionRecord, today: date) -> list[DueUpdate]:
    cadences = [i for i in record.items_of(ItemKind.CADENCE) if i.status is Status.APPROVED]
    if not cadences:
        return []
    start = record.session.workshop_date or date.fromisoformat(record.session.created_at[:10])
    sent = _last_approved(record.items_of(ItemKind.IMPACT_UPDATE))
    found = []
    for cadence in _latest_per_segment(cadences):
        segment = str(cadence.body["segment"])
        frequency = str(cadence.body.get("frequency") or "")
        found.append(
            DueUpdate(
                session_id=record.session.id,
                session_title=record.session.title,
                segment=segment,
                report=str(cadence.body.get("report") or ""),
                frequency=frequency,
                last=sent.get(segment),
                due=next_due(start, sent.get(segment), frequency),
                today=today,
            )
        )
    return found


def _latest_per_segment(items: list[Item]) -> list[Item]:
    latest: dict[str, Item] = {}
    for item in sorted(items, key=lambda i: i.approved_at or ""):
        latest[str(item.body.get("segment"))] = item
    return list(latest.values())


def _last_approved(updates: list[Item]) -> dict[str, date]:
    last: dict[str, date] = {}
    for item in updates:
        if item.status is Status.APPROVED and item.approved_at:
            day = date.fromisoformat(item.approved_at[:10])
            segment = str(item.body.get("segment"))
            last[segment] = max(day, last.get(segment, day))
    return last
