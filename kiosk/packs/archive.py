"""Reading pack sources safely: zip archives (``.argosmodel``, Vosk ``.zip``) and folders.

``plan_zip``/``plan_folder`` look at a source without writing anything and refuse
unsafe or oversized ones; ``extract`` copies a plan into a folder, hashing every
file on the way (the manifest later used by ``kiosk packs verify``).
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from kiosk.errors import KioskError
from kiosk.packs.marker import MARKER
from kiosk.packs.whisper_pack import is_whisper_files

Progress = Callable[[int, int, str], None]
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_total_bytes: int = 4 * 1024**3  # no pack we know expands beyond ~400 MB
    max_ratio: float = 100.0  # uncompressed / compressed, for archives above ratio_floor
    ratio_floor: int = 16 * 1024**2
    max_entries: int = 20_000


@dataclass(frozen=True)
class Item:
    rel: str  # path inside the pack, after the top-level folder is stripped
    size: int
    zinfo: zipfile.ZipInfo | None = None
    src: Path | None = None


@dataclass(frozen=True)
class Plan:
    source: Path
    is_zip: bool
    root: str  # the stripped top-level folder name ("" if none)
    items: tuple[Item, ...]

    @property
    def total_bytes(self) -> int:
        return sum(i.size for i in self.items)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(i.rel for i in self.items)

    def kind(self) -> str | None:
        """"mt" for an Argos package, "stt" for a Vosk model, "whisper" for a faster-whisper model, else None."""
        names = self.names
        if "metadata.json" in names:
            return "mt"
        if {"am/final.mdl", "conf/model.conf", "final.mdl"} & names or any(n.startswith("am/") for n in names):
            return "stt"
        if is_whisper_files(names):
            return "whisper"
        return None

    def read_small(self, rel: str, limit: int = 1024 * 1024) -> bytes | None:
        """The bytes of one small member (e.g. metadata.json), or None."""
        item = next((i for i in self.items if i.rel == rel), None)
        if item is None or item.size > limit:
            return None
        try:
            if item.zinfo is not None:
                with zipfile.ZipFile(self.source) as zf:
                    return zf.read(item.zinfo)
            with _open_member(None, item) as member:
                return member.read()
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError):
            raise _corrupt(self.source) from None


def _open_member(zf: zipfile.ZipFile | None, item: Item) -> IO[bytes]:
    """Read one item: from the open archive ``zf`` (zip plans) or from its file (folder plans)."""
    if zf is not None and item.zinfo is not None:
        return zf.open(item.zinfo)
    if item.src is None:
        raise ValueError(f"{item.rel} has neither an archive entry nor a file")
    return open(item.src, "rb")


def _corrupt(path: Path) -> KioskError:
    return KioskError(
        "pack.corrupt",
        f"{path.name} is damaged or incomplete (not a readable zip archive). Copy it again from the original source.",
    )


def _unsafe(path: Path, why: str) -> KioskError:
    return KioskError(
        "pack.unsafe_archive",
        f"{path.name} was refused: {why}. Nothing was installed; use the pack as its publisher released it.",
    )


def _too_large(path: Path, why: str) -> KioskError:
    return KioskError("pack.too_large", f"{path.name} was refused: {why}. Nothing was installed.")


def _check_name(path: Path, name: str) -> PurePosixPath:
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise _unsafe(path, "it holds an entry with an absolute path")
    parts = PurePosixPath(name).parts
    if ".." in parts:
        raise _unsafe(path, "it holds an entry that points outside its folder (..)")
    return PurePosixPath(*[p for p in parts if p not in ("", ".")]) if parts else PurePosixPath()


def _strip_root(rels: list[str]) -> str:
    """The single top-level folder every entry sits in ("" if there is none)."""
    firsts = {r.split("/", 1)[0] for r in rels}
    if len(firsts) == 1 and all("/" in r for r in rels):
        return firsts.pop()
    return ""


def plan_zip(path: Path, limits: Limits = Limits()) -> Plan:
    """Look inside a zip without extracting; refuse corrupt, unsafe and oversized archives."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _corrupt(path) from None
    if len(infos) > limits.max_entries:
        raise _too_large(path, f"it holds more than {limits.max_entries} entries")
    files: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        rel = _check_name(path, info.filename)
        mode = info.external_attr >> 16
        if mode and stat.S_ISLNK(mode):
            raise _unsafe(path, "it holds a symbolic link")
        if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise _unsafe(path, "it holds a special file (device or pipe)")
        if info.flag_bits & 0x1:
            raise _unsafe(path, "it holds an encrypted entry")
        if info.is_dir() or not rel.parts:
            continue
        files.append((rel.as_posix(), info))
    root = _strip_root([r for r, _ in files])
    items = tuple(
        Item(rel=r[len(root) + 1:] if root else r, size=i.file_size, zinfo=i) for r, i in files
    )
    plan = Plan(path, True, root, tuple(i for i in items if i.rel != MARKER))
    total = plan.total_bytes
    packed = sum(i.zinfo.compress_size for i in plan.items if i.zinfo is not None)
    if total > limits.max_total_bytes:
        raise _too_large(path, f"it would expand to {total // 2**20} MB, more than the "
                               f"{limits.max_total_bytes // 2**20} MB allowed")
    if total > limits.ratio_floor and total > limits.max_ratio * max(packed, 1):
        raise _too_large(path, f"it expands {total // max(packed, 1)} times its packed size (a zip bomb?)")
    return plan


def plan_folder(path: Path, limits: Limits = Limits()) -> Plan:
    """The files of an unpacked pack folder; symbolic links and special files are refused."""
    items: list[Item] = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for name in sorted(filenames) + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            full = Path(dirpath) / name
            st = full.lstat()
            if stat.S_ISLNK(st.st_mode):
                raise _unsafe(path, f"it holds a symbolic link ({full.relative_to(path).as_posix()})")
            if not stat.S_ISREG(st.st_mode):
                raise _unsafe(path, "it holds a special file (device or pipe)")
            rel = full.relative_to(path).as_posix()
            if rel != MARKER:
                items.append(Item(rel=rel, size=st.st_size, src=full))
        if len(items) > limits.max_entries:
            raise _too_large(path, f"it holds more than {limits.max_entries} files")
    plan = Plan(path, False, "", tuple(items))
    if plan.total_bytes > limits.max_total_bytes:
        raise _too_large(path, f"it holds {plan.total_bytes // 2**20} MB, more than the "
                               f"{limits.max_total_bytes // 2**20} MB allowed")
    return plan


def extract(plan: Plan, dest: Path, progress: Progress | None = None, label: str = "") -> dict[str, str]:
    """Copy every file of ``plan`` under ``dest``; return {relative path: sha256}."""
    total = plan.total_bytes
    done = 0
    manifest: dict[str, str] = {}
    root = dest.resolve()
    zf = zipfile.ZipFile(plan.source) if plan.is_zip else None
    try:
        for item in plan.items:
            target = dest / item.rel
            if not target.resolve().is_relative_to(root):  # belt and braces after _check_name
                raise _unsafe(plan.source, "it holds an entry that points outside its folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            written = 0
            with _open_member(zf, item) as src, open(target, "xb") as out:
                while block := src.read(CHUNK):
                    written += len(block)
                    if written > item.size:
                        raise _too_large(plan.source, "an entry is larger than the archive declares")
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress:
                        progress(done, total, label)
            manifest[item.rel] = digest.hexdigest()
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _corrupt(plan.source) from None
    except FileExistsError:
        raise _unsafe(plan.source, "it holds the same file twice") from None
    finally:
        if zf is not None:
            zf.close()
    if progress:
        progress(total, total, label)
    return manifest


def file_digests(path: Path, progress: Progress | None = None, label: str = "") -> tuple[str, str]:
    """(sha256, md5) of a file, read once."""
    sha, md5 = hashlib.sha256(), hashlib.md5()
    total = path.stat().st_size
    done = 0
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            sha.update(block)
            md5.update(block)
            done += len(block)
            if progress:
                progress(done, total, label)
    return sha.hexdigest(), md5.hexdigest()


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()
