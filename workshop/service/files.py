"""Writing files people keep: owner-readable only, whole or not at all, never over a
file unasked."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from workshop.errors import WorkshopError


def write_private_file(path: Path, text: str, force: bool) -> None:
    """Write to a temporary file beside `path`, then put it in place in one step, so a
    crash never leaves a half-written (or empty) file behind."""
    given = Path(path)
    # Through a link to the file it names: replacing the link itself would leave the file
    # people open unchanged and the link turned into a copy.
    path = Path(os.path.realpath(given)) if given.is_symlink() else given
    if path.is_dir():
        raise WorkshopError(f"{given} is a folder: give a file name.")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise WorkshopError(f"Cannot write {given}: {error.strerror}.") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise WorkshopError(
            f"{given} is not a regular file (a device, a pipe or a socket); give a file name."
        )
    if mode is not None and not force:
        raise WorkshopError(f"{given} already exists; use --force to replace it.")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WorkshopError(f"Cannot write {path}: {error.strerror}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if someone created the file meanwhile
    except FileExistsError:
        raise WorkshopError(f"{path} already exists; use --force to replace it.") from None
    except OSError as error:
        raise WorkshopError(f"Cannot write {path}: {error.strerror}.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
