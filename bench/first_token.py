"""First streamed token on screen: from the server sending it to the card showing it.

The server runs in this process, so its send times and the app's clock are the same
`time.monotonic()`. A card counts as showing the token once its content says it is
streaming; the terminal paints it at the next frame, which this headless run cannot see.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from pathlib import Path

from common import median
from support.llm_server import LLMServer

from sessions import SessionStore


async def _run(db: Path, session_id: str, people: int) -> dict[str, float]:
    from workshop.service.facade import WorkshopService
    from workshop.tui.app import WorkshopApp
    from workshop.tui.dialogs.request_preview import RequestPreviewDialog
    from workshop.tui.screens.workshop_screen import WorkshopScreen
    from workshop.tui.widgets.assignment_card import AssignmentCard

    seen: dict[str, float] = {}
    app = WorkshopApp(WorkshopService.open(db), remember=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.push_screen(WorkshopScreen(app.service, session_id))
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("d")
        while not isinstance(app.screen, RequestPreviewDialog):
            await asyncio.sleep(0.005)
        await pilot.pause()  # let the dialog finish mounting before it is answered
        # Not awaited: Pilot's press waits for the app to go idle, which it does not while
        # drafts stream in, and the watching below must start at once.
        pressing = asyncio.create_task(pilot.press("enter"))
        deadline = time.monotonic() + 60
        while len(seen) < people and time.monotonic() < deadline:
            for card in app.screen.query(AssignmentCard):
                if card.person.name not in seen and "… streaming" in str(card.render()):
                    seen[card.person.name] = time.monotonic()
            await asyncio.sleep(0.001)
        await pressing
        await app.workers.wait_for_complete()
    return seen


def measure(people: int = 5, latency: float = 0.5, token_rate: float = 50) -> dict[str, float]:
    with (
        LLMServer(latency=latency, token_rate=token_rate) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        os.environ.update(
            {
                "OPENAI_BASE_URL": server.base_url,
                "WORKSHOP_MODEL": "test-model",
                "OPENAI_API_KEY": "bench",
                "XDG_CACHE_HOME": tmp,
                "XDG_CONFIG_HOME": tmp,
                "HOME": tmp,
            }
        )
        db = Path(tmp) / "first.db"
        with SessionStore.open(db) as store:
            session_id = store.create_session(
                {"title": "Bench"}, [{"name": f"Person {i:02d}"} for i in range(people)]
            ).id
        seen = asyncio.run(_run(db, session_id, people))
        delays = []
        for request in server.chat_requests:
            match = re.search(r"name: (Person \d+)", request.messages_text)
            if match and match.group(1) in seen and len(request.chunk_times) > 1:
                delays.append((seen[match.group(1)] - request.chunk_times[1]) * 1000)
    if not delays:
        raise RuntimeError("no streamed token was seen on screen")
    return {
        f"first token on screen after its arrival (ms, median of {len(delays)})": median(delays),
        "… worst of them (ms)": max(delays),
    }
