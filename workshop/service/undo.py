"""Undo and redo of the changes made through this service (one app window, one journal).

Every step is undone forward: the item or person is brought back to how it was by a new
change (an edit, an approval, a rejection, a reopening, an attribute set back), so the
revision history stays append-only and the undo itself can be read in it ("undone").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sessions import Item, SessionStore, Stakeholder, Status
from workshop.errors import WorkshopError

if TYPE_CHECKING:
    from sessions.store_people import RemovedStakeholder

UNDO_NOTE = "undone"
REDO_NOTE = "redone"
DEPTH = 200  # steps kept; a morning's work


@dataclass(frozen=True)
class ItemState:
    body: dict[str, Any]
    status: Status

    @classmethod
    def of(cls, item: Item) -> ItemState:
        return cls(dict(item.body), item.status)


@dataclass
class Step:
    what: str  # e.g. 'the approval of "More repeat customers"'
    undo: Callable[[], None]
    redo: Callable[[], None]


class UndoJournal:
    """`service.undo`: what this window changed, newest last, and what was undone."""

    def __init__(self, store: SessionStore) -> None:
        self._store = store
        self._done: list[Step] = []
        self._undone: list[Step] = []

    # Recording ----------------------------------------------------------------------------

    def item_changed(
        self, what: str, before: Item, after: Item, by: str, person: str | None = None
    ) -> None:
        old, new = ItemState.of(before), ItemState.of(after)
        if old == new:
            return
        self._push(
            Step(
                f"{what} of {describe(after, person)}",
                lambda: self._restore(after.id, old, by, UNDO_NOTE),
                lambda: self._restore(after.id, new, by, REDO_NOTE),
            )
        )

    def person_changed(self, before: Stakeholder, changes: dict[str, Any]) -> None:
        old = {field: getattr(before, field) for field in changes}
        if old == changes:
            return
        fields = " and ".join(sorted(changes))
        self._push(
            Step(
                f"{before.name}'s {fields}",
                lambda: self._store.update_stakeholder(before.id, **old),
                lambda: self._store.update_stakeholder(before.id, **changes),
            )
        )

    def person_moved(self, person: Stakeholder, offset: int) -> None:
        self._push(
            Step(
                f"moving {person.name}",
                lambda: self._store.move_stakeholder(person.id, -offset),
                lambda: self._store.move_stakeholder(person.id, offset),
            )
        )

    def person_removed(self, removed: RemovedStakeholder) -> None:
        person_id = removed.rows["stakeholders"][0]["id"]
        self._push(
            Step(
                f"removing {removed.name}",
                lambda: self._store.restore_stakeholder(removed),
                lambda: self._store.remove_stakeholder(person_id),
            )
        )

    def _push(self, step: Step) -> None:
        self._done = [*self._done, step][-DEPTH:]
        self._undone.clear()

    # Undoing ------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo(self) -> str:
        """Undo the newest change; returns what was undone, in a line."""
        if not self._done:
            raise WorkshopError("Nothing to undo in this window yet.")
        step = self._done[-1]
        step.undo()  # a refusal (a full disk, an item gone) leaves the journal as it was
        self._undone.append(self._done.pop())
        return f"Undone: {step.what}. Ctrl+Y redoes it."

    def redo(self) -> str:
        if not self._undone:
            raise WorkshopError("Nothing to redo.")
        step = self._undone[-1]
        step.redo()
        self._done.append(self._undone.pop())
        return f"Redone: {step.what}."

    def _restore(self, item_id: str, state: ItemState, by: str, note: str) -> None:
        item = self._store.get_item(item_id)
        if item.body != state.body:
            item = self._store.edit_item(item_id, state.body, by, note=note)
        if item.status is state.status:
            return
        if state.status is Status.APPROVED:
            self._store.approve_item(item_id, by)
        elif state.status is Status.REJECTED:
            self._store.reject_item(item_id, by, note)
        else:
            self._store.reopen_item(item_id, by, note)


def describe(item: Item, person: str | None = None) -> str:
    """An item as the room knows it: its person or headline words, never its id."""
    kind = item.kind.value.replace("_", " ")
    if person:
        return f"{person}'s {'placement' if kind == 'segmentation' else kind}"
    body = item.body
    for key in ("result", "title", "headline", "report", "segment"):
        if body.get(key):
            text = str(body[key])
            return f'"{text[:60]}…"' if len(text) > 60 else f'"{text}"'
    return f"the {kind}"
