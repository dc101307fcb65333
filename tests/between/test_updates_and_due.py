"""Impact updates per segment from what was recorded, and what is due on the cadence:
through the real command, against the real file."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from support.history_helpers import run
from support.tui_helpers import SAMPLE_OUTCOME

from sessions import SessionStore
from workshop.rules.cadence_due import period_days

TODAY = date.today()


def quarter(db_path, started_days_ago: int = 45) -> str:
    start = TODAY - timedelta(days=started_days_ago)
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Q3 strategy", "workshop_date": start.isoformat()})
        outcome = store.create_item(
            session.id,
            "outcome",
            SAMPLE_OUTCOME | {"due": (TODAY + timedelta(days=45)).isoformat()},
            "person",
            "Dana",
        )
        store.approve_item(outcome.id, "Dana")
        store.add_measurement(outcome.id, 22.0, TODAY - timedelta(days=2), "CRM")
        for segment, frequency in (("decision_maker", "monthly"), ("champion", "every two weeks")):
            cadence = store.create_item(
                session.id,
                "cadence",
                {"segment": segment, "report": "One page of results", "frequency": frequency},
                "person",
                "Dana",
            )
            store.approve_item(cadence.id, "Dana")
    return session.id


def test_an_update_is_written_from_the_record_and_approving_it_resets_what_is_due(
    db_path, tmp_path
):
    session_id = quarter(db_path)
    due_before = {d["segment"]: d for d in json.loads(run("due", "--json", db=db_path).stdout)}

    out = tmp_path / "cfo-update.md"
    made = run("update", session_id, "--segment", "Decision maker", "-o", str(out), db=db_path)
    text = out.read_text(encoding="utf-8")

    assert text.startswith(f"# Marketing's impact, {TODAY:%B %Y}: 0 of 1 outcomes met, 1 measured")
    assert "**More repeat customers** (Repeat purchase rate): from 18 to 25, now 22 on" in text
    assert "itm_" not in text and "ses_" not in text  # ready to send: no ids
    assert "return and efficiency" in made.stderr  # what the segment cares to hear
    item_id = made.stderr.split("Saved as a draft, ")[1].split(".")[0]
    # Overdue: a month after a workshop 45 days ago, nothing sent.
    assert due_before["decision_maker"]["state"] == "overdue"
    assert due_before["decision_maker"]["days_late"] == 15

    with SessionStore.open(db_path) as store:
        store.approve_item(item_id, "Dana")
    due_after = {d["segment"]: d for d in json.loads(run("due", "--json", db=db_path).stdout)}
    assert due_after["decision_maker"]["last"] == TODAY.isoformat()
    assert due_after["decision_maker"]["due"] == (TODAY + timedelta(days=30)).isoformat()
    assert due_after["decision_maker"]["state"] == "later"
    assert due_after["champion"]["state"] == "overdue"  # its own cadence, still unsent
    shown = run("due", db=db_path).stdout
    assert "overdue" in shown and "champion (every two weeks; none sent yet)" in shown


def test_a_segment_nobody_has_gets_one_clear_line(db_path):
    session_id = quarter(db_path)
    refused = run("update", session_id, "--segment", "board", db=db_path, check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "workshop: No segment called 'board'; one of: influencer, champion, detractor, "
        "decision_maker, participant."
    )


@pytest.mark.parametrize(
    ("frequency", "days"),
    [
        ("monthly", 30),
        ("Weekly, on Mondays", 7),
        ("every two weeks", 14),
        ("every 6 weeks", 42),
        ("each quarter", 91),
        ("fortnightly", 14),
        ("when it suits", None),
    ],
)
def test_frequencies_as_people_write_them(frequency, days):
    assert period_days(frequency) == days


def _update_model(extra: str):
    """A model that writes the update from the record, adding `extra` every time."""

    def respond(body: dict) -> str:
        prompt = json.dumps(body)
        kept = "now 22 on" in prompt  # the record's own figure reached the model
        text = "Repeat purchases are moving: now 22." if kept else "Nothing to say."
        return json.dumps(
            {
                "segment": "champion",
                "period": "x",
                "headline": f"Loyalty is paying off{extra}",
                "text": f"{text}{extra}",
            }
        )

    return respond


def test_the_model_puts_the_update_in_their_terms_and_adds_no_figure(db_path, llm_server):
    from support.drafting_helpers import run_with_server

    session_id = quarter(db_path)
    llm_server.any_model = True
    llm_server.responder = _update_model(" (up 37% on last year)")

    made = run_with_server(
        db_path, llm_server, "update", session_id, "--segment", "champion", "--draft"
    )

    assert made.returncode == 0, made.stderr
    assert "repairing" in made.stderr  # the figure nobody recorded was sent back once
    assert made.stdout.startswith("# Loyalty is paying off")
    assert "Repeat purchases are moving: now 22." in made.stdout
    assert "37" not in made.stdout  # still there after the fix: left out by the app
    with SessionStore.open(db_path) as store:
        (update,) = store.load_session(session_id).items_of("impact_update")
        note = store.revisions(update.id)[-1].note
    assert update.origin.value == "model" and update.body["segment"] == "champion"
    assert update.body["period"] == f"{TODAY:%B %Y}"
    assert "figures nobody recorded, left out by the app: 37" in note
    prompts = [r.messages_text for r in llm_server.chat_requests]
    assert "what their backing made possible" in prompts[0]  # the segment's own terms


def test_without_a_model_draft_says_how_and_the_template_still_works(db_path):
    session_id = quarter(db_path)
    refused = run("update", session_id, "--segment", "champion", "--draft", db=db_path, check=False)
    assert refused.returncode == 1 and "No model is configured" in refused.stderr
    assert run("update", session_id, "--segment", "champion", db=db_path).returncode == 0
