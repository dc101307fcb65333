"""Writing files people keep: owner-readable only, never over a file unasked."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .errors import WorkshopError


def write_private_file(path: Path, text: str, force: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise WorkshopError(f"{path} already exists; use --force to replace it.") from None
    except OSError as error:
        raise WorkshopError(f"Cannot write {path}: {error.strerror}.") from None
    # A replaced file would keep its old mode otherwise; some file systems have no modes.
    with contextlib.suppress(OSError):
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
