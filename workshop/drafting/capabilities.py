"""What each endpoint can do, remembered so a fallback is found once, not on every call."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from workshop.paths import capabilities_path


def default_path() -> Path:
    return capabilities_path()


class Capabilities:
    """A small JSON file: {"host model": {"response_format": "json_object_schema"}}.

    Losing it costs one refused request, the next time."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._data: dict[str, dict[str, bool | int | str]] | None = None

    def _load(self) -> dict[str, dict[str, bool | int | str]]:
        if self._data is None:
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                self._data = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError, RecursionError):
                self._data = {}
        return self._data

    def get(self, host: str, model: str, feature: str) -> bool | int | str | None:
        found = self._load().get(f"{host} {model}", {})
        value = found.get(feature) if isinstance(found, dict) else None
        return value if isinstance(value, bool | int | str) else None

    def set(self, host: str, model: str, feature: str, value: bool | int | str) -> None:
        data = self._load()
        data.setdefault(f"{host} {model}", {})[feature] = value
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache: remembering in memory for this run is enough
