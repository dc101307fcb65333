"""Replacing people's names by neutral labels in what is sent, and back in the answer."""

from __future__ import annotations

import re
from collections.abc import Iterable


def _label(index: int) -> str:
    # Stakeholder A … Z, then AA, AB …: letters, so "A" is never a prefix match of "AB".
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Stakeholder {letters}"


class Pseudonyms:
    """Built from the names in a session; `hide` before sending, `restore` on the answer."""

    def __init__(self, names: Iterable[str], enabled: bool = True) -> None:
        self.enabled = enabled
        self.label_of: dict[str, str] = {}
        for name in names:
            if name and name.casefold() not in {n.casefold() for n in self.label_of}:
                self.label_of[name] = _label(len(self.label_of))
        # A first name alone ("Ada said…") is hidden too, where only one person has it.
        first_names: dict[str, list[str]] = {}
        for name in self.label_of:
            first = name.split()[0]
            if len(first) >= 3 and first != name:
                first_names.setdefault(first.casefold(), []).append(name)
        self._aliases = {
            variant: self.label_of[names[0]]
            for variant, names in first_names.items()
            if len(names) == 1
        }
        self._hide_pattern = _alternation([*self.label_of, *self._aliases])
        self._name_of = {label.casefold(): name for name, label in self.label_of.items()}
        self._restore_pattern = _alternation(self.label_of.values())

    def hide(self, text: str) -> str:
        if not self.enabled or self._hide_pattern is None:
            return text
        lookup = {k.casefold(): v for k, v in self.label_of.items()} | self._aliases
        return self._hide_pattern.sub(lambda m: lookup[m.group(0).casefold()], text)

    def restore(self, text: str) -> str:
        if not self.enabled or self._restore_pattern is None:
            return text
        return self._restore_pattern.sub(lambda m: self._name_of[m.group(0).casefold()], text)

    def name(self, name: str) -> str:
        return self.label_of.get(name, name) if self.enabled else name


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(
        set(words), key=len, reverse=True
    )  # longest first: "Ada Lovelace" before "Ada"
    if not ordered:
        return None
    body = "|".join(re.escape(word) for word in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
