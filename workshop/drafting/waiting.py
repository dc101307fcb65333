"""While drafts are out and the endpoint says nothing: what the wait is for and how long
it can last, said by the CLI on stderr and by the app in a toast."""

from __future__ import annotations

import time

from workshop.drafting.config import ModelSettings
from workshop.drafting.engine import Progress
from workshop.drafting.placing import PLACED

SILENCE_SECONDS = 15.0  # without a word from the endpoint before the wait is explained
_ENDED = ("done", "failed", "cancelled", "queued", PLACED)


class WaitWatch:
    """Fed every progress event; says, once per stretch of silence, what is awaited."""

    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings
        self.every = min(SILENCE_SECONDS, max(1.0, settings.timeout / 4))
        self.out: dict[str, float] = {}  # drafts sent and not ended: when they were sent
        self.last_word = time.monotonic()

    def heard(self, event: Progress) -> None:
        self.last_word = time.monotonic()
        if event.state in _ENDED:
            self.out.pop(event.key, None)
        else:
            self.out.setdefault(event.key, self.last_word)

    def due(self) -> str | None:
        """The sentence to say now, or None (drafts answering, or said a moment ago)."""
        now = time.monotonic()
        if not self.out or now - self.last_word < self.every:
            return None
        self.last_word = now
        longest = round(now - min(self.out.values()))
        tries = self.settings.max_retries
        again = f" and is then tried {_times(tries)} more" if tries else ""
        drafts = "1 draft" if len(self.out) == 1 else f"{len(self.out)} drafts"
        return (
            f"Still waiting for {self.settings.endpoint_host} ({drafts} out, the oldest sent "
            f"{longest} s ago, no answer yet). A request gives up after "
            f"{self.settings.timeout:g} s{again}; the profile's timeout sets it."
        )


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"
