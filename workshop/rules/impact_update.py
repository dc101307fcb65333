"""An impact update for one segment, written from what was recorded: the template the app
fills in without a model, and the figures such an update may contain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workshop.rules.plan_view import EntryState
from workshop.rules.progress import OutcomeProgress

_STATUS_WORDS = {
    "met": "met",
    "on track": "on track",
    "at risk": "at risk",
    "behind": "behind",
    "no data yet": "not measured yet",
    "not judged": "measured, not judged",
}


def template_update(
    period: str,
    progress: Sequence[OutcomeProgress],
    plan: Sequence[EntryState],
    today: date,
) -> dict[str, str]:
    """The update's body: a headline and a Markdown text built only from recorded facts."""
    measured = [p for p in progress if p.latest is not None]
    met = sum(1 for p in progress if p.status == "met")
    headline = (
        f"Marketing's impact, {period}: {met} of {len(progress)} outcomes met, "
        f"{len(measured)} measured"
        if progress
        else f"Marketing's impact, {period}: no approved outcome to report on yet"
    )
    lines = ["## Outcomes", ""]
    if not progress:
        lines.append("No outcome is approved yet.")
    for p in progress:
        lines.append(f"- **{p.result}** ({p.metric}): {_figures(p)}; {_STATUS_WORDS[p.status]}.")
    done = [e for e in plan if e.status.value == "done"]
    coming = [e for e in plan if e.status.value in ("planned", "in progress", "slipped")]
    lines += ["", "## The plan", ""]
    if done:
        lines += [f"- Done: {e.title}{_moved(e)}" for e in done]
    if coming:
        lines += [f"- Next: {e.title}{_from(e)}" for e in coming[:5]]
    if not done and not coming:
        lines.append("No plan entries yet.")
    late = [e for e in plan if e.late]
    if late:
        lines += ["", f"Late: {', '.join(e.title for e in late)}."]
    lines += ["", f"_As recorded on {today.isoformat()}._"]
    text = "\n".join(lines)
    return {"headline": headline[:200], "period": period, "text": text}


def _figures(p: OutcomeProgress) -> str:
    baseline = f"{p.baseline:g}" if p.baseline is not None else "baseline unknown"
    target = f"{p.target:g}" if p.target is not None else "target unknown"
    latest = (
        f"{p.latest.value:g} on {p.latest.measured_on.isoformat()}" if p.latest else "no figure yet"
    )
    return f"from {baseline} to {target}, now {latest}"


def _moved(e: EntryState) -> str:
    return f" (its outcome went from {e.before:g} to {e.after:g})" if e.moved is not None else ""


def _from(e: EntryState) -> str:
    return f", from {e.starts.isoformat()}" if e.starts else ""


def recorded_figures(progress: Sequence[OutcomeProgress], today: date) -> set[float]:
    """Every number an update may state: baselines, targets, measured values, their days
    and counts; anything else in a drafted update is a figure nobody recorded."""
    figures: set[float] = {float(len(progress)), float(today.year), float(today.day)}
    for p in progress:
        for value in (p.baseline, p.target):
            if value is not None:
                figures.add(value)
        for m in p.measurements:
            figures |= {m.value, float(m.measured_on.year), float(m.measured_on.day)}
    return figures
