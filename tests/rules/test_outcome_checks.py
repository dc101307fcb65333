"""Outcome checks: no model, one finding per playbook rule, plain words for the room."""

from __future__ import annotations

import subprocess
import sys

import pytest

from prompt_library import OUTCOME_RULE_IDS, load_library
from sessions.bodies import OutcomeBody
from workshop.rules.outcome_checks import Finding, check_outcome, looks_like_activity, summarise

GOOD = {
    "result": "Grow marketing-sourced pipeline in the DACH region by 25%",
    "metric": "Qualified pipeline sourced by marketing (EUR per quarter)",
    "baseline": "EUR 1.2M per quarter",
    "target": "EUR 1.5M per quarter",
    "due": "end of Q3 2026",
    "owner": "Dana Weiss (demand generation)",
    "priority": "Win the DACH mid-market",
    "stakeholders": ["Jonas (sales)", "Amira (CFO)"],
    "leading_indicators": ["Demo requests per week"],
}


def outcome(**changes: object) -> dict[str, object]:
    return {**GOOD, **changes}


def by_rule(findings: list[Finding]) -> dict[str, Finding]:
    return {f.rule_id: f for f in findings}


@pytest.fixture(scope="module")
def playbook():
    return load_library().playbook()


def test_a_good_outcome_passes_all_six(playbook):
    findings = check_outcome(GOOD, playbook)

    assert [f.rule_id for f in findings] == list(OUTCOME_RULE_IDS)
    assert all(f.ok for f in findings), [f.message for f in findings if not f.ok]
    assert summarise(findings) == "All 6 checks pass"


def test_works_with_an_outcome_body_as_with_a_dict(playbook):
    body = OutcomeBody.model_validate(outcome(baseline=None))

    from_model = check_outcome(body, playbook)
    from_dict = check_outcome(outcome(baseline=None), playbook)

    assert from_model == from_dict
    assert not by_rule(from_model)["baseline"].ok


def test_findings_carry_the_playbook_rule_ids_and_titles(playbook):
    findings = check_outcome(GOOD, playbook)

    for finding in findings:
        assert finding.rule_title == playbook.outcome_rule(finding.rule_id).title
    assert by_rule(findings)["result_not_activity"].rule_title == "Is a result, not an activity"


def test_an_adapted_playbook_supplies_its_own_titles_and_order(playbook):
    renamed = [
        rule.model_copy(update={"title": f"Ours: {rule.id}"})
        for rule in reversed(playbook.outcome_rules)
    ]
    adapted = playbook.model_copy(update={"outcome_rules": renamed})

    findings = check_outcome(GOOD, adapted)

    assert [f.rule_id for f in findings] == list(reversed(OUTCOME_RULE_IDS))
    assert [f.rule_title for f in findings] == [f"Ours: {i}" for i in reversed(OUTCOME_RULE_IDS)]


def test_without_a_playbook_the_default_is_loaded(playbook):
    assert check_outcome(GOOD) == check_outcome(GOOD, playbook)


@pytest.mark.parametrize(
    "result",
    [
        "Publish twelve blog posts",
        "Publish 12 blog posts on pricing",
        "We will run four webinars for partners",
        "Host a customer advisory event",
        "12 blog posts per month",
        "Launch the new website",
        "Send a monthly newsletter to all customers",
        "Organise three roadshows",
        "Publish twelve blog posts to increase traffic",  # a hope, not a sized change
    ],
)
def test_activities_are_flagged(playbook, result):
    finding = by_rule(check_outcome(outcome(result=result), playbook))["result_not_activity"]

    assert not finding.ok
    assert finding.message.startswith("Reads like an activity (")
    assert finding.message.endswith("not a result: say what changes because of it.")
    assert looks_like_activity(result)


def test_the_activity_message_quotes_the_statement(playbook):
    finding = by_rule(check_outcome(outcome(result="Publish twelve blog posts"), playbook))

    assert finding["result_not_activity"].message == (
        "Reads like an activity ('publish twelve blog posts'), not a result: "
        "say what changes because of it."
    )


@pytest.mark.parametrize(
    "result",
    [
        "Increase inbound leads from 300 to 450 a month",
        "Reduce cost per lead by 15%",
        "Raise aided brand awareness in France to 20%",
        "Lift webinar attendance to 500 per session",
        "More qualified leads from partners",
        "Post-purchase NPS rises to 50",
        # Opens with work, but names the change and its size: wordy, still a result.
        "Launch a referral programme that grows qualified leads by 20%",
    ],
)
def test_results_pass(playbook, result):
    finding = by_rule(check_outcome(outcome(result=result), playbook))["result_not_activity"]

    assert finding.ok, finding.message
    assert not looks_like_activity(result)


@pytest.mark.parametrize("field", ["baseline", "target"])
def test_a_missing_baseline_or_target_is_flagged_as_unknown(playbook, field):
    rule = field  # the rule ids match the field names for these two
    finding = by_rule(check_outcome(outcome(**{field: None}), playbook))[rule]

    assert not finding.ok
    assert "unknown" in finding.message.lower()
    assert "a person must fill it in" in finding.message


@pytest.mark.parametrize(
    "value", ["TBD", "tbd", "unknown", "Unknown — ask finance", "n/a", "N/A", "", "  ", "?"]
)
def test_placeholder_baselines_count_as_unknown(playbook, value):
    finding = by_rule(check_outcome(outcome(baseline=value), playbook))["baseline"]

    assert not finding.ok
    assert finding.message.startswith("Baseline unknown:")
    assert finding.label == "baseline unknown"


def test_a_zero_or_negative_baseline_is_a_real_baseline(playbook):
    for value in ("0", "-3% year on year"):
        assert by_rule(check_outcome(outcome(baseline=value), playbook))["baseline"].ok


def test_a_target_without_a_number_is_flagged(playbook):
    finding = by_rule(check_outcome(outcome(target="a lot more"), playbook))["target"]

    assert not finding.ok
    assert "no number" in finding.message
    for target in ("double", "450 MQLs a month", "25%", "twelve new logos"):
        assert by_rule(check_outcome(outcome(target=target), playbook))["target"].ok, target


@pytest.mark.parametrize("owner", ["", None, "TBD"])
def test_a_missing_owner_is_flagged(playbook, owner):
    finding = by_rule(check_outcome(outcome(owner=owner), playbook))["owner"]

    assert not finding.ok
    assert finding.message.startswith("No owner:")


@pytest.mark.parametrize("due", [None, "", "tbc"])
def test_a_missing_due_date_is_flagged(playbook, due):
    finding = by_rule(check_outcome(outcome(due=due), playbook))["due_date"]

    assert not finding.ok
    assert "unknown" in finding.message.lower()


@pytest.mark.parametrize(
    "due",
    [
        "Q3 2026",
        "2026-09-30",
        "within 90 days",
        "end of September",
        "by the end of the year",
        "next quarter",
        "FY27",
        "30/09/2026",
        "in six weeks",
        "H2",
        "2027",
    ],
)
def test_dates_and_time_frames_pass(playbook, due):
    finding = by_rule(check_outcome(outcome(due=due), playbook))["due_date"]

    assert finding.ok, finding.message


@pytest.mark.parametrize("due", ["soon", "ongoing", "ASAP", "when the budget allows"])
def test_vague_due_dates_are_flagged(playbook, due):
    finding = by_rule(check_outcome(outcome(due=due), playbook))["due_date"]

    assert not finding.ok
    assert "does not say when" in finding.message


def test_a_metric_must_be_measurable(playbook):
    vague = check_outcome(outcome(metric="brand awareness", target="much better"), playbook)
    rescued = check_outcome(outcome(metric="brand awareness", target="35% aided recall"), playbook)
    missing = check_outcome(outcome(metric=""), playbook)

    assert not by_rule(vague)["metric"].ok
    assert "cannot be counted" in by_rule(vague)["metric"].message
    assert by_rule(rescued)["metric"].ok
    assert by_rule(missing)["metric"].message.startswith("No metric:")
    for metric in ("MQLs per month", "Win rate on enterprise deals", "NPS", "Cost per lead"):
        assert by_rule(check_outcome(outcome(metric=metric, target="more"), playbook))["metric"].ok


def test_a_partial_draft_dict_is_checked_not_rejected(playbook):
    findings = check_outcome({"result": "Host four webinars"}, playbook)

    assert len(findings) == 6
    assert not any(f.ok for f in findings)


def test_summary_names_what_fails(playbook):
    findings = check_outcome(
        outcome(baseline=None, result="Publish twelve blog posts"),
        playbook,
    )

    assert summarise(findings) == "4 of 6 checks pass: baseline unknown, reads like an activity"
    assert summarise([]) == "No checks run"


def test_importing_the_module_reads_no_playbook():
    code = "import sys, workshop.rules.outcome_checks; print('prompt_library' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "False"
