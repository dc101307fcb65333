"""One difference between two sessions, and the plain sentence that says it: the shape
the export, the CLI (`workshop diff`) and the TUI all show (compare.py computes them)."""

from __future__ import annotations

from dataclasses import dataclass

FIELD_NAMES = {
    "result": "wording",
    "metric": "metric",
    "baseline": "baseline",
    "due": "due date",
    "owner": "owner",
}
SENTENCE_WIDTH = 160


@dataclass(frozen=True)
class Change:
    """One difference a marketing leader would want to hear about."""

    kind: str  # stakeholder_added, stakeholder_removed, segment_moved, outcome_added,
    # outcome_dropped, outcome_changed, target_raised, target_lowered, priority_added, …
    subject: str  # who or what: a stakeholder's name, an outcome's result
    before: str = ""  # e.g. "Champion", "20%"
    after: str = ""  # e.g. "Detractor", "15%"
    reason: str = ""  # why, when someone gave a reason (a revision note, a change note)
    field: str = ""  # for outcome_changed: result, metric, baseline, due or owner
    pending: bool = False  # the item in the later session is a draft, not approved yet

    def sentence(self) -> str:
        """One plain line, e.g. 'Marta Kowalski moved from Champion to Detractor.'"""
        subject, before, after = _line(self.subject), _line(self.before), _line(self.after)
        quoted = f'"{subject}"'
        match self.kind:
            case "stakeholder_added":
                text = f"{subject} joined the stakeholders" + (f" as {after}" if after else "")
            case "stakeholder_removed":
                text = f"{subject} is no longer among the stakeholders" + (
                    f" (was {before})" if before else ""
                )
            case "segment_moved":
                text = f"{subject} moved from {before} to {after}"
            case "segment_assigned":
                text = f"{subject} is now in the {after} segment"
            case "segment_cleared":
                text = f"{subject} no longer has a segment (was {before})"
            case "seat_changed":
                text = f"{subject} took over from {before}" + (f" as {after}" if after else "")
                text += "; the seat is to be resold"
            case "influence_changed":
                text = f"{subject}'s influence went from {before} to {after}"
            case "stance_changed":
                text = f"{subject}'s stance towards marketing went from {before} to {after}"
            case "outcome_added":
                text = f"New outcome: {quoted}"
            case "outcome_dropped":
                text = f"Outcome dropped: {quoted}"
            case "target_raised" | "target_lowered" | "target_changed":
                verb = self.kind.removeprefix("target_")
                text = f"Target for {quoted} {verb} from {before} to {after}"
            case "outcome_changed" if self.field == "result":
                text = f'Outcome "{before}" reworded as "{after}"'
            case "outcome_changed":
                name = FIELD_NAMES.get(self.field, self.field or "outcome")
                text = f'{name.capitalize()} of {quoted} changed from "{before}" to "{after}"'
            case "progress_measured":
                text = f"{quoted} went from {before} to {after}: {self.field}"
            case "progress_unmeasured":
                text = f"{quoted} was not measured since the last session"
            case "plan_done" | "plan_slipped" | "plan_dropped":
                text = f"Plan entry {quoted} {self.kind.removeprefix('plan_')}"
            case "update_sent":
                text = f"{subject} heard an impact update on {before}: {quoted_after(after)}"
            case "priority_added":
                text = f"New business priority: {quoted}"
            case "priority_dropped":
                text = f"Business priority dropped: {quoted}"
            case _:
                text = f"{self.kind.replace('_', ' ').capitalize()}: {subject}"
                if before or after:
                    text += f" ({before} → {after})"
        if self.pending:
            text += " (not approved yet)"
        if self.reason:
            text += f" (reason: {_line(self.reason).rstrip('.')})"
        return text + "."


def quoted_after(text: str) -> str:
    return f'"{text}"' if text else "no headline"


def _line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SENTENCE_WIDTH else text[: SENTENCE_WIDTH - 1] + "…"
