"""What the app remembers between runs (the theme) and the user's key remapping."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

APP_NAME = "strategy-workshop"
THEMES = ("textual-dark", "textual-light")


def state_path() -> Path:
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "ui-state.json"


def load_state() -> dict:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(**changes: object) -> None:
    """Merge changes into the state file; a failure to remember is never an error."""
    path = state_path()
    data = load_state() | changes
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
        os.replace(tmp, path)
    except OSError:
        pass


def load_keymap() -> dict[str, str]:
    """[keys] in the config file: binding id = "keys", e.g. `"workshop.draft_all" = "ctrl+d"`."""
    from .drafting.config import load_config
    from .errors import WorkshopError

    try:
        return load_config().keys
    except WorkshopError:
        return {}  # `workshop doctor` reports a broken config; the app still opens
