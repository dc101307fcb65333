"""The progress rule (docs/progress.md): the way covered against the time gone."""

from __future__ import annotations

from datetime import date

import pytest

from sessions import Measurement
from workshop.rules.progress import due_date, first_number, progress_of

START = date(2026, 7, 1)
DUE = "2026-12-31"  # 183 days after the start


def measured(*values: tuple[str, float]) -> list[Measurement]:
    return [
        Measurement(
            id=f"msr_{n:012x}",
            session_id="ses_1",
            outcome_id="itm_1",
            value=value,
            measured_on=date.fromisoformat(day),
            created_at=f"{day}T09:00:00.000000Z",
        )
        for n, (day, value) in enumerate(values)
    ]


def status(body: dict, today: str, *values: tuple[str, float]) -> str:
    found = progress_of("itm_1", body, START, measured(*values), date.fromisoformat(today))
    return found.status


BODY = {"result": "More repeat customers", "baseline": "18%", "target": "25%", "due": DUE}


@pytest.mark.parametrize(
    ("today", "values", "expected"),
    [
        ("2026-08-01", [], "no data yet"),
        # Half the time gone (2026-09-30): 3.5 of 7 points is half the way.
        ("2026-09-30", [("2026-09-30", 21.5)], "on track"),
        ("2026-09-30", [("2026-09-30", 20.9)], "on track"),  # within 10 points of the time
        ("2026-09-30", [("2026-09-30", 20.0)], "at risk"),  # 29% of the way at 50% of time
        ("2026-09-30", [("2026-09-30", 18.5)], "behind"),
        ("2026-09-30", [("2026-08-01", 26.0)], "met"),
        ("2027-01-15", [("2026-12-20", 24.0)], "behind"),  # past due and short of it
        # The latest measurement counts, not the best one.
        ("2026-09-30", [("2026-08-01", 25.0), ("2026-09-01", 19.0)], "behind"),
    ],
)
def test_the_status_follows_the_rule(today, values, expected):
    assert status(BODY, today, *values) == expected


def test_a_falling_target_is_progress_downwards():
    body = BODY | {"baseline": "12% churn", "target": "8% churn"}
    assert status(body, "2026-09-30", ("2026-09-30", 10.0)) == "on track"
    assert status(body, "2026-09-30", ("2026-09-30", 7.5)) == "met"


def test_unknown_figures_stay_unknown_and_say_so():
    found = progress_of(
        "itm_1", BODY | {"baseline": None}, START, measured(("2026-08-01", 20.0)), START
    )
    assert (found.status, found.share_of_way, found.why) == (
        "not judged",
        None,
        "the baseline is unknown",
    )
    undated = progress_of(
        "itm_1", BODY | {"due": "when we can"}, START, measured(("2026-08-01", 20.0)), START
    )
    assert undated.status == "not judged" and "time frame" in undated.why


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2026-09-30", date(2026, 9, 30)),
        ("by 2026-09", date(2026, 9, 30)),
        ("Q3", date(2026, 9, 30)),
        ("Q1", date(2027, 3, 31)),  # the next Q1 after a July workshop
        ("Q2 2027", date(2027, 6, 30)),
        ("H2", date(2026, 12, 31)),
        ("end of November", date(2026, 11, 30)),
        ("end of year", date(2026, 12, 31)),
        ("within 90 days", date(2026, 9, 29)),
        ("6 weeks", date(2026, 8, 12)),
        ("when the budget allows", None),
    ],
)
def test_time_frames_as_people_write_them(text, due):
    assert due_date(text, START) == due


def test_the_figure_of_a_baseline_or_target():
    assert [first_number(t) for t in ("18%", "1,200 leads", "about 40 a quarter", None)] == [
        18.0,
        1200.0,
        40.0,
        None,
    ]
