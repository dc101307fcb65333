"""What people supplied to a session: the texts a draft may draw its figures from, and the
texts an instruction to the model may hide in."""

from __future__ import annotations

from typing import Any

from sessions import ItemKind, Origin, SessionRecord, StakeholderInput
from workshop.rules.draft_flags import numbers_in


def data_texts(record: SessionRecord) -> list[tuple[str, str]]:
    """(whose, text) for what people typed into the brief and the register.

    Only the typed fields: ids, positions and timestamps hold digits nobody supplied.
    """
    typed = set(StakeholderInput.model_fields)
    texts = [("the brief", plain(record.session.brief.model_dump(mode="json")))]
    for person in record.stakeholders:
        texts.append((person.name, plain(person.model_dump(mode="json", include=typed))))
    return texts


def plain(value: Any) -> str:
    """Every text in a dumped model, one a line, so a sentence never runs into a key."""
    if isinstance(value, dict):
        return "\n".join(plain(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(plain(v) for v in value)
    return "" if value is None else str(value)


def supplied_figures(record: SessionRecord) -> set[float]:
    """Every figure people gave: the brief, the register, and every item a person wrote
    or edited (the captured answers among them)."""
    texts = [text for _, text in data_texts(record)]
    for item in record.items:
        if item.origin is not Origin.MODEL or item.kind is ItemKind.ANSWERS:
            texts.append(plain(item.body))
    return numbers_in("\n".join(texts))
