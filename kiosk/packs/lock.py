"""One lock for every change to installed packs, and the clean-up of interrupted work.

Installs, removals and their clean-up hold ``fcntl.flock`` on
``<data_dir>/packs/.lock``; the lock dies with its process, so a killed
install never leaves it held.  Hidden folders under ``packs/<kind>/`` are the
work of an install in progress:

- ``.tmp-<slot>-<token>``  an extraction not yet moved into place: deleted;
- ``.old-<slot>-<token>``  the previous version set aside during a swap: put
  back if the swap did not finish, otherwise deleted;
- ``.del-<slot>-<token>``  a pack being removed: deleted.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from kiosk.config import Settings
from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)
PACK_KINDS = ("mt", "stt")


def _slot_of(name: str) -> str:
    # ".old-<slot>-<token>": the token never contains "-"
    return name[5:].rsplit("-", 1)[0]


def cleanup_debris(settings: Settings) -> int:
    """Finish or undo what an interrupted install left behind (call with the lock held)."""
    cleaned = 0
    for kind in PACK_KINDS:
        root = settings.packs_dir / kind
        if not root.is_dir():
            continue
        for entry in sorted(root.iterdir()):
            name = entry.name
            if name.startswith(".old-"):
                home = root / _slot_of(name)
                if home.exists():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    os.rename(entry, home)  # the swap was cut short: the old version comes back
            elif name.startswith((".tmp-", ".del-")):
                shutil.rmtree(entry, ignore_errors=True)
            else:
                continue
            cleaned += 1
    if cleaned:
        _LOGGER.info("cleaned %d leftover folder(s) of interrupted pack work", cleaned)
    return cleaned


@contextmanager
def packs_lock(settings: Settings, wait: bool = True, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the packs lock; clean up leftovers first.  ``wait=False`` raises ``pack.locked``."""
    root: Path = settings.packs_dir
    root.mkdir(parents=True, exist_ok=True)
    handle = open(root / ".lock", "a+b")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise KioskError(
                    "pack.locked",
                    "Another pack install or removal is running on this kiosk. Wait for it to finish, then try again.",
                ) from None
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        cleanup_debris(settings)
        yield
    finally:
        handle.close()
