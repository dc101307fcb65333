"""The diff between two revisions' bodies: readable lines, only real changes marked."""

from __future__ import annotations

from sessions.bodies import OutcomeBody
from workshop.rules.item_diff import (
    DiffLine,
    body_lines,
    changed_fields,
    diff_bodies,
    has_changes,
    ordered_keys,
)

OUTCOME = {
    "result": "More qualified inbound leads",
    "metric": "Sales-accepted leads per month",
    "baseline": None,
    "target": "70",
    "due": "Q3",
    "owner": "Priya Raman",
    "priority": "Grow EU pipeline",
    "stakeholders": ["Marta", "Daniel"],
    "leading_indicators": [],
}
ORDER = list(OutcomeBody.model_fields)


def marked(lines: list[DiffLine]) -> list[str]:
    return [str(line) for line in lines if line.tag in "+-"]


def test_body_lines_are_field_by_field_in_the_model_order():
    stored = dict(sorted(OUTCOME.items()))  # the store gives keys back sorted
    assert body_lines(stored, ORDER) == [
        "result: More qualified inbound leads",
        "metric: Sales-accepted leads per month",
        "baseline: (not given)",
        "target: 70",
        "due: Q3",
        "owner: Priya Raman",
        "priority: Grow EU pipeline",
        "stakeholders • Marta",
        "stakeholders • Daniel",
        "leading indicators: (none)",
    ]
    assert body_lines(None) == [] and body_lines({}) == []


def test_one_changed_field_is_one_removed_and_one_added_line():
    new = {**OUTCOME, "target": "90"}
    lines = diff_bodies(OUTCOME, new, order=ORDER)
    assert marked(lines) == ["- target: 70", "+ target: 90"]
    assert changed_fields(OUTCOME, new, ORDER) == ["target"]
    # Without context limits, every unchanged line is kept, in order.
    assert len(lines) == len(body_lines(new)) + 1
    assert lines[0] == DiffLine(" ", "result: More qualified inbound leads")


def test_an_unknown_value_that_becomes_known():
    new = {**OUTCOME, "baseline": "40"}
    assert marked(diff_bodies(OUTCOME, new)) == ["- baseline: (not given)", "+ baseline: 40"]


def test_a_list_entry_inserted_in_the_middle_is_one_added_line():
    new = {**OUTCOME, "stakeholders": ["Marta", "Aiko", "Daniel"]}
    assert marked(diff_bodies(OUTCOME, new)) == ["+ stakeholders • Aiko"]
    emptied = {**OUTCOME, "stakeholders": []}
    assert marked(diff_bodies(OUTCOME, emptied)) == [
        "- stakeholders • Marta",
        "- stakeholders • Daniel",
        "+ stakeholders: (none)",
    ]


def test_multi_line_text_diffs_by_line():
    old = {"rationale": "Controls the budget.\nAsked twice about brand spend."}
    new = {"rationale": "Controls the budget.\nAsked three times about brand spend."}
    assert marked(diff_bodies(old, new)) == [
        "- rationale: Asked twice about brand spend.",
        "+ rationale: Asked three times about brand spend.",
    ]


def test_lists_of_records_mark_each_entry_with_a_bullet():
    old = {"segment": "champion", "questions": [{"topic": "success", "text": "What is success?"}]}
    new = {
        "segment": "champion",
        "questions": [
            {"topic": "success", "text": "What is success?"},
            {"topic": "past", "text": "What worked before?"},
        ],
    }
    assert marked(diff_bodies(old, new)) == [
        "+ questions • topic: past",
        "+ questions   text: What worked before?",
    ]


def test_the_first_revision_is_all_added():
    lines = diff_bodies(None, {"title": "Webinar", "starts": "2026-07-15"})
    # Without a field order, fields come sorted by name (the same whatever the key order).
    assert [str(line) for line in lines] == ["+ starts: 2026-07-15", "+ title: Webinar"]
    assert changed_fields(None, {"title": "Webinar"}) == ["title"]


def test_same_text_has_no_changes():
    lines = diff_bodies(OUTCOME, dict(OUTCOME))
    assert not has_changes(lines) and all(line.tag == " " for line in lines)
    assert diff_bodies(OUTCOME, dict(OUTCOME), context=2) == []
    assert changed_fields(OUTCOME, dict(OUTCOME)) == []


def test_context_keeps_a_few_lines_around_each_change_and_marks_gaps():
    new = {**OUTCOME, "result": "Better leads", "leading_indicators": ["Demo requests"]}
    lines = diff_bodies(OUTCOME, new, context=1, order=ORDER)
    assert [str(line) for line in lines] == [
        "- result: More qualified inbound leads",
        "+ result: Better leads",
        "  metric: Sales-accepted leads per month",
        "@ …",
        "  stakeholders • Daniel",
        "- leading indicators: (none)",
        "+ leading indicators • Demo requests",
    ]


def test_added_and_removed_fields_and_other_values():
    old = {"title": "A", "channel": ""}
    new = {"title": "A", "count": 3, "flag": True}
    assert changed_fields(old, new) == ["channel", "count", "flag"]
    assert marked(diff_bodies(old, new)) == [
        "- channel: (empty)",
        "+ count: 3",
        "+ flag: true",
    ]


def test_ordered_keys():
    assert ordered_keys(["b", "z", "a"], ["z", "q"]) == ["z", "a", "b"]
