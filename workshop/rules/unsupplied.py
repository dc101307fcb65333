"""What the app does with figures nobody gave once the model, asked, would not drop them:
it drops them itself. A baseline or target nobody gave becomes unknown (for the room to
fill in); "by 10%" leaves the result sentence. The note says what went, so nothing is
hidden: the model's own answer stays in the call log."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from workshop.rules.draft_flags import figures_written, invented_figures

_AROUND = (
    r"\s*(?:\b(?:by|to|from|of|at least|up to|over|under|around|about)\s+)?[$€£]?"
    r"(?<![\w.]){figure}(?![\w.])(?:\s*(?:%|percent\b|per cent\b|points?\b|pp\b|x\b))?"
)


def without_unsupplied(
    body: Mapping[str, Any], supplied: set[float]
) -> tuple[dict[str, Any], list[str]]:
    """The outcome without the figures nobody gave, and a phrase for each one removed."""
    found = invented_figures(body, supplied)
    if not found:
        return dict(body), []
    out = dict(body)
    said = []
    for field, figure in found:
        if field in ("baseline", "target"):
            if out.get(field) is not None:
                said.append(f"the {field} {out[field]!r} (now unknown)")
            out[field] = None
            continue
        sentence = drop_figures(str(out[field]), [figure])
        if sentence:
            said.append(f"{figure!r} from the {field}")
            out[field] = sentence
    return out, said


def unsupplied_in(text: str, supplied: set[float]) -> list[str]:
    """The figures in a text that are not among those supplied, each once, in order."""
    found: list[str] = []
    for raw in figures_written(text):
        if float(raw.replace(",", "")) not in supplied and raw not in found:
            found.append(raw)
    return found


def drop_figures(text: str, figures: list[str]) -> str:
    """The text without these figures and the words that carry them ("by 10%")."""
    for figure in figures:
        text = re.sub(_AROUND.format(figure=re.escape(figure)), "", text)
    lines = [re.sub(r"\s+([,.;:])", r"\1", " ".join(line.split())) for line in text.split("\n")]
    return "\n".join(line.strip(" ,;:") if line.strip() else "" for line in lines).strip()
