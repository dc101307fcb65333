"""A whole quarter from the shell alone, as a facilitator would script it: the workshop
(brief, people, placements by the model, outcome, plan, cadence), measurements over the
weeks, two segment updates approved and written, a leader replaced, and a follow-up whose
"what changed" tells the quarter. Every step is the real `workshop` command."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from support.drafting_helpers import run_with_server
from support.history_helpers import run

TODAY = date.today()
START = TODAY - timedelta(days=60)
EXAMPLES = Path(__file__).parents[2] / "examples"


def day(days_after_start: int) -> str:
    return (START + timedelta(days=days_after_start)).isoformat()


def item_id(result) -> str:
    return result.stdout.strip()


def test_a_quarter_run_from_the_command_line(db_path, llm_server, tmp_path):
    # The workshop day.
    session = run("new", "--from", str(EXAMPLES / "brief.toml"), db=db_path).stdout.strip()
    run("brief", session, "--set", f"workshop_date={START.isoformat()}", db=db_path)
    run("person", session, "Jonas Berg", "--stance", "resistant", db=db_path)
    llm_server.any_model = True
    placed = run_with_server(db_path, llm_server, "draft", session, "segmentation", "--quick")
    assert placed.returncode == 0, placed.stderr
    for item in json.loads(run("show", session, "--json", db=db_path).stdout)["items"]:
        if item["kind"] == "segmentation":
            run("approve", session, item["id"][:10], db=db_path)

    outcome = item_id(
        run(
            "outcome", session, "--result", "More repeat customers", "--metric",
            "Repeat purchase rate", "--baseline", "18%", "--target", "25%", "--due", day(90),
            db=db_path,
        )
    )  # fmt: skip
    run("approve", session, outcome, db=db_path)
    entry = item_id(
        run(
            "entry", session, "Loyalty email series", "--outcome", outcome[:8],
            "--starts", day(5), "--ends", day(40), "--channel", "Email", db=db_path,
        )
    )  # fmt: skip
    run("approve", session, entry, db=db_path)
    for segment, frequency in (("Decision maker", "monthly"), ("champion", "every two weeks")):
        cadence = run(
            "cadence", session, segment, "--report", "One page", "--frequency", frequency,
            db=db_path,
        )  # fmt: skip
        run("approve", session, item_id(cadence), db=db_path)

    # The weeks after: measurements, and what the plan came to.
    for on, value in ((day(14), "19"), (day(35), "21.5"), (day(56), "23")):
        run("measure", session, outcome[:8], value, "--on", on, "--source", "CRM", db=db_path)
    wrong = [
        run("measure", session, outcome, "about 20", db=db_path, check=False),
        run("measure", session, outcome, "20", "--on", day(-3), db=db_path, check=False),
        run("measure", session, "itm_nope", "20", db=db_path, check=False),
    ]
    assert [w.returncode for w in wrong] == [1, 1, 1]
    assert [len(w.stderr.strip().splitlines()) for w in wrong] == [1, 1, 1]
    assert "'about 20' is not a number" in wrong[0].stderr
    assert "is before the workshop" in wrong[1].stderr
    assert "No outcome with id 'itm_nope'" in wrong[2].stderr
    run("plan", session, entry[:8], "--status", "done", "--note", "Sent to 12,000", db=db_path)
    progress = json.loads(run("progress", session, "--json", db=db_path).stdout)
    assert [(p["measurements"][-1]["value"], p["status"]) for p in progress] == [(23.0, "on track")]

    # Two updates, one per segment on the cadence, approved once sent.
    due = {d["segment"]: d["state"] for d in json.loads(run("due", "--json", db=db_path).stdout)}
    assert due == {"decision_maker": "overdue", "champion": "overdue"}
    for segment in ("decision_maker", "champion"):
        out = tmp_path / f"{segment}.md"
        made = run("update", session, "--segment", segment, "-o", str(out), db=db_path)
        update = made.stderr.split("Saved as a draft, ")[1].split(".")[0]
        run("approve", session, update, db=db_path)
        assert out.read_text(encoding="utf-8").startswith("# Marketing's impact")
    due = {d["segment"]: d["state"] for d in json.loads(run("due", "--json", db=db_path).stdout)}
    assert "overdue" not in due.values()

    # A leader leaves; the follow-up tells the quarter.
    run("person", session, "Marta Kowalski", "--left", "--replaced-by", "Nina Berg", db=db_path)
    child = run("followup", session, db=db_path).stdout.strip()
    changed = run("diff", session, child, db=db_path).stdout
    assert "Nina Berg took over from Marta Kowalski" in changed
    assert (
        f'"More repeat customers" went from 18 to 23 on {day(56)}: 71% of the way to 25, '
        "on track." in changed
    )
    assert 'Plan entry "Loyalty email series" done (reason: Sent to 12,000).' in changed
    assert "Decision maker heard an impact update on" in changed
    assert "Champion heard an impact update on" in changed

    # What leaves the team: no per-person labels.
    leadership = run("export", session, "--for", "leadership", db=db_path).stdout
    assert "More repeat customers" in leadership
    for label in ("Detractor", "Champion", "Influencer", "Confidence"):
        assert label not in leadership
    # The next quarter's leadership document opens with how the last one went.
    follow_up = run("export", child, "--for", "leadership", db=db_path).stdout
    assert "went from 18 to 23" in follow_up and "Loyalty email series" in follow_up
    assert "Nina Berg" not in follow_up and "Detractor" not in follow_up
