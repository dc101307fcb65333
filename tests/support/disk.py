"""A full disk and a read-only file, made for a test on a real SQLite file."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sessions import SessionStore


def fill_the_disk(store: SessionStore, spare_pages: int = 0) -> None:
    # max_page_count is per connection: set on the store's own, the file cannot grow.
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


def free_the_disk(store: SessionStore) -> None:
    store.db.execute("PRAGMA max_page_count = 4294967294")


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders read-only for this process, even for root; undo after.

    chmod is enough for an ordinary user. Root writes through modes, so for root the
    immutable attribute (chattr +i) is used, which stops root too (ext4, xfs, btrfs…).
    """
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    done: list[Path] = []
    try:
        for p in paths:
            try:
                result = subprocess.run(["chattr", "+i", str(p)], capture_output=True, text=True)
            except FileNotFoundError:
                pytest.skip("running as root without chattr: cannot make a file read-only")
            if result.returncode != 0:
                pytest.skip(f"running as root, and chattr +i fails here: {result.stderr.strip()}")
            done.append(p)
        yield
    finally:
        for p in reversed(done):
            subprocess.run(["chattr", "-i", str(p)], capture_output=True)


def assert_really_read_only(path: Path) -> None:
    target = path / "probe" if path.is_dir() else path
    try:
        with target.open("ab"):
            pass
    except OSError:
        return
    pytest.skip(f"this platform lets this user write to the read-only {path}")


@contextlib.contextmanager
def small_disk(folder: Path, size_kib: int = 512) -> Iterator[Path]:
    """A real file system of size_kib (tmpfs) mounted at folder; skipped where this user
    cannot mount one (not root, or in a container without the right)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        pytest.skip("no mount command: cannot make a small disk")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill_the_file_system(folder: Path) -> Path:
    """Write a file until the file system holding folder has no room left."""
    filler = folder / "filler"
    with contextlib.suppress(OSError), filler.open("wb", buffering=0) as file:
        while True:
            file.write(b"\0" * 4096)
    return filler
