"""Where the app's own files live: the config file and the remembered UI state."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "strategy-workshop"
CONFIG_ENV = "WORKSHOP_CONFIG"


def config_path() -> Path:
    """The TOML config file: WORKSHOP_CONFIG, else config.toml in the user config dir."""
    configured = os.environ.get(CONFIG_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def state_path() -> Path:
    """The file that remembers the theme and the request preview's "every draft" choice."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "ui-state.json"


def capabilities_path() -> Path:
    """What each endpoint was found to support, cached between runs."""
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME) / "endpoint-capabilities.json"
