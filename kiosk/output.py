"""Output files at the edge (``--out`` of speak, converse, stats export/report; packs export):
the destination is checked before any work, files are written beside it and renamed into place,
and a failed write (full disk, I/O error) removes the partial file and is one ``KioskError``.
Folders (an installed pack, the assembled Whisper model) are swapped into place the same way: ``replace_folder``."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from kiosk.errors import KioskError

_WRITE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EACCES, errno.EPERM)


def check_destination(path: str | os.PathLike[str], what: str = "--out") -> Path:
    """``path`` if a file can be written there: its folder exists and is writable, and it is not a folder."""
    path = Path(path)
    if path.is_dir():
        raise KioskError("output.bad_path", f"{path} is a folder; give {what} a file name.")
    parent = path.parent
    if not parent.is_dir():
        raise KioskError("output.bad_path", f"The folder {parent} does not exist; create it first or choose "
                                            f"another place for {what}.")
    if not os.access(parent, os.W_OK) and not (path.is_file() and os.access(path, os.W_OK)):
        raise KioskError("output.bad_path", f"The folder {parent} is not writable; choose another place for {what}.")
    return path


def write_failed(path: str | os.PathLike[str], exc: OSError) -> KioskError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return KioskError("output.write_failed", f"Could not write {path}: the disk is full. Free some space there "
                                                 "or choose another place; nothing was kept.")
    why = exc.strerror or type(exc).__name__
    return KioskError("output.write_failed", f"Could not write {path} ({why}); nothing was kept.")


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], what: str = "--out") -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); rename it into place when the block succeeds.

    On any failure the temporary file is removed; an ``OSError`` becomes ``output.write_failed``.
    A destination that exists but is not a regular file (``/dev/stdout``) is written in place.
    """
    path = check_destination(path, what)
    direct = path.exists() and not path.is_file()
    tmp = path if direct else path.with_name(f".{path.stem}.{secrets.token_hex(4)}.part{path.suffix}")
    try:
        yield tmp
        if not direct:
            os.replace(tmp, path)
    except OSError as exc:
        if not direct:
            tmp.unlink(missing_ok=True)
        raise write_failed(path, exc) from None
    except BaseException:
        if not direct:
            tmp.unlink(missing_ok=True)
        raise


def is_write_error(exc: OSError) -> bool:
    """An output error a user can meet (full disk, broken pipe, read-only), not a bug."""
    return isinstance(exc, BrokenPipeError) or exc.errno in _WRITE_ERRORS


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk; where a folder cannot be synced, nothing."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace_folder(tmp: Path, target: Path, aside: Path) -> bool:
    """Rename the finished folder ``tmp`` to ``target`` (same file system), so a crash leaves the old folder or the
    new one: ``tmp`` is synced, an existing ``target`` is renamed to ``aside`` first and deleted once the new one is
    in place.  True when a folder was replaced.  A crash between the renames leaves ``aside`` for the caller's
    clean-up to delete or restore."""
    fsync_dir(tmp)
    replaced = target.exists()
    if replaced:
        os.rename(target, aside)
    os.rename(tmp, target)
    fsync_dir(target.parent)
    if replaced:
        shutil.rmtree(aside, ignore_errors=True)
    return replaced
