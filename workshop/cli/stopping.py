"""SIGTERM taken the way Ctrl+C is, in plain code and inside the event loop alike.

Raising from a signal handler can land anywhere, and inside asyncio that can be the
middle of its own bookkeeping (a selector half-registered), which then prints a
traceback. asyncio already takes Ctrl+C safely, by cancelling the main task; `run`
does the same for SIGTERM, so what was in flight is cancelled and logged as it is
for Ctrl+C, and only then is `Terminated` raised, outside the loop.
"""

from __future__ import annotations

import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Terminated(KeyboardInterrupt):
    """SIGTERM, taken the way Ctrl+C is: drafts in flight are cancelled and logged."""


def raise_terminated(signum: int, frame: object) -> None:
    """The SIGTERM handler outside the event loop."""
    raise Terminated


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, with SIGTERM cancelling the work the way Ctrl+C does."""
    import asyncio  # lazily: most commands never start a loop

    terminated = False

    async def guarded() -> T:
        nonlocal terminated
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None

        def stop() -> None:
            nonlocal terminated
            terminated = True
            task.cancel()

        loop.add_signal_handler(signal.SIGTERM, stop)
        try:
            return await coroutine
        finally:
            loop.remove_signal_handler(signal.SIGTERM)

    try:
        return asyncio.run(guarded())
    except asyncio.CancelledError:
        if terminated:
            raise Terminated from None
        raise
    finally:
        # remove_signal_handler put the default back; outside the loop SIGTERM raises.
        signal.signal(signal.SIGTERM, raise_terminated)
