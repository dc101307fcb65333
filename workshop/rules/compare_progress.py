"""What happened between two workshops, as "what changed" tells it: how far each approved
outcome of the earlier session moved by its measurements, what became of its plan
entries, and which segments heard an update."""

from __future__ import annotations

from datetime import date

from sessions import ItemKind, Measurement, PlanStatus, PlanStatusChange, SessionRecord, Status
from workshop.rules.change import Change
from workshop.rules.plan_view import entry_states
from workshop.rules.progress import progress_of, start_of

PROGRESS_KINDS = (
    "progress_measured",
    "progress_unmeasured",
    "plan_done",
    "plan_slipped",
    "plan_dropped",
    "update_sent",
)
_PLAN_KINDS = {
    PlanStatus.DONE: "plan_done",
    PlanStatus.SLIPPED: "plan_slipped",
    PlanStatus.DROPPED: "plan_dropped",
}


def progress_changes(
    earlier: SessionRecord,
    measurements: list[Measurement],
    statuses: list[PlanStatusChange],
    segment_names: dict[str, str],
    today: date,
) -> list[Change]:
    """The earlier session's quarter: its outcomes' progress, its plan, its updates sent.
    Nothing at all when nothing was tracked: then "not measured" would only be noise."""
    if not measurements and not statuses and not earlier.items_of(ItemKind.IMPACT_UPDATE):
        return []
    start = start_of(earlier.session)
    changes = []
    for item in earlier.items_of(ItemKind.OUTCOME):
        if item.status is not Status.APPROVED:
            continue
        p = progress_of(item.id, item.body, start, measurements, today)
        if p.latest is None:
            changes.append(Change("progress_unmeasured", p.result))
            continue
        way = p.share_of_way
        changes.append(
            Change(
                "progress_measured",
                p.result,
                before=_figure(p.baseline, "an unknown baseline"),
                after=f"{p.latest.value:g} on {p.latest.measured_on.isoformat()}",
                field=(f"{way:.0%} of the way to {p.target:g}, " if way is not None else "")
                + p.status,
            )
        )
    entries = [i for i in earlier.items_of(ItemKind.PLAN_ENTRY) if i.status is not Status.REJECTED]
    for state in entry_states(entries, statuses, measurements, today):
        if kind := _PLAN_KINDS.get(state.status):
            changes.append(Change(kind, state.title, reason=state.note))
    for item in earlier.items_of(ItemKind.IMPACT_UPDATE):
        if item.status is Status.APPROVED:
            segment = str(item.body.get("segment", ""))
            changes.append(
                Change(
                    "update_sent",
                    segment_names.get(segment, segment),
                    after=str(item.body.get("headline", "")),
                    before=(item.approved_at or "")[:10],
                )
            )
    return changes


def _figure(value: float | None, unknown: str) -> str:
    return f"{value:g}" if value is not None else unknown
