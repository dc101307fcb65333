"""An outcome statement on the outcomes stage, with its checks beside it.

Unknown baselines, targets and dates stand out: the model must not invent them, so a
person in the room has to give them. All text is shown as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from sessions import Item, Status
from workshop.rules.outcome_checks import Finding
from workshop.tui.widgets.question_widgets import item_line

UNKNOWN = "UNKNOWN — someone in the room must give it"
FIELDS = [
    ("metric", "Metric", "metric"),
    ("baseline", "Baseline", "baseline"),
    ("target", "Target", "target"),
    ("due", "Due", "due_date"),
    ("owner", "Owner", "owner"),
    ("priority", "Serves", ""),
]
MAY_BE_UNKNOWN = {"baseline", "target", "due"}
# A card shows this much of a long text; the whole is in the edit dialog and the export.
RESULT_SHOWN = 600
FIELD_SHOWN = 200

Part = str | tuple[str, str] | Content


def is_unknown(key: str, value: Any, findings: Sequence[Finding]) -> bool:
    """A baseline, target or date nobody gave: empty, or what the checks call unknown."""
    if key not in MAY_BE_UNKNOWN:
        return False
    if value is None or not str(value).strip():
        return True
    rule = dict((k, r) for k, _, r in FIELDS)[key]
    return any(f.rule_id == rule and not f.ok and f.label.endswith("unknown") for f in findings)


def clipped(text: str, limit: int) -> str:
    """Text cut to about `limit` characters, saying how long the whole is."""
    if len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()}… ({len(text):,} characters in all; e shows everything)"


def outcome_details(body: dict[str, Any], findings: Sequence[Finding]) -> list[Part]:
    """The statement's fields, one a line; unknowns in the warning colour."""
    result = str(body.get("result") or "").strip()
    parts: list[Part] = [
        (
            clipped(result, RESULT_SHOWN) or "(no result written yet)",
            "bold" if result else "dim italic",
        )
    ]
    for key, label, _ in FIELDS:
        value = body.get(key)
        text = "" if value is None else clipped(str(value).strip(), FIELD_SHOWN)
        parts.append(f"\n{label + ':':<10}")
        if is_unknown(key, value, findings):
            if text:
                parts.append(f"{text}  ")
            parts.append((UNKNOWN, "$warning bold reverse" if not text else "$warning bold"))
        elif not text:
            parts.append(("— not given", "$warning"))
        else:
            parts.append(text)
    people = [str(p) for p in body.get("stakeholders") or []]
    if people:
        parts.append(f"\n{'Invested:':<10}{', '.join(people)}")
    indicators = [str(i) for i in body.get("leading_indicators") or []]
    if indicators:
        parts.append(f"\n{'Leading:':<10}{'  ·  '.join(indicators)}")
    return parts


def checks_content(findings: Sequence[Finding], extra: Sequence[str] = ()) -> Content:
    """A ✓/✗ line per rule with its message, under a one-line count."""
    passed = sum(1 for f in findings if f.ok)
    everything = passed == len(findings)
    parts: list[Part] = [
        (
            f"Checks: {passed} of {len(findings)} pass",
            "$success bold" if everything else "$warning bold",
        )
    ]
    for finding in findings:
        mark = ("\n✓ ", "$success bold") if finding.ok else ("\n✗ ", "$error bold")
        parts += [mark, (finding.rule_title, "bold"), f": {finding.message}"]
    for line in extra:
        parts.append((f"\n⚠ {line}", "$warning"))
    return Content.assemble(*parts)


class OutcomeCard(Horizontal, can_focus=True):
    """Focusable; the pane's keys (e, a, r, u) act on the focused card."""

    BINDINGS = [
        Binding("down", "step(1)", "Next outcome", show=False, id="outcomes.next"),
        Binding("up", "step(-1)", "Previous outcome", show=False, id="outcomes.previous"),
    ]

    def __init__(self, item: Item, findings: list[Finding]) -> None:
        super().__init__(classes="out-card")
        self.item = item
        self.findings = findings

    def compose(self) -> ComposeResult:
        yield Static(classes="out-detail")
        yield Static(classes="out-checks")

    def on_mount(self) -> None:
        item = self.item
        self.set_class(item.status is Status.APPROVED, "approved")
        self.set_class(item.status is Status.REJECTED, "rejected")
        self.set_class(item.stale, "stale")
        self.set_class(any(not f.ok for f in self.findings), "failing")
        details = outcome_details(item.body, self.findings)
        details[1:1] = ["\n", item_line(item)]
        self.query_one(".out-detail", Static).update(Content.assemble(*details))
        self.query_one(".out-checks", Static).update(checks_content(self.findings))

    def action_step(self, step: int) -> None:
        cards = list(self.parent.query_children(OutcomeCard)) if self.parent else [self]
        index = cards.index(self) + step
        if 0 <= index < len(cards):
            cards[index].focus()
