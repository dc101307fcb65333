"""What every stage pane shares: the service, the session, and how it reports saving.

A pane calls the service (which commits before returning) and only then posts `Saved`;
a failure posts `SaveFailed` and leaves what the person typed on screen to retry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.containers import Vertical
from textual.message import Message

from sessions import Item, NotFoundError, SessionRecord, StoreError
from workshop.errors import WorkshopError
from workshop.service.facade import WorkshopService

T = TypeVar("T")


class Saved(Message):
    """Something was committed to the database."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what


class SaveFailed(Message):
    """A save was refused; the message says why, and the edit is still on screen."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class SessionGone(Message):
    """What the pane shows is no longer in the database (deleted in another window)."""


class SessionChanged(Message):
    """The session changed in a way other panes should reload for."""


class StagePane(Vertical):
    """Base of the stage panes. Subclasses implement `reload()` from the database."""

    def __init__(self, service: WorkshopService, session_id: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.service = service
        self.session_id = session_id

    @property
    def author(self) -> str:
        """Who a person's change is recorded as: the session's facilitator."""
        return self.service.items.author(self.session_id)

    def load(self) -> SessionRecord:
        return self.service.sessions.load(self.session_id)

    @property
    def shown(self) -> bool:
        """On screen: this pane's tab is the active one."""
        return bool(self.display and self.parent is not None and self.parent.display)

    def reload_if_shown(self) -> None:
        """Panes draw once they are shown, not while the screen is first composed."""
        if self.shown:
            self.reload()

    def reload(self) -> None:
        """Redraw from the database (after another pane or a worker changed it). A session
        deleted elsewhere is told to the screen, which goes home, instead of raised."""
        try:
            self.redraw()
        except NotFoundError:
            self.post_message(SessionGone())

    def redraw(self) -> None:
        """Each pane draws itself from the database here."""

    def save(self, what: str, action: Callable[[], T], announce: bool = True) -> T | None:
        """Run one write through the service; report 'saved' only once it is committed."""
        try:
            result = action()
        except (StoreError, WorkshopError) as error:
            self.post_message(SaveFailed(str(error)))
            return None
        self.post_message(Saved(what))
        if announce:
            self.post_message(SessionChanged())
        return result

    def approve_item(self, item: Item) -> None:
        """Approve as the facilitator (refused if someone changed it since), then redraw."""
        self.save(
            "approval", lambda: self.service.items.approve(item.id, self.author, item.version)
        )
        self.reload()

    def reject_item(self, item: Item) -> None:
        self.save("rejection", lambda: self.service.items.reject(item.id, self.author))
        self.reload()
