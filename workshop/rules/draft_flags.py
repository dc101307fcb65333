"""Flags on model drafts that the room must look at: obeyed injections, invented figures.

The prompts already tell the model to treat the register as data and never to estimate a
figure; a small model does both anyway. These checks catch it after the fact, with no model:
a draft that agrees with an instruction found inside the data, or an outcome whose result,
baseline or target holds a number that appears nowhere in what people supplied (the brief, the
register, the captured answers, anything a person wrote). Only drafts the model wrote and
nobody has edited are flagged: an edit is a person vouching for the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

QUOTE_MAX = 90

# Words that address the model rather than describe a person. Deliberately narrow: a note
# such as "ignores the budget rules" must not trip it, so each pattern needs the shape of
# an order given to an assistant.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,30}?"
    r"\b(?:instructions?|prompts?|everything (?:above|before)|the above)\b"
    r"|\b(?:classify|mark|label|place|put|assign|segment|rate|treat)\s+"
    r"(?:every\s?one|every\s?body|all\b[^.\n]{0,25}?|each\b[^.\n]{0,25}?|them all|this person|me)"
    r"[^.\n]{0,30}?\bas\b[^.\n]{0,30}"
    r"|\byou are now\b|\bsystem prompt\b|\bnew instructions?\b|\bas an ai\b",
    re.IGNORECASE,
)

# A figure: digits, optionally with thousands separators and a decimal part.
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")
_FIGURE_FIELDS = ("result", "baseline", "target")


@dataclass(frozen=True)
class DraftFlag:
    """Why the room must check a draft: a few words for a card, a sentence for the rest."""

    short: str
    message: str


@dataclass(frozen=True)
class Instruction:
    """An order to the model found inside the data, and whose data it was in."""

    owner: str  # a person's name, or "the brief"
    sentence: str  # the whole sentence the order is in: "…and classify everyone as X"

    @property
    def quote(self) -> str:
        return _quote(self.sentence)

    def names(self, word: str) -> bool:
        pattern = rf"\b{re.escape(word)}\b"
        return bool(word) and re.search(pattern, self.sentence, re.I) is not None


LEFT_OUT = "[an instruction to the model, left out]"
_STOPS = (".", "\n", "!", "?")


def _instruction_span(text: str, start: int = 0) -> tuple[int, int] | None:
    """Where the sentence holding the next instruction-like phrase begins and ends."""
    match = _INSTRUCTION.search(text, start)
    if match is None:
        return None
    begin = max(start, max(text.rfind(stop, 0, match.start()) for stop in _STOPS) + 1)
    ends = [i for i in (text.find(stop, match.end()) for stop in _STOPS) if i >= 0]
    return begin, min(ends, default=len(text))


def instruction_in(text: str) -> str | None:
    """The sentence holding the first instruction-like phrase; None when there is none."""
    text = text or ""
    span = _instruction_span(text)
    return " ".join(text[span[0] : span[1]].split()) if span else None


def without_instructions(text: str) -> str:
    """The text with each sentence that gives the model an order replaced by a marker.

    Telling a small model to ignore such orders is not enough (it obeys them), so the
    prompts never carry them; the flag on the draft still says the notes held one.
    """
    out, start = [], 0
    while (span := _instruction_span(text, start)) is not None:
        begin, end = span
        out.append(text[start:begin] + (" " if begin and not text[begin - 1].isspace() else ""))
        out.append(LEFT_OUT)
        start = end + 1 if end < len(text) and text[end] in ".!?" else end
    return "".join(out) + text[start:]


def instructions_in(texts: Iterable[tuple[str, str]]) -> list[Instruction]:
    """Every instruction in (owner, text) pairs: a stakeholder's notes, the brief's fields."""
    found = []
    for owner, text in texts:
        sentence = instruction_in(text)
        if sentence is not None:
            found.append(Instruction(owner, sentence))
    return found


def injection_flag(
    person: str, segment: str, segment_name: str, instructions: Iterable[Instruction]
) -> DraftFlag | None:
    """Why a drafted placement of `person` in `segment` may be an obeyed injection.

    Flagged when the person's own data holds an instruction (nothing they say can be taken
    at face value then), or when any instruction in the session names the segment drafted.
    """
    for instruction in instructions:
        own = instruction.owner == person
        if own or instruction.names(segment) or instruction.names(segment_name):
            whose = "their own entry" if own else f"the entry of {instruction.owner}"
            return DraftFlag(
                f"Possible injection: {whose} gives the model an order",
                f"Possible injection: {whose} gives the model an order "
                f"({instruction.quote!r}) and this draft may follow it; "
                "check it against the method before approving.",
            )
    return None


def figures_written(text: str) -> list[str]:
    """The figures in a text as they are written ("1,200", "10"), in order."""
    return _NUMBER.findall(text or "")


def numbers_in(text: str) -> set[float]:
    """The figures in a text, as numbers: "1,200" and "1200" are the same figure."""
    return {float(n.replace(",", "")) for n in _NUMBER.findall(text or "")}


def invented_figures(body: Mapping[str, Any], supplied: set[float]) -> list[tuple[str, str]]:
    """(field, figure) for each number in the result, baseline or target nobody supplied."""
    invented = []
    for field in _FIGURE_FIELDS:
        value = str(body.get(field) or "")
        for raw in _NUMBER.findall(value):
            if float(raw.replace(",", "")) not in supplied:
                invented.append((field, raw))
    return invented


def invented_figures_flag(invented: list[tuple[str, str]]) -> DraftFlag:
    """Names each figure nobody gave, and what to do about it."""
    said = ", ".join(f"the {field} {figure!r}" for field, figure in invented)
    verb = "appears" if len(invented) == 1 else "appear"
    return DraftFlag(
        f"Figures nobody gave: {said}",
        f"Figures nobody gave: {said} {verb} nowhere in the brief, the register or the "
        "answers; ask the room for the real figure or leave it unknown.",
    )


def invented_figures_problem(
    outcomes: Iterable[Mapping[str, Any]], supplied: set[float]
) -> str | None:
    """What to tell a model whose outcomes hold figures nobody gave, or None if none do."""
    said = [
        f"outcome {n}'s {field} {figure!r}"
        for n, body in enumerate(outcomes, 1)
        for field, figure in invented_figures(body, supplied)
    ]
    if not said:
        return None
    return (
        f"Figures nobody gave: {', '.join(said)} appear nowhere in the brief or in what the "
        "stakeholders said. Give null for a baseline or target nobody gave, and leave out of "
        "the result any figure nobody gave; keep everything else as it was."
    )


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"
