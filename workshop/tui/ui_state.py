"""What the app remembers between runs (the theme, whether the request preview shows
before every draft) and the user's key remapping."""

from __future__ import annotations

import json
import os
import tempfile

from workshop.paths import config_path, state_path

THEMES = ("textual-dark", "textual-light")


def load_state() -> dict:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
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
    """[keys] in the config file: binding id = "keys", e.g. `"segmentation.draft_all" = "ctrl+d"`.

    Read with tomllib alone: this runs before the first screen is drawn, and the full
    config model (pydantic) would make every start-up wait for it. A broken file is
    reported by `workshop doctor`; the app still opens.
    """
    import tomllib

    from workshop.drafting.reading import read_bounded
    from workshop.errors import WorkshopError

    try:
        text = read_bounded(config_path(), 1_000_000, "config file").decode("utf-8")
        keys = tomllib.loads(text).get("keys", {})
    except (OSError, WorkshopError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return {}
    if not isinstance(keys, dict):
        return {}
    return {str(k): v for k, v in keys.items() if isinstance(v, str)}
