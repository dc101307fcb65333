"""Cleaning of text that people and models give us, before it is stored.

Everything stored is later drawn in a terminal and written into Markdown, so terminal
control sequences are removed at the door rather than escaped at every exit.
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte ESC sequences, and the
# 8-bit C1 forms of CSI/OSC. Removed whole so that no stray "[31m" is left behind.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)? # OSC, terminated by BEL or ST (or unterminated)
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?      # DCS, SOS, PM, APC strings
    | \x1b[@-Z\\-_]                      # other two-character escapes
    | \x9b[0-?]*[ -/]*[@-~]              # 8-bit CSI
    | \x9d[^\x07\x9c]*(?:\x07|\x9c)?     # 8-bit OSC
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, lone surrogates (which no encoder
# can write: they would crash the first print or the database driver), and the bidi
# embeddings, overrides and isolates, which make a text display in an order other than the
# one it is stored and read in ("Trojan Source"). The bidi marks (LRM, RLM, ALM) stay:
# right-to-left writing uses them, and they reorder nothing around them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """Normalise line endings and drop terminal escape sequences and control characters.

    Tab and newline are kept; everything else below U+0020 (and DEL, C1, and the bidi
    embeddings, overrides and isolates) goes.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    # Unicode line and paragraph separators break lines too (terminals, str.splitlines).
    value = value.replace("\u2028", "\n").replace("\u2029", "\n")
    value = _ESCAPE_SEQUENCE.sub("", value)
    return _CONTROL.sub("", value)


def clean_line(value: str) -> str:
    """Clean text meant to be one line (a name, a title): newlines and tabs become spaces."""
    value = clean_text(value).replace("\n", " ").replace("\t", " ")
    return re.sub(r" {2,}", " ", value).strip()


# Python's JSON and TOML readers recurse once per level of nesting: a file of a few hundred
# thousand "[" would end in RecursionError, a traceback for what is simply a bad file.
NESTED_TOO_DEEP = "nested too deeply to read (lists or tables within tables, hundreds deep)."
