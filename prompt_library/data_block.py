"""Delimit text that people wrote, so a model reads it as data and never as instructions.

A block looks like this, and the system messages of the shipped templates explain it::

    <<<DATA stakeholder>>>
    ...text as people wrote it...
    <<<END stakeholder>>>

Markers are fixed rather than random so the same session always renders the same
prompt (the prompt is shown before sending and its tokens are counted). Safety comes
from neutralising every run of three or more ``<`` inside the text: without ``<<<`` no
line of the text can open or close a block, whatever label it guesses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

OPEN = "<<<DATA"
CLOSE = "<<<END"
_MARKER_START = "<<<"

# Labels are chosen by code (a field name, "stakeholder 3"), never by people, so a
# narrow alphabet is enough and keeps a label from carrying markers of its own.
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.:-]{0,63}")


def neutralise(text: str) -> str:
    """Break every ``<<<`` in `text` so that it cannot form a block marker.

    Repeats until none is left, because breaking one run of ``<`` can leave another
    (``<<<<<`` becomes ``<< <<<`` after one pass).
    """
    while _MARKER_START in text:
        text = text.replace(_MARKER_START, "<< <")
    return text


def data_block(label: str, text: str) -> str:
    """Wrap `text` in data delimiters named `label`; the text cannot close the block early."""
    if not isinstance(text, str):
        raise TypeError(f"data_block text must be str, not {type(text).__name__}")
    if not _LABEL.fullmatch(label):
        raise ValueError(
            f"data_block label {label!r} must be 1-64 letters, digits, spaces or _.:- "
            "and start with a letter or digit"
        )
    body = neutralise(text.strip("\r\n"))
    return f"{OPEN} {label}>>>\n{body}\n{CLOSE} {label}>>>"


def format_fields(fields: Mapping[str, object]) -> str:
    """Lay out named values as ``name: value`` lines, for use inside a data block.

    Empty values are written as "(not given)" rather than dropped, so that a model can
    tell "nobody said" apart from a field the prompt forgot. Lists become one indented
    line per entry; multi-line values are indented under their name.
    """
    lines: list[str] = []
    for name, value in fields.items():
        if isinstance(value, list | tuple):
            items = [str(v) for v in value if v is not None and str(v).strip()]
            if not items:
                lines.append(f"{name}: (not given)")
                continue
            lines.append(f"{name}:")
            lines.extend(f"  - {_indent(item, '    ')}" for item in items)
            continue
        text = "" if value is None else str(value).strip()
        if not text:
            lines.append(f"{name}: (not given)")
        elif "\n" in text:
            lines.append(f"{name}:")
            lines.append("  " + _indent(text, "  "))
        else:
            lines.append(f"{name}: {text}")
    return "\n".join(lines)


def _indent(text: str, prefix: str) -> str:
    return text.strip().replace("\n", "\n" + prefix)
