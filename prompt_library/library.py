"""The library: shipped templates and playbooks, overlaid by the user's own files.

User directory layout (templates may sit at the top or under ``templates/``)::

    <user dir>/segmentation.md            overrides the shipped "segmentation"
    <user dir>/templates/my_prompt.md     adds "my_prompt"
    <user dir>/playbooks/default.toml     overrides the shipped default playbook

A broken user file must never stop a workshop: it is skipped, whatever it would have
replaced stays active, and the reason is kept in `problems` for the app to show.
A broken shipped file is a bug in the app and raises.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

import platformdirs

from .errors import FileProblem, PlaybookNotFoundError, TemplateNotFoundError
from .playbook import Playbook, load_playbook
from .templates import Source, Template, load_template

ENV_USER_DIR = "WORKSHOP_PROMPTS_DIR"
APP_NAME = "strategy-workshop"
PACKAGE_DIR = Path(__file__).resolve().parent

T = TypeVar("T", Template, Playbook)


def default_user_dir() -> Path:
    """`WORKSHOP_PROMPTS_DIR` if set, else ``prompts`` in the user config directory."""
    configured = os.environ.get(ENV_USER_DIR, "").strip()
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "prompts"


@dataclass(frozen=True)
class SourceInfo:
    """Where the active file for one id comes from, for `workshop prompts` and the UI."""

    kind: Literal["template", "playbook"]
    id: str
    version: int
    source: Source
    path: Path
    content_hash: str
    overrides: Path | None = None  # the shipped file this user file replaces


@dataclass
class PromptLibrary:
    user_dir: Path | None
    _templates: dict[str, Template] = field(default_factory=dict, repr=False)
    _playbooks: dict[str, Playbook] = field(default_factory=dict, repr=False)
    _overridden: dict[tuple[str, str], Path] = field(default_factory=dict, repr=False)
    problems: list[str] = field(default_factory=list)

    def get(self, template_id: str) -> Template:
        try:
            return self._templates[template_id]
        except KeyError:
            raise TemplateNotFoundError(template_id, sorted(self._templates)) from None

    def templates(self) -> list[Template]:
        return [self._templates[i] for i in sorted(self._templates)]

    def playbook(self, playbook_id: str = "default") -> Playbook:
        try:
            return self._playbooks[playbook_id]
        except KeyError:
            raise PlaybookNotFoundError(playbook_id, sorted(self._playbooks)) from None

    def playbooks(self) -> list[Playbook]:
        return [self._playbooks[i] for i in sorted(self._playbooks)]

    def sources(self) -> list[SourceInfo]:
        """Templates then playbooks, each sorted by id."""
        infos: list[SourceInfo] = []
        for kind, items in (("template", self.templates()), ("playbook", self.playbooks())):
            for item in items:
                assert item.path is not None  # every loaded file has one
                infos.append(
                    SourceInfo(
                        kind=kind,  # type: ignore[arg-type]
                        id=item.id,
                        version=item.version,
                        source=item.source,
                        path=item.path,
                        content_hash=item.content_hash,
                        overrides=self._overridden.get((kind, item.id)),
                    )
                )
        return infos


def load_library(user_dir: Path | None = None) -> PromptLibrary:
    """Load shipped templates and playbooks, then overlay the user directory's files.

    `user_dir` defaults to `default_user_dir()`; a directory that does not exist simply
    adds nothing.
    """
    user_dir = default_user_dir() if user_dir is None else Path(user_dir).expanduser()
    library = PromptLibrary(user_dir=user_dir)
    for path in _files(PACKAGE_DIR / "templates", "*.md"):
        library._templates[path.stem] = load_template(path, "shipped")
    for path in _files(PACKAGE_DIR / "playbooks", "*.toml"):
        library._playbooks[path.stem] = load_playbook(path, "shipped")

    if user_dir.exists() and not user_dir.is_dir():
        library.problems.append(f"{user_dir}: prompts directory is not a directory; ignored")
        return library
    template_paths = _files(user_dir, "*.md") + _files(user_dir / "templates", "*.md")
    _overlay(library, "template", template_paths, library._templates, load_template)
    _overlay(
        library,
        "playbook",
        _files(user_dir / "playbooks", "*.toml"),
        library._playbooks,
        load_playbook,
    )
    return library


def _overlay(
    library: PromptLibrary,
    kind: str,
    paths: list[Path],
    active: dict[str, T],
    load: Callable[[Path, Source], T],
) -> None:
    seen: dict[str, Path] = {}
    for path in paths:
        id_ = path.stem
        if id_ in seen:
            library.problems.append(
                f"{path}: {kind} {id_!r} is also defined by {seen[id_]}; this one is ignored"
            )
            continue
        seen[id_] = path
        try:
            item = load(path, "user")
        except FileProblem as exc:
            fallback = "the shipped one stays active" if id_ in active else "skipped"
            library.problems.append(f"{exc}; {fallback}")
            continue
        current = active.get(id_)
        if current is not None and current.source == "shipped":
            assert current.path is not None
            library._overridden[(kind, id_)] = current.path
        active[id_] = item


def _files(directory: Path, pattern: str) -> list[Path]:
    # Hidden files are editor swap files and the like, never prompts.
    try:
        return sorted(
            p for p in directory.glob(pattern) if p.is_file() and not p.name.startswith(".")
        )
    except OSError:
        return []
