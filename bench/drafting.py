"""Drafting overhead: the app's engine against the bare openai client, same server, same load.

The server (tests/support/llm_server.py) runs on 127.0.0.1 with a fixed latency and token rate;
the engine drafts N stakeholders at concurrency N, then the same N requests go through
`openai.AsyncOpenAI` directly. A third figure is one request alone, to show parallelism.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from common import median
from support.llm_server import LLMServer

from sessions import ItemKind, SessionStore
from workshop.service.facade import WorkshopService


def _session(store: SessionStore, people: int) -> str:
    return store.create_session(
        {"title": "Bench", "priorities": ["Grow EU pipeline"]},
        [
            {"name": f"Person {i:02d}", "role": "Lead", "notes": "Keen on numbers."}
            for i in range(people)
        ],
    ).id


async def _engine_round(service: WorkshopService, session_id: str) -> tuple[float, list]:
    drafter = service.drafting.drafter()
    jobs = drafter.segmentation_jobs(session_id)
    requests = [drafter.preview(job) for job in jobs]
    start = time.perf_counter()
    summary = await drafter.run(ItemKind.SEGMENTATION, jobs)
    elapsed = time.perf_counter() - start
    await drafter.aclose()
    assert not summary.failed, summary.failed
    return elapsed, requests


async def _direct_round(server: LLMServer, requests: list[dict], concurrency: int) -> float:
    import openai

    client = openai.AsyncOpenAI(base_url=server.base_url, api_key="bench", max_retries=0)
    limit = asyncio.Semaphore(concurrency)

    async def one(request: dict) -> None:
        body = {k: v for k, v in request.items() if not k.startswith("tokens")}
        async with limit:
            stream = await client.chat.completions.create(
                **body, stream=True, stream_options={"include_usage": True}
            )
            async for _chunk in stream:
                pass

    start = time.perf_counter()
    await asyncio.gather(*(one(r) for r in requests))
    elapsed = time.perf_counter() - start
    await client.close()
    return elapsed


def measure(people: int = 20, latency: float = 0.5, token_rate: float = 50, repeat: int = 3):
    results: dict[str, float] = {}
    with (
        LLMServer(latency=latency, token_rate=token_rate) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = {
            "OPENAI_BASE_URL": server.base_url,
            "WORKSHOP_MODEL": "test-model",
            "OPENAI_API_KEY": "bench",
            "XDG_CACHE_HOME": tmp,
            "XDG_CONFIG_HOME": tmp,
        }
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            config = Path(tmp) / "config.toml"
            config.write_text(f"[profiles.bench]\nconcurrency = {people}\n", encoding="utf-8")
            os.environ["WORKSHOP_CONFIG"] = str(config)
            os.environ["WORKSHOP_PROFILE"] = "bench"
            engine_times, direct_times, single_times = [], [], []
            for n in range(repeat):
                with WorkshopService.open(Path(tmp) / f"bench-{n}.db") as service:
                    session_id = _session(service.store, people)
                    elapsed, requests = asyncio.run(_engine_round(service, session_id))
                    engine_times.append(elapsed)
                    direct_times.append(asyncio.run(_direct_round(server, requests, people)))
                    single_times.append(asyncio.run(_direct_round(server, requests[:1], 1)))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            os.environ.pop("WORKSHOP_CONFIG", None)
            os.environ.pop("WORKSHOP_PROFILE", None)
    engine, direct, single = median(engine_times), median(direct_times), median(single_times)
    results[f"engine, {people} stakeholders (s, median)"] = engine
    results[f"openai client directly, same {people} requests (s, median)"] = direct
    results["one request alone (s, median)"] = single
    results["engine / direct client"] = engine / direct
    results["engine / one request"] = engine / single
    return results
