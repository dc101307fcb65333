"""Noticing what other windows and the CLI commit, so a screen can redraw it.

The store's `data_version` moves only when another connection commits; a watch remembers
the last value it saw and says whether it moved since. Each front end keeps its own watch
(one per open app), so the one polling does not hide a change from another.
"""

from __future__ import annotations

from sessions import SessionStore


class LiveWatch:
    """`service.watch()`: `changed()` is True once per batch of commits made elsewhere."""

    def __init__(self, store: SessionStore) -> None:
        self._store = store
        self._seen = store.data_version()

    def changed(self) -> bool:
        now = self._store.data_version()
        moved, self._seen = now != self._seen, now
        return moved
