"""The progress section of the Markdown export: for each approved outcome, baseline →
latest measurement → target, the share of the way and of the time, and the status by the
rule in docs/progress.md; then a Mermaid bar chart of the share of the way.

Progress is judged as of the day of the session's latest measurement (ExportView.as_of),
so the same session always gives the same document. With nothing measured, the section
says so and draws no chart.
"""

from __future__ import annotations

from workshop.export.sections import UNKNOWN, plural
from workshop.export.text import cell, mermaid_label, table
from workshop.export.view import ExportView
from workshop.rules.progress import NO_DATA, NOT_JUDGED, OutcomeProgress

HEADERS = ["Outcome", "Baseline", "Latest", "Target", "Of the way", "Of the time", "Status"]
CHART_LABEL_MAX = 28  # characters of an outcome's result under its bar


def progress(view: ExportView) -> list[str]:
    parts = ["## Progress"]
    tracked = view.tracked()
    if not tracked:
        return parts + ["No approved outcomes to track yet."]
    if view.as_of is None:
        return parts + ["No measurements yet."]
    measured = sum(1 for p in tracked if p.latest is not None)
    parts.append(
        f"As of {view.as_of.isoformat()}, the day of the latest measurement "
        f"({measured} of {plural(len(tracked), 'approved outcome')} measured). The share of "
        "the way is 0% at the baseline and 100% at the target; the share of the time runs "
        f"from the workshop ({tracked[0].start.isoformat()}) to the outcome's due day."
    )
    parts.append(table(HEADERS, [_row(p) for p in tracked]))
    chart = bar_chart(tracked)
    if chart:
        parts += [
            "Each bar is an outcome's share of the way from its baseline (0) to its target "
            "(100), held within 0 and 100; the table has the figures.",
            chart,
        ]
    return parts


def _row(p: OutcomeProgress) -> list[str]:
    latest = p.latest
    way, time = p.share_of_way, p.share_of_time
    if time is None or latest is None:
        time_text = ""
    elif time >= 1:
        time_text = f"past due ({p.due.isoformat()})" if p.due else "past due"
    else:
        time_text = f"{time:.0%}"
    status = p.status
    if status in (NOT_JUDGED, NO_DATA) and p.why:
        status += f" ({p.why})"
    return [
        cell(p.result, "Outcome"),
        _figure(p.baseline),
        f"{latest.value:g} ({latest.measured_on.isoformat()})" if latest else "*none yet*",
        _figure(p.target),
        f"{way:.0%}" if way is not None else "",
        time_text,
        cell(status),
    ]


def _figure(value: float | None) -> str:
    return f"{value:g}" if value is not None else UNKNOWN


def bar_chart(tracked: list[OutcomeProgress]) -> str:
    """A Mermaid xychart of the share of the way per outcome; empty when none is known.

    Labels go through mermaid_label (no quote, bracket, colon, comment or fence can
    survive); a label that repeats an earlier one gets a number, so that two outcomes
    with the same start stay two bars.
    """
    shown = [(n, p) for n, p in enumerate(tracked, 1) if p.share_of_way is not None]
    if not shown:
        return ""
    labels: list[str] = []
    for n, p in shown:
        label = mermaid_label(p.result, f"Outcome {n}", CHART_LABEL_MAX)
        if label in labels:
            label = f"{label} ({n})"
        labels.append(label)
    categories = ", ".join(f'"{label}"' for label in labels)
    bars = ", ".join(str(round(min(1.0, max(0.0, p.share_of_way or 0.0)) * 100)) for _, p in shown)
    return "\n".join(
        [
            "```mermaid",
            "xychart-beta",
            '    title "Share of the way from baseline to target"',
            f"    x-axis [{categories}]",
            '    y-axis "Percent of the way" 0 --> 100',
            f"    bar [{bars}]",
            "```",
        ]
    )
