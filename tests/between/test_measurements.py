"""Measurements against approved outcomes: recorded through the real command, stored in
the real file, found by search, carried by dumps, and refused in one line when wrong."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from support.history_helpers import run
from support.tui_helpers import SAMPLE_OUTCOME

from sessions import InvalidInputError, SessionStore


def quarter(store: SessionStore, **outcome) -> tuple[str, str]:
    session = store.create_session({"title": "Q3 strategy", "workshop_date": "2026-07-01"})
    item = store.create_item(session.id, "outcome", SAMPLE_OUTCOME | outcome, "person", "Dana")
    store.approve_item(item.id, "Dana")
    return session.id, item.id


def test_a_measurement_is_recorded_and_shown_as_progress(db_path):
    with SessionStore.open(db_path) as store:
        session_id, outcome_id = quarter(store, due="2026-12-31")

    recorded = run(
        "measure",
        session_id,
        outcome_id[:8],
        "21%",
        "--on",
        "2026-09-01",
        "--source",
        "CRM report",
        "--note",
        "after the loyalty push",
        db=db_path,
    )
    shown = run("progress", session_id, db=db_path)
    as_json = json.loads(run("progress", session_id, "--json", db=db_path).stdout)

    assert recorded.stderr.startswith(f"Recorded 21 on 2026-09-01 for {outcome_id}")
    assert "18 → 21 on 2026-09-01 → 25" in shown.stdout
    assert "43% of the way" in shown.stdout
    (entry,) = as_json
    assert entry["baseline"] == 18 and entry["target"] == 25 and entry["due"] == "2026-12-31"
    assert entry["measurements"][0] | {"id": None} == {
        "id": None,
        "value": 21.0,
        "on": "2026-09-01",
        "source": "CRM report",
        "note": "after the loyalty push",
    }
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT outcome_id, value, measured_on FROM measurements").fetchone()
    finally:
        conn.close()
    assert row == (outcome_id, 21.0, "2026-09-01")
    found = run("list", "--search", "loyalty push", "--json", db=db_path).stdout
    assert "measurement" in found and session_id in found


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("abc",), "'abc' is not a number; give the measured value"),
        (("22", "--on", "2026-01-05"), "2026-01-05 is before the workshop (2026-07-01)"),
        (("22", "--on", "05/09/2026"), "Invalid value for '--on'"),
    ],
)
def test_a_wrong_measurement_gets_one_clear_line_and_nothing_is_stored(db_path, args, said):
    with SessionStore.open(db_path) as store:
        session_id, outcome_id = quarter(store)

    refused = run("measure", session_id, outcome_id, *args, db=db_path, check=False)

    assert refused.returncode != 0
    assert said in refused.stderr
    with SessionStore.open(db_path) as store:
        assert store.measurements(session_id) == []


def test_only_an_approved_outcome_of_the_session_is_measured(db_path):
    with SessionStore.open(db_path) as store:
        session_id, outcome_id = quarter(store)
        draft = store.create_item(session_id, "outcome", SAMPLE_OUTCOME, "person", "Dana")
        with pytest.raises(InvalidInputError, match="Only an approved outcome is measured"):
            store.add_measurement(draft.id, 3.0, date(2026, 8, 1))

    unknown = run("measure", session_id, "itm_nope", "3", db=db_path, check=False)
    assert unknown.returncode != 0
    assert "No outcome with id 'itm_nope' in this session" in unknown.stderr


def test_measurements_travel_in_a_dump_and_a_copy(db_path, tmp_path):
    with SessionStore.open(db_path) as store:
        session_id, outcome_id = quarter(store)
        store.add_measurement(outcome_id, 20.0, date(2026, 8, 1), "CRM", "first")
        dump = store.dump_session(session_id)
    assert [m["value"] for m in dump["measurements"]] == [20.0]

    with SessionStore.open(tmp_path / "other.db") as other:
        copy = other.load_session_dump(dump, as_copy=True)
        (measurement,) = other.measurements(copy.id)
        outcomes = other.load_session(copy.id).items_of("outcome")
    assert measurement.outcome_id == outcomes[0].id != outcome_id
    assert (measurement.value, measurement.note) == (20.0, "first")

    broken = json.loads(json.dumps(dump))
    broken["measurements"][0]["outcome_id"] = "itm_000000000000"
    with (
        SessionStore.open(tmp_path / "third.db") as third,
        pytest.raises(InvalidInputError, match="is of an outcome that is not in it"),
    ):
        third.load_session_dump(broken)
