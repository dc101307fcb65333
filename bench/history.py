"""History at scale: a database of many sessions, and how the app's operations fare on it.

The database is generated with plain SQL in large transactions (the store's API would
commit and fsync per row, which is right for a workshop and far too slow for 400,000
items), in exactly the shape the store writes, and kept in a cache folder for reuse.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, median, percentile, timed

from sessions import SessionStore
from sessions.bodies import body_text, validate_body
from sessions.models import ItemKind
from workshop.service.facade import WorkshopService

WORDS = [
    "pipeline",
    "revenue",
    "launch",
    "brand",
    "awareness",
    "leads",
    "partner",
    "churn",
    "renewal",
    "enterprise",
    "region",
    "budget",
    "campaign",
    "webinar",
    "analyst",
    "pricing",
    "onboarding",
    "retention",
    "sales",
    "product",
    "support",
    "events",
    "content",
    "social",
    "search",
    "conversion",
    "quarter",
    "forecast",
    "board",
    "trust",
    "co-op",
    "loyalty",
    "referral",
    "community",
    "segment",
    "message",
    "objection",
    "champion",
]
QUERIES = [
    # words in every session's brief, so the sessions index answers them
    "pipeline",
    "co-op",
    "renewal churn",
    "analyst",
    "brand awareness",
    # words only in item bodies (confidence, metric, owner), so the items index must
    "medium",
    "qualified leads",
    "demand gen",
    # stakeholder names
    "Person 3",
    # a word with no match at all: every index is searched to the end
    "zebra",
]


def _sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _bodies(rng: random.Random) -> list[tuple[str, dict]]:
    segments = ["influencer", "champion", "detractor", "decision_maker", "participant"]
    seg = {
        "segment": rng.choice(segments),
        "rationale": _sentence(rng, 30),
        "motivations": [_sentence(rng) for _ in range(3)],
        "objections": [_sentence(rng) for _ in range(2)],
        "approach": _sentence(rng, 25),
        "messages": [_sentence(rng) for _ in range(3)],
        "confidence": "medium",
    }
    outcome = {
        "result": _sentence(rng, 10),
        "metric": "qualified leads per month",
        "baseline": "120",
        "target": "180",
        "due": "Q3 2026",
        "owner": "Head of demand gen",
        "priority": _sentence(rng, 6),
        "stakeholders": ["Ada", "Bob"],
        "leading_indicators": [_sentence(rng, 6)],
    }
    answers = {
        "entries": [
            {"question": _sentence(rng, 10), "answer": _sentence(rng, 40)} for _ in range(3)
        ]
    }
    return [("segmentation", seg), ("outcome", outcome), ("answers", answers)]


def generate(path: Path, sessions: int, people: int, items: int, seed: int = 7) -> Path:
    """Sessions × people × items (each item with two revisions), in the store's shape."""
    if path.exists():
        return path
    tmp = path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    SessionStore.open(tmp).close()  # schema and migrations, exactly as the app makes them
    rng = random.Random(seed)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA synchronous = OFF")
    stamp = "2026-01-01T00:00:00.000000Z"
    kinds = [(k, validate_body(ItemKind(k), b)) for k, b in _bodies(rng)]
    for s in range(sessions):
        sid = f"ses_{s:012x}"
        sessions_row = (
            sid,
            f"Q{s % 4 + 1} strategy {s} {rng.choice(WORDS)}",
            f"Org {s % 300}",
            f"2026-{s % 12 + 1:02d}-01",
            "Priya",
            "[]",
            json.dumps([_sentence(rng, 8)]),
            _sentence(rng, 30),
            _sentence(rng, 30),
            "outcomes",
            stamp,
            f"2026-01-01T00:00:{s % 60:02d}.{s:06d}Z",
        )
        conn.execute(
            "INSERT INTO sessions (id, title, organisation, workshop_date, facilitator, "
            "participants, priorities, marketing_today, challenges, stage, created_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            sessions_row,
        )
        conn.executemany(
            "INSERT INTO stakeholders (id, session_id, position, name, role, team, notes, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    f"stk_{s:08x}{p:04x}",
                    sid,
                    p,
                    f"Person {p} {rng.choice(WORDS)}",
                    "Lead",
                    "Sales",
                    _sentence(rng, 25),
                    stamp,
                    stamp,
                )
                for p in range(people)
            ],
        )
        item_rows, revision_rows = [], []
        for i in range(items):
            kind, body = kinds[i % len(kinds)]
            iid = f"itm_{s:08x}{i:04x}"
            text = json.dumps(body, sort_keys=True, ensure_ascii=False)
            status = "approved" if i % 2 else "draft"
            item_rows.append(
                (
                    iid,
                    sid,
                    kind,
                    f"stk_{s:08x}{i % people:04x}",
                    body.get("segment"),
                    status,
                    "model",
                    text,
                    body_text(body),
                    2,
                    stamp,
                    stamp,
                )
            )
            for n in (1, 2):
                revision_rows.append(
                    (f"rev_{s:08x}{i:04x}{n}", iid, n, text, status, "model", "model", "", stamp)
                )
        conn.executemany(
            "INSERT INTO items (id, session_id, kind, stakeholder_id, segment, status, origin, "
            "body, body_text, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            item_rows,
        )
        conn.executemany(
            "INSERT INTO revisions (id, item_id, number, body, status, origin, author, note, "
            "created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            revision_rows,
        )
        if s % 500 == 499:
            conn.commit()
    conn.commit()
    conn.execute("PRAGMA optimize")
    conn.close()
    tmp.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    return path


def measure(path: Path, repeat: int = 20) -> dict[str, float]:
    results: dict[str, float] = {}
    with WorkshopService.open(path) as service:
        results["home first page (ms, median)"] = median(
            timed(lambda: service.sessions.list(limit=50), repeat)
        )
        search = [min(timed(lambda q=q: service.sessions.search(q, 50), 3)) for q in QUERIES]
        results["full-text search (ms, median over queries)"] = median(search)
        largest = service.store.db.execute(
            "SELECT session_id FROM items GROUP BY session_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        results["open largest session (ms, median)"] = median(
            timed(lambda: service.sessions.load(largest), repeat)
        )
        record = service.sessions.load(largest)
        targets = [i for i in record.items if i.kind is ItemKind.SEGMENTATION][:10]
        saves = []
        for n in range(max(100, repeat * 5)):
            item = targets[n % len(targets)]
            body = dict(service.items.get(item.id).body, rationale=f"Edited {n}.")
            start = time.perf_counter()
            service.items.edit(item.id, body, "bench")
            saves.append((time.perf_counter() - start) * 1000)
        results["save an edit (ms, p99)"] = percentile(saves, 99)
        results["save an edit (ms, median)"] = median(saves)
        results["export largest session (ms, median)"] = median(
            timed(lambda: service.export.markdown(largest), max(5, repeat // 4))
        )
    results["TUI peak memory (MB)"] = tui_peak_memory(path, largest)
    return results


TUI_PROBE = r"""
import asyncio, sys
from workshop.tui.app import WorkshopApp
from workshop.service.facade import WorkshopService
from workshop.tui.screens.workshop_screen import WorkshopScreen

async def main(path, session_id):
    app = WorkshopApp(WorkshopService.open(path), remember=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("slash", *"pipeline")
        await pilot.pause(0.3)
        await app.push_screen(WorkshopScreen(app.service, session_id))
        for key in "12345678":
            await pilot.press(key)
            await pilot.pause(0.2)
    # VmHWM, not ru_maxrss: on Linux a child's ru_maxrss starts from its parent's RSS at
    # fork, and the parent (bench/run.py) has run a Textual app of its own by now.
    status = open("/proc/self/status").read()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def tui_peak_memory(path: Path, session_id: str) -> float:
    """Peak RSS of the app browsing this database: home, search, every stage of a session."""
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run(
            [sys.executable, "-c", TUI_PROBE, str(path.resolve()), session_id],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={"HOME": home, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        ).stdout
    return int(out.strip().splitlines()[-1]) / 1024
