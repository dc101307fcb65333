"""How many drafts are in flight at once, and fewer when the server cannot take them.

A one-slot local server (llama-cpp-python by default) cuts the stream in flight when a
new request arrives; others queue or answer 503. Drafting starts at the profile's number
(or DEFAULT), and the first answer cut while others were in flight drops it to one: the
cut draft goes back in the queue instead of failing.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

DEFAULT = 8


class Slots:
    def __init__(self, limit: int, adaptive: bool) -> None:
        self.limit = max(1, limit)
        self.adaptive = adaptive
        self.in_flight = 0
        self.started = 0  # drafts given a slot so far: who else ran during mine
        self._changed = asyncio.Condition()

    async def __aenter__(self) -> Slots:
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < self.limit)
            self.in_flight += 1
            self.started += 1
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        async with self._changed:
            self.in_flight -= 1
            self._changed.notify_all()

    def crowded(self) -> bool:
        """Whether another draft is in flight besides the one asking."""
        return self.in_flight > 1

    def shrink(self) -> bool:
        """Down to one at a time; False when the number is fixed or already one."""
        if not self.adaptive or self.limit == 1:
            return False
        self.limit = 1
        return True
