"""Where an item stands, in the words the room uses: "○ model's draft", "✓ approved"."""

from __future__ import annotations

from sessions import Item, Origin, Status

STATUS_MARKS = {
    Status.DRAFT: "○",
    Status.APPROVED: "✓ approved",
    Status.REJECTED: "✗ rejected",
}
DRAFT_WORDS = {
    Origin.MODEL: "model's draft",
    Origin.PERSON: "written in the room",
    Origin.EDITED: "edited in the room",
}


def status_words(item: Item) -> str:
    """A draft says who wrote it; once decided, only the decision counts on the main
    screens (who drafted what stays in the history and the export's appendix)."""
    if item.status is Status.DRAFT:
        return f"{STATUS_MARKS[Status.DRAFT]} {DRAFT_WORDS[item.origin]}"
    return STATUS_MARKS[item.status]
