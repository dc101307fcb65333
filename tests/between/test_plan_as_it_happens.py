"""The 90-day plan as it happens: entries marked through the real command, what is due
and late, and what each entry's outcome did while it ran."""

from __future__ import annotations

import json
from datetime import date

from support.history_helpers import run
from support.tui_helpers import SAMPLE_OUTCOME

from sessions import SessionStore
from workshop.service.facade import WorkshopService

TODAY = date.today()


def day(offset: int) -> str:
    return date.fromordinal(TODAY.toordinal() + offset).isoformat()


def quarter(db_path) -> tuple[str, str, dict[str, str]]:
    with WorkshopService.open(db_path) as service:
        store = service.store
        session = store.create_session({"title": "Q3 strategy", "workshop_date": day(-60)})
        outcome = store.create_item(session.id, "outcome", SAMPLE_OUTCOME, "person", "Dana")
        store.approve_item(outcome.id, "Dana")
        entries = {}
        for title, starts, ends in [
            ("Loyalty emails", -40, -10),  # ended ten days ago
            ("Spring webinar", 3, 20),  # starts in three days
            ("Autumn catalogue", 30, 60),  # later
        ]:
            entry = service.items.write(
                session.id,
                "plan_entry",
                {
                    "title": title,
                    "starts": day(starts),
                    "ends": day(ends),
                    "outcome_id": outcome.id,
                },
                "Dana",
            )
            entries[title] = entry.id
        store.add_measurement(outcome.id, 18.0, date.fromisoformat(day(-45)), "CRM")
        store.add_measurement(outcome.id, 21.0, date.fromisoformat(day(-12)), "CRM")
    return session.id, outcome.id, entries


def test_entries_are_marked_and_the_plan_says_what_is_due_late_and_done(db_path):
    session_id, outcome_id, entries = quarter(db_path)

    before = json.loads(run("plan", session_id, "--json", db=db_path).stdout)
    marked = run(
        "plan",
        session_id,
        entries["Spring webinar"][:9],
        "--status",
        "slipped",
        "--note",
        "speaker ill",
        db=db_path,
    )
    run("plan", session_id, entries["Loyalty emails"], "--status", "done", db=db_path)
    after = {
        e["title"]: e for e in json.loads(run("plan", session_id, "--json", db=db_path).stdout)
    }
    shown = run("plan", session_id, db=db_path).stdout

    assert {e["title"]: (e["status"], e["late"], e["due"]) for e in before} == {
        "Loyalty emails": ("planned", True, False),
        "Spring webinar": ("planned", False, True),
        "Autumn catalogue": ("planned", False, False),
    }
    assert marked.stderr.startswith(f"{entries['Spring webinar']}: slipped from {TODAY}")
    assert (after["Loyalty emails"]["status"], after["Loyalty emails"]["late"]) == ("done", False)
    assert after["Spring webinar"]["note"] == "speaker ill" and after["Spring webinar"]["due"]
    # The outcome rose from 18 to 21 while the loyalty emails ran.
    assert after["Loyalty emails"]["outcome_moved"] == 3.0
    assert f"its outcome {outcome_id}: 18 → 21 (+3)" in shown
    assert "[slipped since" in shown and "note: speaker ill" in shown


def test_a_wrong_status_or_entry_gets_one_clear_line(db_path):
    session_id, _outcome_id, entries = quarter(db_path)

    wrong = run(
        "plan",
        session_id,
        entries["Spring webinar"],
        "--status",
        "finished",
        db=db_path,
        check=False,
    )
    unknown = run("plan", session_id, "itm_nope", "--status", "done", db=db_path, check=False)
    missing = run("plan", session_id, entries["Spring webinar"], db=db_path, check=False)

    assert "Unknown plan status 'finished'; one of: planned, in progress, done" in wrong.stderr
    assert "No plan entry with id 'itm_nope' in this session" in unknown.stderr
    assert "Say what happened to the entry with --status" in missing.stderr
    assert all(r.returncode != 0 for r in (wrong, unknown, missing))
    with SessionStore.open(db_path) as store:
        assert store.plan_statuses(session_id) == []
