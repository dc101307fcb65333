"""Chat prompt templates: one Markdown file each, TOML front matter, then messages.

File format::

    +++
    id = "segmentation"
    version = 1
    description = "..."
    variables = ["brief", "stakeholder"]
    +++
    === system ===
    ...
    === user ===
    ... {{ brief }} ...

Everything is checked when the file is loaded, so that a template that loads can only
fail to render because of the values the caller passes.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import (
    NESTED_TOO_DEEP,
    MissingVariableError,
    TemplateError,
    UnexpectedVariableError,
    VariableTypeError,
)

Role = Literal["system", "user", "assistant"]
Source = Literal["shipped", "user"]

ROLES: tuple[str, ...] = ("system", "user", "assistant")
FRONT_MATTER_FENCE = "+++"

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
PLACEHOLDER = re.compile(r"\{\{\s*(" + _NAME + r")\s*\}\}")
_HEADER = re.compile(r"===\s*([A-Za-z]+)\s*===")


@dataclass(frozen=True)
class Message:
    role: Role
    text: str


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    description: str
    variables: tuple[str, ...]
    # Kept out of repr so logs and error messages stay one line.
    messages: tuple[Message, ...] = field(repr=False)
    path: Path
    source: Source
    content_hash: str

    def render(self, /, **values: str) -> list[dict[str, str]]:
        """Fill every placeholder; return chat messages as ``{"role", "content"}`` dicts.

        Values are inserted verbatim in one pass, so text inside a value is never
        treated as a placeholder; wrap people's text with `data_block` before passing it.
        """
        missing = [name for name in self.variables if name not in values]
        if missing:
            raise MissingVariableError(self.id, missing)
        extra = sorted(name for name in values if name not in self.variables)
        if extra:
            raise UnexpectedVariableError(self.id, extra)
        for name, value in values.items():
            if not isinstance(value, str):
                raise VariableTypeError(self.id, name, value)

        def fill(match: re.Match[str]) -> str:
            return values[match.group(1)]

        return [
            {"role": message.role, "content": PLACEHOLDER.sub(fill, message.text)}
            for message in self.messages
        ]


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)

    id: str
    version: int
    description: str
    variables: list[str]


def load_template(path: Path, source: Source = "shipped") -> Template:
    """Read and validate one template file; raise `TemplateError` naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateError(path, f"cannot read: {exc.strerror or exc}") from exc
    return parse_template(raw, path, source)


def parse_template(raw: bytes, path: Path, source: Source = "shipped") -> Template:
    """Parse template bytes; `path` names the file in errors and sets the expected id."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(path, f"not valid UTF-8 (byte {exc.start})") from exc
    # Editors on Windows add a BOM; it is not part of the fence.
    text = text.removeprefix("\ufeff")
    front, body = _split_front_matter(text, path)
    meta = _parse_front_matter(front, path)
    messages = _parse_messages(body, path)
    _check_placeholders(messages, meta.variables, path)
    return Template(
        id=meta.id,
        version=meta.version,
        description=meta.description,
        variables=tuple(meta.variables),
        messages=tuple(messages),
        path=path,
        source=source,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def _split_front_matter(text: str, path: Path) -> tuple[str, list[str]]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise TemplateError(path, f"must start with a {FRONT_MATTER_FENCE} front matter line")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), lines[index + 1 :]
    raise TemplateError(path, f"front matter is not closed by a {FRONT_MATTER_FENCE} line")


def _parse_front_matter(front: str, path: Path) -> _FrontMatter:
    try:
        data = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(path, f"front matter is not valid TOML: {exc}") from exc
    except RecursionError:
        raise TemplateError(path, NESTED_TOO_DEEP) from None
    try:
        meta = _FrontMatter.model_validate(data)
    except ValidationError as exc:
        raise TemplateError(path, f"front matter: {one_line_errors(exc)}") from exc
    if meta.id != path.stem:
        raise TemplateError(path, f"id {meta.id!r} must equal the file name {path.stem!r}")
    if not ID_PATTERN.fullmatch(meta.id):
        raise TemplateError(path, f"id {meta.id!r} must be lowercase letters, digits, _ or -")
    if meta.version < 1:
        raise TemplateError(path, "version must be a positive integer")
    if not meta.description.strip():
        raise TemplateError(path, "description must not be empty")
    for name in meta.variables:
        if not re.fullmatch(_NAME, name):
            raise TemplateError(path, f"variable name {name!r} is not a valid identifier")
    duplicates = sorted({n for n in meta.variables if meta.variables.count(n) > 1})
    if duplicates:
        raise TemplateError(path, f"variables listed twice: {', '.join(duplicates)}")
    return meta


def _parse_messages(lines: list[str], path: Path) -> list[Message]:
    messages: list[Message] = []
    role: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if role is None:
            return
        content = "\n".join(buffer).strip()
        if not content:
            raise TemplateError(path, f"message {len(messages) + 1} ({role}) is empty")
        messages.append(Message(role=role, text=content))  # type: ignore[arg-type]

    for line in lines:
        header = _HEADER.fullmatch(line.strip())
        if header:
            flush()
            role = header.group(1).lower()
            if role not in ROLES:
                raise TemplateError(
                    path, f"unknown role {header.group(1)!r}; use one of {', '.join(ROLES)}"
                )
            buffer = []
        elif role is None:
            if line.strip():
                raise TemplateError(path, "text before the first '=== role ===' line")
        else:
            buffer.append(line)
    flush()
    if not messages:
        raise TemplateError(path, "no messages; start one with a line '=== system ==='")
    return messages


def _check_placeholders(messages: list[Message], variables: list[str], path: Path) -> None:
    used: set[str] = set()
    for message in messages:
        # "{{{" would put a brace next to the value and look like a placeholder after
        # rendering, and any "{{" left outside a placeholder is a typo that would reach
        # the model unresolved.
        if "{{{" in message.text:
            raise TemplateError(path, "'{{{' is ambiguous; put a space between the braces")
        for literal in PLACEHOLDER.split(message.text)[::2]:
            if "{{" in literal:
                start = literal.index("{{")
                snippet = literal[start : start + 30].split("\n")[0]
                raise TemplateError(
                    path, f"malformed placeholder near {snippet!r}; use {{{{ name }}}}"
                )
        used.update(PLACEHOLDER.findall(message.text))
    undeclared = sorted(used - set(variables))
    if undeclared:
        raise TemplateError(
            path, f"placeholder(s) not declared in variables: {', '.join(undeclared)}"
        )
    unused = sorted(set(variables) - used)
    if unused:
        raise TemplateError(path, f"variable(s) declared but never used: {', '.join(unused)}")


def one_line_errors(exc: ValidationError) -> str:
    """Pydantic errors as one line: ``loc: message; loc: message``."""
    parts = []
    for error in exc.errors():
        loc = ".".join(str(part) for part in error["loc"]) or "(top level)"
        message = f"{loc}: {error['msg']}"
        # Echo short scalar inputs: "Input should be ..." alone does not say what was found.
        value = error.get("input")
        if isinstance(value, str | int | float) and len(repr(value)) <= 60:
            message += f" (got {value!r})"
        parts.append(message)
    return "; ".join(parts)
