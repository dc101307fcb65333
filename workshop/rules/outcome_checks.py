"""Outcome checks that run without any model, each citing the playbook rule it applies.

An outcome statement should name a measurable result with its baseline, target, due
date and owner, and be a change in the business rather than work to be done (DESIGN.md
§2.4, §3). These checks are deliberately simple word and pattern tests: they run on
every edit, on a projector, in front of the people who wrote the statement, so each
message is one plain sentence that says what to fix. The model only suggests rewrites.

The six rule ids are fixed by the playbook; the playbook supplies their titles (and
their order), so an organisation's wording shows up beside each finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prompt_library import Playbook
    from sessions.bodies import OutcomeBody

QUOTE_MAX = 60


@dataclass(frozen=True)
class Finding:
    """The result of one rule on one outcome."""

    rule_id: str
    ok: bool
    message: str  # one sentence for the room
    rule_title: str  # the playbook's name for the rule
    label: str  # a few words for the one-line summary, e.g. "baseline unknown"


@dataclass(frozen=True)
class _Verdict:
    ok: bool
    message: str
    label: str


# --- Vocabulary -----------------------------------------------------------------------
# Kept as plain word lists so they are easy to read and extend; matching is on whole
# words, case-insensitive.

# Values that mean "nobody in the room said".
_UNKNOWN = re.compile(
    r"^(?:unknown|not known|n/?a|na|none|null|nil|tbd|tbc|tba|\?+|-+|—|"
    r"to be (?:determined|confirmed|defined|agreed|decided)|not (?:given|set|stated))"
    r"(?:\W.*)?$",
    re.IGNORECASE | re.DOTALL,
)

_NUMBER_WORDS = (
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"billion|dozen"
)
# A number in figures or words, or a multiplier such as "double".
_QUANTITY = re.compile(
    rf"\d|%|\b(?:{_NUMBER_WORDS}|double|triple|quadruple|twice|half|halve|percent)\b",
    re.IGNORECASE,
)

# Things that are counted or measured in marketing and sales. A metric naming one of
# these (or any number) can be tracked; "brand awareness" alone cannot.
_MEASURABLE = re.compile(
    r"\d|%|[$€£¥]|#|\b(?:percent(?:age)?|rate|ratio|share|count|number of|total|average|"
    r"mean|median|per|index|score|nps|csat|ces|revenue|sales|bookings|arr|mrr|acv|"
    r"pipeline|leads?|mqls?|sqls?|sqos?|opportunit(?:y|ies)|deals?|wins?|win rate|"
    r"conversions?|signups?|sign-ups?|registrations?|subscribers?|followers?|visits?|"
    r"visitors?|sessions?|traffic|page ?views?|impressions?|clicks?|ctr|opens?|"
    r"downloads?|installs?|users?|customers?|accounts?|retention|churn|renewals?|"
    r"cac|cpl|cpa|roi|roas|cost|spend|budget|margin|time|days?|hours?|weeks?|"
    r"cycle|velocity|mentions?|reach|attendance|attendees|responses?|survey)\b",
    re.IGNORECASE,
)

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_PERIOD = r"days?|weeks?|months?|quarters?|years?|sprints?"
# A date or a time frame, in the forms people write in a workshop.
_WHEN = re.compile(
    rf"\b\d{{4}}-\d{{2}}(?:-\d{{2}})?\b"  # 2026-09-30, 2026-09
    rf"|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b"  # 30/09/2026
    rf"|\b(?:19|20)\d{{2}}\b"  # a year
    rf"|\b(?:{_MONTHS})\b"  # a month
    rf"|\b(?:q[1-4]|h[12]|fy\s?\d{{2,4}}|eo[mqy]|ytd)\b"  # Q3, H2, FY26, EOQ
    rf"|\b(?:{_NUMBER_WORDS}|\d+)[\s-]*(?:{_PERIOD})\b"  # 90 days, six-week
    rf"|\b(?:end|start|beginning|middle|close) of\b"  # by end of …
    rf"|\b(?:this|next|coming|current|following) (?:{_PERIOD})\b"
    rf"|\b(?:year|quarter|month)[\s-]end\b",
    re.IGNORECASE,
)

# Work to be done. A result that opens with one of these describes an activity.
_ACTIVITY_VERBS = (
    "publish",
    "write",
    "post",
    "blog",
    "run",
    "host",
    "launch",
    "create",
    "send",
    "produce",
    "hold",
    "attend",
    "build",
    "organise",
    "organize",
    "design",
    "update",
    "redesign",
    "develop",
    "make",
    "ship",
    "release",
    "distribute",
    "deploy",
    "implement",
    "set up",
    "roll out",
    "record",
    "film",
    "shoot",
    "email",
    "tweet",
    "sponsor",
    "exhibit",
    "present",
    "prepare",
    "draft",
    "refresh",
    "rebrand",
    "translate",
    "complete",
    "finish",
    "start",
    "begin",
    "plan",
    "schedule",
    "conduct",
    "execute",
)


def _inflections(verb: str) -> str:
    # publish → publishes, publishing, published; create → creating; run → running,
    # plan → planned. Loose on purpose: a made-up form that matches nothing costs nothing.
    escaped = re.escape(verb)
    forms = escaped + re.escape(verb[-1]) + "?(?:s|es|d|ed|ing)?"
    if verb.endswith("e"):
        forms += "|" + re.escape(verb[:-1]) + "ing"
    return forms


_IRREGULAR_PAST = "wrote|written|ran|built|held|sent|made|shot|begun|began|set up|rolled out"
# Openings that carry no meaning of their own: "We will publish…", "To launch…".
_PREAMBLE = re.compile(
    r"^(?:(?:we|marketing|the team|our team|the marketing team|they|i)\s+"
    r"(?:will|shall|would|are going to|plan to|aim to|want to|need to|must|should)\s+"
    r"|(?:will|to|aim to|plan to)\s+)",
    re.IGNORECASE,
)
_STARTS_WITH_ACTIVITY = re.compile(
    # Followed by a space or the end, so "Post-launch revenue…" is not "post".
    r"^(?:" + "|".join(_inflections(v) for v in _ACTIVITY_VERBS) + "|" + _IRREGULAR_PAST + r")"
    r"(?=\s|$)",
    re.IGNORECASE,
)

# Outputs counted as if they were results: "12 blog posts", "four webinars".
_OUTPUTS = (
    r"posts?|blog posts?|articles?|blogs?|webinars?|events?|emails?|newsletters?|videos?|"
    r"campaigns?|ads?|adverts?|case stud(?:y|ies)|white ?papers?|e-?books?|"
    r"press releases?|podcasts?|episodes?|workshops?|landing pages?|pages?|tweets?|"
    r"assets?|pieces(?: of content)?|brochures?|infographics?|launches|meetups?|"
    r"conferences?|booths?|banners?|decks?|one-pagers?|guides?|reports?|mailings?|"
    r"social posts?|stories|reels?|playbooks?|templates?|trainings?|sessions|shows|roadshows"
)
_COUNTED_OUTPUTS = re.compile(
    rf"\b(?:\d+|{_NUMBER_WORDS})\s+(?:[a-z-]+\s+){{0,2}}(?:{_OUTPUTS})\b",
    re.IGNORECASE,
)

# A change in a business number: a direction word, then a size ("by 20%", "to 400").
_CHANGE = re.compile(
    r"\b(?:increas(?:e|es|ed|ing)|grow(?:s|th|n|ing)?|grew|reduc(?:e|es|ed|ing|tion)|"
    r"rais(?:e|es|ed|ing)|lift(?:s|ed|ing)?|improv(?:e|es|ed|ing|ement)|cut(?:s|ting)?|"
    r"lower(?:s|ed|ing)?|boost(?:s|ed|ing)?|doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|"
    r"halv(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|expand(?:s|ed|ing)?|"
    r"accelerat(?:e|es|ed|ing)|shorten(?:s|ed|ing)?|gain(?:s|ed|ing)?|win(?:s|ning)?|won|"
    r"generat(?:e|es|ed|ing)|driv(?:e|es|ing)|drove|convert(?:s|ed|ing)?|"
    r"retain(?:s|ed|ing)?|achiev(?:e|es|ed|ing)|reach(?:es|ed|ing)?|hit(?:s|ting)?|"
    r"ris(?:e|es|ing)|rose|climb(?:s|ed|ing)?|fall(?:s|ing)?|fell|drop(?:s|ped|ping)?|"
    r"declin(?:e|es|ed|ing)|up|down|more|fewer|less|higher|faster|shorter)\b",
    re.IGNORECASE,
)
_SIZE = re.compile(
    rf"\b(?:by|to|from|at least|over|above|below|under)\b[^.;]*?(?:\d|%|\b(?:{_NUMBER_WORDS})\b)"
    rf"|\d+(?:[.,]\d+)?\s*(?:%|percent|x\b|pp\b|points?\b)",
    re.IGNORECASE,
)


# --- The checks -----------------------------------------------------------------------


def check_outcome(
    body: Mapping[str, Any] | OutcomeBody, rules: Playbook | None = None
) -> list[Finding]:
    """Check one outcome statement against the playbook's six outcome rules.

    `body` may be a plain dict (a draft still being typed may lack fields) or an
    `OutcomeBody`. With `rules` left out the default playbook is loaded, which reads
    files: callers checking many outcomes should load it once and pass it.
    """
    fields = _fields(body)
    playbook = rules if rules is not None else _default_playbook()
    findings = []
    for rule in playbook.outcome_rules:
        check = _CHECKS.get(rule.id)
        if check is None:
            continue  # a rule the organisation added; only a person can apply it
        verdict = check(fields)
        findings.append(Finding(rule.id, verdict.ok, verdict.message, rule.title, verdict.label))
    return findings


def summarise(findings: Iterable[Finding]) -> str:
    """One line for a card: "4 of 6 checks pass: baseline unknown, reads like an activity"."""
    findings = list(findings)
    if not findings:
        return "No checks run"
    failed = [f.label for f in findings if not f.ok]
    if not failed:
        return f"All {len(findings)} checks pass"
    passed = len(findings) - len(failed)
    return f"{passed} of {len(findings)} checks pass: {', '.join(failed)}"


def is_unknown(value: object) -> bool:
    """True for a value nobody gave: None, empty, or a placeholder such as "TBD"."""
    text = _text(value)
    return not text or bool(_UNKNOWN.match(text))


def _check_metric(fields: Mapping[str, str]) -> _Verdict:
    metric = fields["metric"]
    if is_unknown(metric):
        return _Verdict(
            False,
            "No metric: say how the result is measured — a number, a rate or a count.",
            "no metric",
        )
    # A vague metric is rescued by a numeric target: "engagement", target "4% CTR".
    if _MEASURABLE.search(metric) or _QUANTITY.search(fields["target"]):
        return _Verdict(True, f"Measured by {_quote(metric)}.", "metric")
    return _Verdict(
        False,
        f"The metric {_quote(metric)} cannot be counted as it stands: name the number, "
        "rate or count to track.",
        "metric not measurable",
    )


def _check_baseline(fields: Mapping[str, str]) -> _Verdict:
    if is_unknown(fields["baseline"]):
        return _Verdict(
            False,
            "Baseline unknown: nobody said where this stands today — a person must fill it in.",
            "baseline unknown",
        )
    return _Verdict(True, f"Starts from {_quote(fields['baseline'])}.", "baseline")


def _check_target(fields: Mapping[str, str]) -> _Verdict:
    target = fields["target"]
    if is_unknown(target):
        return _Verdict(
            False,
            "Target unknown: nobody set the value to reach — a person must fill it in.",
            "target unknown",
        )
    if not _QUANTITY.search(target):
        return _Verdict(
            False,
            f"The target {_quote(target)} has no number: say what value the metric should reach.",
            "target has no number",
        )
    return _Verdict(True, f"Aims for {_quote(target)}.", "target")


def _check_due(fields: Mapping[str, str]) -> _Verdict:
    due = fields["due"]
    if is_unknown(due):
        return _Verdict(
            False,
            "Due date unknown: say by when — a date, a quarter or 'within 90 days'.",
            "due date unknown",
        )
    if not _WHEN.search(due):
        return _Verdict(
            False,
            f"The due date {_quote(due)} does not say when: give a date or a time frame, "
            "such as 'by 30 September' or 'within 90 days'.",
            "due date unclear",
        )
    return _Verdict(True, f"Due {_quote(due)}.", "due date")


def _check_owner(fields: Mapping[str, str]) -> _Verdict:
    if is_unknown(fields["owner"]):
        return _Verdict(
            False,
            "No owner: name the one person or team in marketing accountable for this.",
            "no owner",
        )
    return _Verdict(True, f"Owned by {fields['owner']}.", "owner")


def _check_result(fields: Mapping[str, str]) -> _Verdict:
    result = fields["result"]
    if is_unknown(result):
        return _Verdict(
            False,
            "No result: say what changes in the business because of this work.",
            "no result",
        )
    if looks_like_activity(result):
        return _Verdict(
            False,
            f"Reads like an activity ({_quote(result, lower=True)}), not a result: say what "
            "changes because of it.",
            "reads like an activity",
        )
    return _Verdict(True, "Describes a change in the business, not work to be done.", "result")


def looks_like_activity(result: str) -> bool:
    """True when a result statement describes work to be done rather than a change.

    It is an activity when it opens with an activity verb ("Publish…", "We will run…")
    or counts outputs ("12 blog posts"), unless it also names a change in a number with
    its size ("…to grow demo requests by 20%"): then the result is there, only wordy.
    A known blind spot: a sized change in an output ("increase blog posts to 12 a
    month") passes; the facilitator and the metric check are the second line.
    """
    text = _PREAMBLE.sub("", result.strip(), count=1)
    activity = bool(_STARTS_WITH_ACTIVITY.match(text) or _COUNTED_OUTPUTS.search(text))
    return activity and not describes_change(text)


def describes_change(text: str) -> bool:
    """True when `text` names a direction of change and its size ("grow … by 20%")."""
    return bool(_CHANGE.search(text) and _SIZE.search(text))


_CHECKS: dict[str, Callable[[Mapping[str, str]], _Verdict]] = {
    "metric": _check_metric,
    "baseline": _check_baseline,
    "target": _check_target,
    "due_date": _check_due,
    "owner": _check_owner,
    "result_not_activity": _check_result,
}


# --- Helpers --------------------------------------------------------------------------


def _fields(body: Mapping[str, Any] | OutcomeBody) -> dict[str, str]:
    # Duck-typed rather than isinstance, so this module does not import the store.
    data = body.model_dump() if hasattr(body, "model_dump") else dict(body)
    names = ("result", "metric", "baseline", "target", "due", "owner")
    return {name: _text(data.get(name)) for name in names}


def _text(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _quote(value: str, lower: bool = False) -> str:
    text = value if len(value) <= QUOTE_MAX else value[: QUOTE_MAX - 1].rstrip() + "…"
    if lower and text[:1].isupper() and not text[1:2].isupper():
        text = text[0].lower() + text[1:]  # reads as a quote inside the sentence
    return f"'{text}'"


def _default_playbook() -> Playbook:
    # Imported here so that importing this module reads no files.
    from prompt_library import load_library

    return load_library().playbook()
