"""The provenance appendix of the Markdown export, and the models a session used.

For each item in the document: whether a model drafted it (which model, which template
version) or a person wrote it, whether a person edited it, and who approved it when,
with the hash the approval recorded.
"""

from __future__ import annotations

import re
from collections import Counter

from sessions import Item, ItemKind, Origin, Revision, Status
from workshop.export.sections import DRAFT_CELL, mark, plural
from workshop.export.text import cell, inline, table
from workshop.export.view import ExportView, ModelCall

HEADERS = ["Item", "Drafted by", "Edited by a person", "Approved", "Approval hash"]
_HASH = re.compile(r"[0-9a-f]{8,128}")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_STAMP = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)")


def models_used(view: ExportView) -> str:
    """'gpt-4o-mini (12 calls)', sorted by model; empty when no call was recorded."""
    calls = Counter(c.model for c in view.data.calls.values())
    failed = Counter(c.model for c in view.data.calls.values() if not c.ok)
    parts = []
    for model in sorted(calls):
        detail = plural(calls[model], "call")
        if failed[model]:
            detail += f", {failed[model]} failed"
        parts.append(f"{inline(model)} ({detail})")
    return ", ".join(parts)


def provenance(view: ExportView) -> list[str]:
    """The team's appendix: the session id, the models used, and each item's history."""
    session_id = view.session.id
    ident = f"`{session_id}`" if _ID.fullmatch(session_id) else inline(session_id)
    about = [
        f"- **Session id:** {ident}",
        f"- **Models used:** {models_used(view) or 'none recorded'}",
    ]
    parts = ["## Appendix: provenance", "\n".join(about)]
    items = _in_document_order(view)
    if not items:
        return parts + ["Nothing is included in this document yet."]
    parts.append(
        "Every item in this document: who drafted it (a model, with the prompt template and "
        "its version, or a person), whether a person edited it, and who approved it and "
        "when. The approval hash is the SHA-256 of the text as approved; it no longer "
        "matches once the text changes."
    )
    rows = [
        [
            _label(view, item) + mark(item, DRAFT_CELL),
            _drafted_by(view, item),
            _edited_by(view, item),
            _approved(item),
            _hash(item),
        ]
        for item in items
    ]
    parts.append(table(HEADERS, rows))
    return parts


def _in_document_order(view: ExportView) -> list[Item]:
    guides = sorted(view.guides(), key=lambda i: view.segment_rank(i.body.get("segment")))
    answers = sorted(
        view.answers(), key=lambda i: view.segment_rank(view.segment_of(i.stakeholder_id))
    )
    assignments = sorted(view.assignments(), key=lambda i: view.segment_rank(i.body.get("segment")))
    return [*view.outcomes(), *assignments, *guides, *answers, *view.plan(), *view.cadences()]


def _label(view: ExportView, item: Item) -> str:
    body = item.body
    who = view.names.get(item.stakeholder_id or "", "")
    segment = view.segment_name(body.get("segment"))
    match item.kind:
        case ItemKind.OUTCOME:
            text = f"Outcome: {body.get('result', '')}"
        case ItemKind.SEGMENTATION:
            text = f"Segment: {who} as {segment}"
        case ItemKind.DISCUSSION_GUIDE:
            text = f"Questions for {who}" if who else f"Discussion guide: {segment}"
        case ItemKind.ANSWERS:
            text = f"Answers of {who}"
        case ItemKind.PLAN_ENTRY:
            text = f"Plan entry: {body.get('title', '')}"
        case ItemKind.CADENCE:
            text = f"Impact cadence: {segment}"
        case ItemKind.IMPACT_UPDATE:
            text = f"Impact update for {segment}: {body.get('period', '')}"
        case _:
            text = item.kind.value
    return cell(text)


def _revisions(view: ExportView, item: Item) -> list[Revision]:
    return sorted(view.data.revisions.get(item.id, ()), key=lambda r: r.number)


def _model_call(view: ExportView, item: Item) -> ModelCall | None:
    for revision in reversed(_revisions(view, item)):
        if revision.llm_call_id:
            return view.data.calls.get(revision.llm_call_id)
    return None


def _drafted_by(view: ExportView, item: Item) -> str:
    revisions = _revisions(view, item)
    stale = " *(its inputs changed since)*" if item.stale else ""
    if item.origin is Origin.PERSON:
        author = revisions[0].author if revisions else ""
        verb = "captured live" if item.kind is ItemKind.ANSWERS else "written"
        return f"{verb} by {cell(author)}" if author.strip() else f"{verb} by a person"
    call = _model_call(view, item)
    if call is None:
        return "a model (call not recorded)" + stale
    text = f"model {cell(call.model)}"
    if call.template_id:
        version = f" v{call.template_version}" if call.template_version is not None else ""
        text += f", template {cell(call.template_id)}{version}"
        if call.template_version is None and call.template_hash:
            text += f" (not the current one; sha256 {cell(call.template_hash[:12])})"
    return text + stale


def _edited_by(view: ExportView, item: Item) -> str:
    revisions = _revisions(view, item)
    editors: list[str] = []
    for before, after in zip(revisions, revisions[1:], strict=False):
        by_person = after.llm_call_id is None and after.author != "model"
        if by_person and after.body != before.body and after.author not in editors:
            editors.append(after.author)
    if item.origin is Origin.PERSON and revisions:
        editors = [e for e in editors if e != revisions[0].author]
    if editors:
        return cell(", ".join(editors))
    if item.origin is Origin.EDITED:
        return "yes"
    return "no"


def _approved(item: Item) -> str:
    if item.status is Status.APPROVED:
        when = _stamp(item.approved_at or "")
        by = cell(item.approved_by or "", "someone")
        return f"{by}, {when}" if when else by
    if item.kind is ItemKind.ANSWERS:
        return "*not subject to approval*"
    return "*not approved*"


def _stamp(value: str) -> str:
    match = _STAMP.match(value)
    return f"{match[1]} {match[2]} UTC" if match else cell(value)


def _hash(item: Item) -> str:
    digest = item.approved_hash or ""
    if item.status is not Status.APPROVED or not digest:
        return ""
    return f"`{digest}`" if _HASH.fullmatch(digest) else cell(digest)
