"""Reading a file people point the app at, with a bound: a device, a pipe or a huge file
gets one clear error instead of a hang or a read that never ends.

`stat()` says 0 bytes for /dev/zero and for a pipe, so the size is checked on what is
read, and the file is opened without waiting (a pipe with no writer would block the open).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from workshop.errors import WorkshopError

_CHUNK = 1 << 16


def read_bounded(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    A WorkshopError for a folder, a device, a pipe or a file over the limit; OSError (a
    missing file, no permission) is the caller's to word.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise WorkshopError(f"{path}: is a folder, not a {what}.")
        if not stat.S_ISREG(mode):
            raise WorkshopError(
                f"{path}: not a regular file (a device, a pipe or a socket); give the {what}."
            )
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise WorkshopError(
            f"{path}: the {what} is larger than {_megabytes(limit)}; is it the right file?"
        )
    return b"".join(chunks)


def _megabytes(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB"
