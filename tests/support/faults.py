"""Fault injection helpers: a real small tmpfs that fills up (when the test runs as root and may mount),
otherwise tests fall back to injecting ``OSError(ENOSPC)``.  /dev/full is always a real full disk."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def small_disk(where: Path, size_kib: int = 256) -> Iterator[Path | None]:
    """A tmpfs of ``size_kib`` mounted at ``where`` (yields None when mounting is not allowed)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        yield None
        return
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)],
                       capture_output=True, check=False)
    if r.returncode != 0:
        yield None
        return
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill a filesystem until fewer than ``leave`` bytes are free."""
    i = 0
    while True:
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        if free <= leave:
            return
        try:
            (disk / f"filler{i}").write_bytes(bytes(min(free - leave, 1 << 20) or 1))
        except OSError:
            return
        i += 1


def enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
