"""The asks of the Markdown export: what the approved strategy still needs from its
readers, read from the session itself (nothing is invented):

- a figure nobody in the workshop gave for an approved outcome (its baseline, target,
  due day or owner), which someone has to supply;
- an approved outcome that is behind or at risk by the progress rule, which needs
  attention or a decision.
"""

from __future__ import annotations

from sessions import Status
from workshop.export.sections import text_of
from workshop.export.text import inline, list_item
from workshop.export.view import ExportView
from workshop.rules.progress import AT_RISK, BEHIND

FIELDS = (("baseline", "baseline"), ("target", "target"), ("due", "due day"), ("owner", "owner"))


def asks(view: ExportView) -> list[str]:
    parts = ["## Asks"]
    lines = []
    for item in view.outcomes():
        if item.status is not Status.APPROVED:
            continue
        result = text_of(item.body.get("result")).strip() or "an outcome"
        missing = [name for key, name in FIELDS if not text_of(item.body.get(key)).strip()]
        if missing:
            names = _joined(missing)
            them = "it" if len(missing) == 1 else "them"
            lines.append(
                list_item(f'The {names} of "{result}": nobody in the workshop gave {them}.')
            )
        progress = view.progress(item)
        if progress is not None and progress.status in (BEHIND, AT_RISK):
            way = progress.share_of_way or 0.0
            time = progress.share_of_time
            gone = f" with {min(time, 1.0):.0%} of the time gone" if time is not None else ""
            lines.append(
                list_item(
                    f'Attention to "{result}": {progress.status}, {way:.0%} of the way{gone}.'
                )
            )
    if not lines:
        return parts + [
            "Nothing open: every approved outcome has its figures, and none is behind or at risk."
        ]
    intro = "What the strategy needs from its readers, as the session stands:"
    return parts + [inline(intro), "\n".join(lines)]


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
