"""What the review says where the store keeps an id: the title of the item or workshop it
names, the segment's name, the model's name.

The room reads the review on the big screen; "outcome id: itm_8f3a1c2b7d4e" or "carried
forward from ses_0a1b2c3d4e01" means nothing there. The ids and approval hashes stay in
the store, the CLI's JSON and the export's provenance appendix, where they are checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sessions.follow_up import CARRIED_NOTE

MODEL_AUTHOR = "model:"  # how the drafter signs a model's revision: "model:gpt-4o-mini"
CARRIED_FROM = CARRIED_NOTE.split("{", 1)[0]  # "carried forward from "
# A body field holding another item's id, and the name it is shown under instead.
LINKS = {"outcome_id": "outcome"}
GONE = "an item no longer in this workshop"


@dataclass(frozen=True)
class Readable:
    item_titles: Mapping[str, str] = field(default_factory=dict)
    session_titles: Mapping[str, str] = field(default_factory=dict)
    segment_names: Mapping[str, str] = field(default_factory=dict)

    def author(self, author: str, short: bool = False) -> str:
        """A model's revision by the model's name; a person's as they are recorded."""
        if not author.startswith(MODEL_AUTHOR):
            return author
        model = author[len(MODEL_AUTHOR) :] or "a model"
        return model if short else f"{model} (a model)"

    def note(self, note: str) -> str:
        if note.startswith(CARRIED_FROM):
            parent = note[len(CARRIED_FROM) :].strip()
            title = self.session_titles.get(parent)
            return f"{CARRIED_FROM}“{title}”" if title else f"{CARRIED_FROM}an earlier workshop"
        return note

    def body(self, body: dict[str, Any] | None) -> dict[str, Any] | None:
        """The body with the ids it links to as titles, and segments by their names."""
        if not body:
            return body
        shown: dict[str, Any] = {}
        for key, value in body.items():
            if key in LINKS:
                shown[LINKS[key]] = self.item_titles.get(value, GONE) if value else None
            elif key == "segment" and isinstance(value, str):
                shown[key] = self.segment_names.get(value, value)
            else:
                shown[key] = value
        return shown

    def order(self, order: Sequence[str]) -> list[str]:
        """A body model's field order under the names `body` shows them by."""
        return [LINKS.get(key, key) for key in order]
