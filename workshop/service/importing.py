"""Reading what people bring: a brief file (TOML or JSON), a stakeholder CSV, pasted lines.

Every problem becomes one WorkshopError that names the file and, where it can, the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sessions import Brief, StakeholderInput
from sessions.errors import describe_validation
from sessions.text import NESTED_TOO_DEEP
from workshop.drafting.reading import read_bounded
from workshop.errors import WorkshopError

MAX_FILE_BYTES = 5_000_000
STAKEHOLDER_COLUMNS = ["name", "role", "team", "notes", "influence", "stance", "involvement"]
# "- Ada", "* Ada", "• Ada", "1. Ada", "2) Ada": list markers people paste along with names.
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")


def read_text_file(path: Path, what: str) -> str:
    """The text of a UTF-8 file (a BOM is fine), or one clear error."""
    try:
        data = read_bounded(path, MAX_FILE_BYTES, what)
    except FileNotFoundError:
        raise WorkshopError(f"{path}: no such file.") from None
    except OSError as error:
        raise WorkshopError(f"{path}: cannot read it ({error.strerror}).") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": UTF-16 with a BOM (and tabs between the fields).
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # said below, as for any text that is not UTF-8
    elif b"\x00" in data:
        raise WorkshopError(
            f"{path}: looks like UTF-16 text without a byte-order mark (it has NUL bytes); "
            f"save the {what} as UTF-8 and try again."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorkshopError(
            f"{path}: not UTF-8 text (byte 0x{data[error.start]:02x} at position "
            f"{error.start}); save the {what} as UTF-8 and try again."
        ) from None


def parse_stakeholder_line(line: str) -> dict[str, str]:
    """'Name, Role, Team, anything else' → fields; the rest of the line becomes notes."""
    parts = [part.strip() for part in _LIST_MARKER.sub("", line).split(",")]
    fields = dict(zip(["name", "role", "team"], parts[:3], strict=False))
    if len(parts) > 3:
        fields["notes"] = ", ".join(parts[3:])
    return fields


def parse_stakeholder_lines(text: str) -> list[StakeholderInput]:
    """One person per non-empty line, as typed or pasted."""
    people = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        people.append(_stakeholder(parse_stakeholder_line(line), f"line {number}"))
    return people


def read_stakeholders_csv(path: Path) -> list[StakeholderInput]:
    """A CSV with a header naming some of STAKEHOLDER_COLUMNS, or plain Name, Role, Team rows."""
    text = read_text_file(path, "stakeholder CSV")
    delimiter = _delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise WorkshopError(f"{path}: not a valid CSV ({error}).") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise WorkshopError(f"{path}: the CSV has no stakeholders in it.")
    header = [cell.strip().lower() for cell in rows[0]]
    if "name" in header:
        unknown = [h for h in header if h and h not in STAKEHOLDER_COLUMNS]
        if unknown:
            raise WorkshopError(
                f"{path}: unknown column {unknown[0]!r}; columns can be: "
                + ", ".join(STAKEHOLDER_COLUMNS)
            )
        columns, body, first_line = header, rows[1:], 2
        if not body:
            raise WorkshopError(f"{path}: the CSV has a header but no stakeholders under it.")
    else:
        columns, body, first_line = ["name", "role", "team", "notes"], rows, 1
    people = []
    for offset, row in enumerate(body):
        if len(row) > len(columns):
            raise WorkshopError(
                f"{path}: line {first_line + offset} has {len(row)} fields, "
                f"the header has {len(columns)}."
            )
        fields = {col: cell.strip() for col, cell in zip(columns, row, strict=False) if col}
        fields = {k: v for k, v in fields.items() if v or k == "name"}
        people.append(_stakeholder(fields, f"{path}: line {first_line + offset}"))
    return people


def _delimiter(text: str) -> str:
    """The separator of a CSV, from its first line: a comma unless that line has none and
    has tabs (Excel's "Unicode text") or semicolons (Excel where the decimal mark is a
    comma). Read with the wrong one, every line would be one field: the header a person."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," in first:
        return ","
    if "\t" in first:
        return "\t"
    return ";" if ";" in first else ","


def read_brief_file(path: Path) -> tuple[Brief, list[StakeholderInput]]:
    """A brief as TOML or JSON: the brief's fields, and an optional list of stakeholders."""
    text = read_text_file(path, "brief")
    data = _parse_structured(path, text)
    if not isinstance(data, dict):
        raise WorkshopError(f"{path}: expected a table of brief fields at the top level.")
    raw_people = data.pop("stakeholders", [])
    if not isinstance(raw_people, list):
        raise WorkshopError(f"{path}: 'stakeholders' must be a list of people.")
    try:
        brief = Brief.model_validate(data)
    except ValidationError as error:
        raise WorkshopError(f"{path}: {describe_validation(error, 'brief')}") from None
    people = [
        _stakeholder(person, f"{path}: stakeholder {index}")
        for index, person in enumerate(raw_people, start=1)
    ]
    return brief, people


def _parse_structured(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise WorkshopError(f"{path}: not valid JSON ({error}).") from None
        except RecursionError:
            raise WorkshopError(f"{path}: {NESTED_TOO_DEEP}") from None
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise WorkshopError(f"{path}: {NESTED_TOO_DEEP}") from None
    except tomllib.TOMLDecodeError as error:
        hint = "" if path.suffix.lower() == ".toml" else " (use a .toml or .json file)"
        raise WorkshopError(f"{path}: not valid TOML ({error}){hint}.") from None


def _stakeholder(fields: Any, where: str) -> StakeholderInput:
    if not isinstance(fields, dict):
        raise WorkshopError(f"{where}: expected a person's fields (name, role, team…).")
    try:
        return StakeholderInput.model_validate(fields)
    except ValidationError as error:
        raise WorkshopError(f"{where}: {describe_validation(error)}") from None
