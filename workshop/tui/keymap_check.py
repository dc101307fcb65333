"""`[keys]` in the config file, checked: every binding id the app has, every key a name
Textual knows. What is wrong is said once; the rest of the keymap still applies."""

from __future__ import annotations

import difflib

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def binding_ids() -> set[str]:
    """The ids of every key binding of the app's screens, stages, dialogs and widgets."""
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import workshop.tui as tui

    ids: set[str] = set()
    for info in pkgutil.walk_packages(tui.__path__, "workshop.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode):
                bindings = cls.__dict__.get("BINDINGS", [])
                ids.update(b.id for b in bindings if isinstance(b, Binding) and b.id)
    return ids


def is_key_name(key: str) -> bool:
    """ctrl+d, f5, question_mark, ?, shift+tab…: a key Textual can bind."""
    from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, Keys, key_to_character

    *modifiers, name = key.strip().split("+") if key.strip() != "+" else ["+"]
    if not name or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(name) == 1:
        return True
    named = {k.value for k in Keys if "+" not in k.value}
    return (
        name in named
        or name in KEY_ALIASES
        or name in KEY_NAME_REPLACEMENTS.values()
        or key_to_character(name) is not None
    )


def usable(keymap: dict[str, str]) -> dict[str, str]:
    """The entries to apply: one with a key Textual does not know would take the binding's
    own key away and give it one that never arrives."""
    return {
        binding_id: keys
        for binding_id, keys in keymap.items()
        if keys.strip() and all(is_key_name(k) for k in keys.split(","))
    }


def keymap_problems(keymap: dict[str, str], known: set[str] | None = None) -> list[str]:
    """One sentence per entry the app cannot use, naming the entry and why."""
    known = binding_ids() if known is None else known
    problems = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = _close(binding_id, known)
            hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
            problems.append(f"{binding_id!r} is not a key of this app{hint}")
            continue
        wrong = [k.strip() for k in keys.split(",") if not is_key_name(k)]
        if not keys.strip():
            problems.append(f"{binding_id!r} is given no key")
        elif wrong:
            problems.append(
                f"{binding_id!r}: {wrong[0]!r} is not a key name, so it keeps its own key"
            )
    return problems


def _close(binding_id: str, known: set[str]) -> list[str]:
    """Ids whose action is spelled like the one given (draft_al → *.draft_all), else ids
    spelled like the whole of it."""
    tails: dict[str, list[str]] = {}
    for known_id in sorted(known):
        tails.setdefault(known_id.split(".", 1)[-1], []).append(known_id)
    head, _, tail = binding_id.partition(".")
    if not tail:
        head, tail = "", head
    near = difflib.get_close_matches(tail, list(tails), n=1, cutoff=0.75)
    if near:
        same_place = [i for i in tails[near[0]] if i.startswith(f"{head}.")]
        return same_place or tails[near[0]][:2]
    return difflib.get_close_matches(binding_id, sorted(known), n=1)
