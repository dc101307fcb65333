"""When the request preview shows: once per session and kind, unless asked for again.

In front of the room the full prompt is developer text. A facilitator who has read what
one kind of draft sends in a session has decided about it; showing it on every later
draft of that kind only pushes the room's screen aside. What was seen is remembered for
this run of the app (a new run shows it once more); "show it before every draft" is a
preference, kept with the other remembered UI state.
"""

from __future__ import annotations

from collections.abc import Callable

from sessions import ItemKind


class PreviewMemory:
    def __init__(
        self, every_time: bool = False, persist: Callable[[bool], None] | None = None
    ) -> None:
        self._every_time = every_time
        self._persist = persist
        self._seen: set[tuple[str, ItemKind]] = set()
        self._asked: set[str] = set()  # sessions whose next draft shows it again
        self._labels: dict[str, bool] = {}

    @property
    def every_time(self) -> bool:
        return self._every_time

    def set_every_time(self, value: bool) -> None:
        if value != self._every_time:
            self._every_time = value
            if self._persist is not None:
                self._persist(value)

    def should_show(self, session_id: str, kind: ItemKind) -> bool:
        return self._every_time or session_id in self._asked or (session_id, kind) not in self._seen

    def ask(self, session_id: str) -> None:
        """The facilitator wants to see the next draft's request in this session."""
        self._asked.add(session_id)

    def sent(self, session_id: str, kind: ItemKind, pseudonymise: bool) -> None:
        """The preview was answered with Send: this kind goes straight out from now on."""
        self._seen.add((session_id, kind))
        self._asked.discard(session_id)
        self._labels[session_id] = pseudonymise

    def labels(self, session_id: str) -> bool:
        """Names replaced by labels, as last chosen for this session: a draft sent without
        the preview must not send names the facilitator chose to hide."""
        return self._labels.get(session_id, False)
