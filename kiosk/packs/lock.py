"""One lock for every change to installed packs, and the clean-up of interrupted work.

Installs, removals and their clean-up hold ``fcntl.flock`` on
``<data_dir>/packs/.lock``; the lock dies with its process, so a killed
install never leaves it held.  Hidden folders under ``packs/<kind>/`` are the
work of an install in progress:

- ``.tmp-<slot>-<token>``  an extraction not yet moved into place: deleted;
- ``.old-<slot>-<token>``  the previous version set aside during a swap.  If the
  swap did not finish (the slot is empty), the marker decides which half to keep:
  a ``.tmp-<slot>-*`` whose ``kiosk-pack.json`` lists files that are all there was
  verified before the swap, so the upgrade is finished; otherwise the old version
  is put back.  Once the slot is filled the ``.old-`` folder is deleted;
- ``.del-<slot>-<token>``  a pack being removed: deleted.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.packs.marker import PackMarker, read_marker

_LOGGER = logging.getLogger(__name__)
PACK_KINDS = ("mt", "stt", "whisper")


def _slot_of(name: str) -> str:
    # ".old-<slot>-<token>": the token never contains "-"
    return name[5:].rsplit("-", 1)[0]


@dataclass(frozen=True)
class Recovery:
    """An upgrade that was cut short between its two renames, and which half was kept."""

    kind: str
    slot: str
    pack_id: str
    version: str
    kept: str  # "new" (the upgrade was finished) | "old" (the previous version was put back)


def _complete(folder: Path) -> PackMarker | None:
    """The marker of a fully extracted and verified install folder, else None."""
    marker = read_marker(folder)
    if marker is None or not marker.files or not all((folder / rel).is_file() for rel in marker.files):
        return None
    return marker


def recover_debris(settings: Settings) -> tuple[int, list[Recovery]]:
    """Finish or undo what interrupted pack work left behind (call with the lock held)."""
    cleaned, recovered = 0, []
    for kind in PACK_KINDS:
        root = settings.packs_dir / kind
        if not root.is_dir():
            continue
        for entry in sorted(root.iterdir()):
            if not entry.name.startswith(".old-") or not entry.exists():
                continue
            slot = _slot_of(entry.name)
            home = root / slot
            cleaned += 1
            if home.exists():
                shutil.rmtree(entry, ignore_errors=True)
                continue
            ready = [(t, m) for t in sorted(root.glob(f".tmp-{slot}-*"))
                     if _slot_of(t.name) == slot and (m := _complete(t)) is not None]
            if ready:
                tmp, marker = ready[0]
                os.rename(tmp, home)  # verified before the swap: finish the upgrade
                shutil.rmtree(entry, ignore_errors=True)
                recovered.append(Recovery(kind, slot, marker.id, marker.version, "new"))
            else:
                os.rename(entry, home)  # the old version comes back
                old = read_marker(home)
                recovered.append(Recovery(kind, slot, old.id if old else slot, old.version if old else "", "old"))
            _LOGGER.warning("interrupted pack upgrade in slot %s/%s recovered: kept the %s version",
                            kind, slot, recovered[-1].kept)
        for entry in sorted(root.iterdir()):
            if entry.name.startswith((".tmp-", ".del-")):
                shutil.rmtree(entry, ignore_errors=True)
                cleaned += 1
    if cleaned:
        _LOGGER.info("cleaned %d leftover folder(s) of interrupted pack work", cleaned)
    return cleaned, recovered


def cleanup_debris(settings: Settings) -> int:
    """Finish or undo what an interrupted install left behind (call with the lock held); how many folders."""
    return recover_debris(settings)[0]


def recover_on_start(settings: Settings) -> list[Recovery]:
    """At start (app, ``packs list``/``verify``): recover interrupted work unless an install is running now."""
    if not settings.packs_dir.is_dir():
        return []
    try:
        with _locked(settings, wait=False):
            return recover_debris(settings)[1]
    except KioskError:  # an install is running: its folders are not debris
        return []
    except OSError:
        _LOGGER.warning("could not check for interrupted pack work")
        return []


@contextmanager
def _locked(settings: Settings, wait: bool, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
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
        yield
    finally:
        handle.close()


@contextmanager
def packs_lock(settings: Settings, wait: bool = True, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the packs lock; clean up leftovers first.  ``wait=False`` raises ``pack.locked``."""
    with _locked(settings, wait, on_wait):
        cleanup_debris(settings)
        yield
