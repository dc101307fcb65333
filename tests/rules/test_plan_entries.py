"""Plan-entry rules hold wherever an entry comes from: the dialog, the service, a dump."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sessions import InvalidInputError, ItemKind
from workshop.errors import WorkshopError
from workshop.rules.plan_entries import entry_body, parse_date
from workshop.service.facade import WorkshopService

OUTCOME = {
    "result": "More qualified EU pipeline",
    "metric": "qualified EU opportunities per month",
    "baseline": "12",
    "target": "20",
    "due": "2026-09-30",
    "owner": "Priya Raman",
    "priority": "Grow EU pipeline",
    "stakeholders": [],
    "leading_indicators": [],
}
ENTRY = {"title": "EU webinar", "starts": "2026-07-10", "ends": "2026-07-20", "channel": "web"}


def test_dates_and_entry_rules_as_typed():
    assert parse_date("Starts", "") is None
    assert str(parse_date("Starts", "2026-07-02")) == "2026-07-02"
    assert "YYYY-MM-DD" in parse_date("Starts", "2 July")
    assert "not a real date" in parse_date("Ends", "2026-02-30")
    fields = {"title": "X", "starts": "2026-08-01", "ends": "2026-07-01", "channel": ""}
    fields["description"] = ""
    assert "before" in entry_body(fields, "o1", {"o1"})
    fields["ends"] = ""
    assert "approved outcome" in entry_body(fields, None, {"o1"})
    assert "none is approved" in entry_body(fields, "o1", set())
    body = entry_body(fields, "o1", {"o1"})
    assert body["starts"] == "2026-08-01" and body["ends"] is None


@pytest.fixture
def service(db_path):
    with WorkshopService.open(db_path) as opened:
        yield opened


def session_with_outcomes(service: WorkshopService) -> tuple[str, str, str]:
    """A session with one approved outcome and one draft: (session, approved, draft)."""
    session = service.sessions.new(title="Q3 plan")
    good = service.items.write(session.id, ItemKind.OUTCOME, OUTCOME, "Priya")
    service.items.approve(good.id, "Priya")
    draft = service.items.write(session.id, ItemKind.OUTCOME, OUTCOME | {"target": "30"}, "Priya")
    return session.id, good.id, draft.id


def test_the_service_refuses_an_entry_that_serves_no_approved_outcome(service):
    session_id, approved, draft = session_with_outcomes(service)
    with pytest.raises(WorkshopError, match="Choose the approved outcome"):
        service.items.write(session_id, ItemKind.PLAN_ENTRY, ENTRY | {"outcome_id": draft}, "P")
    with pytest.raises(WorkshopError, match="Choose the approved outcome"):
        service.items.write(session_id, ItemKind.PLAN_ENTRY, ENTRY, "P")
    entry = service.items.write(
        session_id, ItemKind.PLAN_ENTRY, ENTRY | {"outcome_id": approved}, "P"
    )
    with pytest.raises(WorkshopError, match="Choose the approved outcome"):
        service.items.edit(entry.id, entry.body | {"outcome_id": draft}, "P", entry.version)
    assert service.items.get(entry.id).body["outcome_id"] == approved  # nothing changed


def test_an_outcome_of_another_session_does_not_count(service):
    _, other_approved, _ = session_with_outcomes(service)
    session_id = service.sessions.new(title="Q4 plan").id
    with pytest.raises(WorkshopError, match="none is approved yet"):
        service.items.write(
            session_id, ItemKind.PLAN_ENTRY, ENTRY | {"outcome_id": other_approved}, "P"
        )


def test_an_entry_that_ends_before_it_starts_is_refused_by_its_model(service):
    session_id, approved, _ = session_with_outcomes(service)
    backwards = ENTRY | {"starts": "2026-07-20", "ends": "2026-07-10", "outcome_id": approved}
    with pytest.raises(InvalidInputError, match=r"ends \(2026-07-10\) is before starts"):
        service.items.write(session_id, ItemKind.PLAN_ENTRY, backwards, "P")
    assert service.sessions.load(session_id).items_of(ItemKind.PLAN_ENTRY) == []


def test_load_refuses_a_dump_whose_entry_ends_before_it_starts(service, db_path, tmp_path):
    session_id, approved, _ = session_with_outcomes(service)
    service.items.write(session_id, ItemKind.PLAN_ENTRY, ENTRY | {"outcome_id": approved}, "P")
    dump = service.history.dump(session_id)
    for item in dump["items"]:
        if item["kind"] == "plan_entry":
            item["body"] |= {"starts": "2026-07-20", "ends": "2026-07-10"}
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(dump))
    fresh = tmp_path / "fresh.db"
    result = subprocess.run(
        [sys.executable, "-m", "workshop", "--db", str(fresh), "load", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "is before starts" in result.stderr
    assert "Traceback" not in result.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "workshop", "--db", str(fresh), "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(listed.stdout) == []  # nothing half-loaded
