"""The session as a GitHub-flavoured Markdown document, to share the approved strategy.

For the team (the default), in order: the title and metadata; an executive summary (the
figures and each outcome by name, the business priorities, marketing today, the known
challenges); for a follow-up, what changed since the session it continues; the outcomes
(a table, then each outcome's invested stakeholders, leading indicators and plan
entries); their progress (a table and a Mermaid bar chart); the stakeholder map (a
Mermaid quadrant chart of influence against support, then a table per segment); the
engagement plan per segment and person; the discussion guides with the answers
captured; the 90-day plan; the impact cadence; the asks; an appendix on provenance
(the session id, the models used, who drafted, edited and approved each item).

For leadership: the same metadata, summary, outcomes, progress, plan, cadence and asks,
and nothing that labels, quotes or judges a person: no stakeholder map, engagement plan,
segment of anyone, objection, rationale, confidence or attributed answer, no change
about people, the cadence without its segments, and no model or prompt provenance beyond
one closing line. A leadership export holds approved items only.

Unapproved items are left out and counted, or with include_drafts shown and marked
"(draft)" (view.py says exactly which items are shown). Deterministic: the same
session gives the same bytes (no export time, stable order everywhere). Everything
people or models wrote goes through the escaping in text.py, so it cannot break the
document.
"""

from __future__ import annotations

from sessions import SessionRecord
from workshop.export import people, sections, summary
from workshop.export.asks import asks
from workshop.export.progress import progress
from workshop.export.provenance import provenance
from workshop.export.text import inline
from workshop.export.view import (
    DEFAULT_SEGMENTS,
    Audience,
    ExportData,
    ExportView,
    ModelCall,
    SegmentInfo,
)

PREPARED_WITH = "*Prepared with Strategy Workshop.*"


def export_markdown(
    source: ExportData | SessionRecord,
    include_drafts: bool = False,
    audience: Audience | str = Audience.TEAM,
) -> str:
    """The whole document. A bare record exports without revisions or model details.

    Raises ValueError for a leadership export with drafts (it holds approved items only).
    """
    data = source if isinstance(source, ExportData) else ExportData(record=source)
    view = ExportView(data, include_drafts, Audience(audience))
    parts = [f"# {inline(view.session.title)}", summary.metadata(view)]
    parts += summary.summary(view)
    parts += summary.changes(view)
    parts += sections.outcomes(view)
    parts += progress(view)
    if view.leadership:
        parts += sections.plan(view)
        parts += sections.cadence(view)
        parts += asks(view)
        parts.append(PREPARED_WITH)
    else:
        parts += people.stakeholder_map(view)
        parts += people.engagement_plan(view)
        parts += people.discussions(view)
        parts += sections.plan(view)
        parts += sections.cadence(view)
        parts += asks(view)
        parts += provenance(view)
    return "\n\n".join(part for part in parts if part) + "\n"


__all__ = [
    "DEFAULT_SEGMENTS",
    "Audience",
    "ExportData",
    "ModelCall",
    "SegmentInfo",
    "export_markdown",
]
