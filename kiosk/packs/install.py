"""Install packs from local files or folders: verified, validated, atomic.

One pack goes: look inside (refuse corrupt/unsafe/oversized) -> checksum against
the catalogue or a ``<file>.sha256`` beside it -> free disk space -> extract to
``packs/<kind>/.tmp-<slot>-<token>`` (same filesystem) -> open it with the real
engine -> write ``kiosk-pack.json`` (with a sha256 manifest of every file) ->
rename into place.  An older version in the same slot stays in place until the
new one is verified, then the two are swapped with renames.  Every step before
the swap leaves the installed packs untouched.

Slots: ``packs/mt/<from>_<to>/`` (one Argos pack per direction; a pack converted by
``kiosk packs convert`` goes beside it in ``packs/mt/<from>_<to>-opus-mt/``) and
``packs/stt/<language>/`` (one speech model per language), and ``packs/whisper/<id>/``
(faster-whisper models; their checksum is that of ``model.bin``, taken while it is
copied: see ``kiosk.packs.whisper_pack``).
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import logging
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.languages import CODES
from kiosk.output import replace_folder
from kiosk.packs import whisper_pack
from kiosk.packs.archive import Limits, Plan, Progress, extract, file_digests, plan_folder, plan_zip
from kiosk.packs.catalogue import Catalogue, CatalogueEntry, load_catalogue, read_sidecar
from kiosk.packs.lock import packs_lock
from kiosk.packs.marker import MARKER, PackMarker, read_marker
from kiosk.packs.validate import REAL_VALIDATORS, Validator

_LOGGER = logging.getLogger(__name__)
ARCHIVE_SUFFIXES = (".argosmodel", ".zip")
DISK_MARGIN = 32 * 1024**2
_VOSK_NAME = re.compile(r"^vosk-model-(?:small-)?([a-z]{2})(?:-|$)")
_VOSK_LANG = {"ja": "ja", "en": "en", "cn": "zh", "zh": "zh", "vn": "vi", "vi": "vi", "ko": "ko"}


@dataclass(frozen=True)
class InstallResult:
    source: Path
    ok: bool
    action: str  # "installed" | "upgraded" | "replaced" | "unchanged" | "refused"
    pack_id: str | None = None
    kind: str | None = None
    code: str | None = None
    message: str = ""
    unknown: bool = False


class Checked(NamedTuple):
    """How a pack file was checked before install."""

    entry: CatalogueEntry | None  # the catalogue's entry for it, if any
    sha256: str  # of the archive ("" for an unpacked folder)
    verified_by: str  # "catalogue" | "sidecar" | "none"


@dataclass(frozen=True)
class PackIdentity:
    """What a pack is and where it goes: ``packs/<kind>/<slot>/``."""

    id: str
    slot: str  # "<from>_<to>" (mt) or the language (stt)
    version: str
    from_code: str | None = None
    to_code: str | None = None
    language: str | None = None


@dataclass
class Installer:
    """Everything an install needs, injected (tests swap validators and the disk probe)."""

    settings: Settings
    catalogue: Catalogue = field(default_factory=load_catalogue)
    validators: Mapping[str, Validator] = field(default_factory=lambda: dict(REAL_VALIDATORS))
    limits: Limits = Limits()
    disk_free: Callable[[Path], int] = lambda p: shutil.disk_usage(p).free
    today: Callable[[], str] = lambda: _dt.date.today().isoformat()

    def install(
        self, paths: Iterable[str | os.PathLike], *, allow_unknown: bool = False, language: str | None = None,
        progress: Progress | None = None, wait: bool = True, on_wait: Callable[[], None] | None = None,
    ) -> list[InstallResult]:
        """Install every pack found at ``paths`` (files, pack folders, or folders to scan)."""
        if language is not None and language not in CODES:
            raise KioskError("pack.bad_language",
                             f"The language of a speech model must be one of {', '.join(CODES)} (got {language!r}).")
        results: list[InstallResult] = []
        sources: list[Path] = []
        for raw in paths:
            found = find_pack_sources(Path(raw))
            if not found:
                results.append(InstallResult(Path(raw), False, "refused", code="pack.not_found", message=(
                    f"No language pack found at {raw}. Point at .argosmodel or Vosk .zip files, a pack folder, or a "
                    "folder holding them.")))
            sources.extend(found)
        if not sources:
            return results
        with packs_lock(self.settings, wait=wait, on_wait=on_wait):
            for src in sources:
                try:
                    results.append(self._install_one(src, allow_unknown, language, progress))
                except KioskError as exc:
                    _LOGGER.info("pack refused: %s", exc.code)
                    results.append(InstallResult(src, False, "refused", code=exc.code, message=exc.message))
                except OSError as exc:  # a failing stick, a full disk mid-copy: the pack is refused, the rest go on
                    err = _os_error(src, exc)
                    _LOGGER.warning("pack refused: %s (errno %s)", err.code, exc.errno)
                    results.append(InstallResult(src, False, "refused", code=err.code, message=err.message))
        return results

    # -- one pack ---------------------------------------------------------
    def _install_one(
        self, src: Path, allow_unknown: bool, language: str | None, progress: Progress | None
    ) -> InstallResult:
        name = src.name
        plan = plan_zip(src, self.limits) if src.is_file() else plan_folder(src, self.limits)
        kind = plan.kind()
        if kind is None:
            raise KioskError("pack.invalid", f"{name} is neither an Argos translation pack (metadata.json, model/) "
                             "nor a Vosk speech model (am/, conf/) nor a faster-whisper model (model.bin, config.json, "
                             "tokenizer.json, vocabulary). Nothing was installed.")
        if kind == "whisper":
            return self._install_whisper(src, plan, allow_unknown, language, progress)
        checked = self._verify_checksum(src, kind, allow_unknown, progress)
        ident = self._describe(plan, kind, checked.entry, language, name)
        slot_dir = self.settings.packs_dir / kind / ident.slot
        current = read_marker(slot_dir)
        if current and checked.sha256 and current.sha256 == checked.sha256 and current.id == ident.id:
            return InstallResult(src, True, "unchanged", ident.id, kind, message=f"{ident.id} is already installed.")
        self._check_space(plan, name)
        unknown = checked.verified_by == "none"
        tmp = slot_dir.parent / f".tmp-{ident.slot}-{secrets.token_hex(4)}"
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        try:
            files = extract(plan, tmp, progress, f"extracting {name}")
            if progress:  # total 0: loading the model takes an unknown time
                progress(0, 0, f"verifying {name}")
            self.validators[kind](tmp, name)
            if progress:
                progress(plan.total_bytes, plan.total_bytes, f"verifying {name}")
            marker = PackMarker(
                id=ident.id, kind=kind, version=ident.version, from_code=ident.from_code, to_code=ident.to_code,
                language=ident.language, sha256=checked.sha256, verified_by=checked.verified_by, unknown=unknown,
                installed_on=self.today(), source_name=name, size=plan.total_bytes, files=files,
            )
            (tmp / MARKER).write_text(marker.to_json(), encoding="utf-8")
            action = _swap_in(tmp, slot_dir, current.version if current else "", ident.version)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _LOGGER.info("pack %s: %s (%s)", action, ident.id, kind)
        note = " (unknown pack: not in the catalogue, no checksum)" if unknown else "."
        return InstallResult(src, True, action, ident.id, kind, unknown=unknown, message=f"{ident.id} {action}{note}")

    def _install_whisper(self, src: Path, plan: Plan, allow_unknown: bool, language: str | None,
                         progress: Progress | None) -> InstallResult:
        """Copy first (hashing model.bin on the way), then check, describe, load, swap in."""
        name = src.name
        self._check_space(plan, name)
        root = self.settings.packs_dir / "whisper"
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f".tmp-new-{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            files = extract(plan, tmp, progress, f"copying {name}")
            entry, sha256, verified_by = whisper_pack.checksum(
                files["model.bin"], src, self.catalogue, allow_unknown, lambda: file_digests(src)[0])
            meta = whisper_pack.describe(entry, language, plan.root, _stem(src))
            slot_dir = root / meta["slot"]
            current = read_marker(slot_dir)
            if current and current.sha256 == sha256 and current.id == meta["id"]:
                shutil.rmtree(tmp, ignore_errors=True)
                return InstallResult(src, True, "unchanged", meta["id"], "whisper",
                                     message=f"{meta['id']} is already installed.")
            if progress:
                progress(0, 0, f"verifying {name}")
            self.validators["whisper"](tmp, name)
            unknown = verified_by == "none"
            marker = PackMarker(
                id=meta["id"], kind="whisper", version=meta["version"], sha256=sha256, verified_by=verified_by,
                unknown=unknown, installed_on=self.today(), source_name=name, size=plan.total_bytes, files=files,
                languages=tuple(meta["languages"]),
            )
            (tmp / MARKER).write_text(marker.to_json(), encoding="utf-8")
            action = _swap_in(tmp, slot_dir, current.version if current else "", meta["version"])
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _LOGGER.info("pack %s: %s (whisper)", action, meta["id"])
        note = " (unknown pack: not in the catalogue, no checksum)" if unknown else "."
        return InstallResult(src, True, action, meta["id"], "whisper", unknown=unknown,
                             message=f"{meta['id']} {action}{note}")

    def _verify_checksum(self, src: Path, kind: str, allow_unknown: bool, progress: Progress | None) -> Checked:
        name = src.name
        named = self.catalogue.by_file_name(name)
        if named is not None and named.kind != kind:
            named = None
        if src.is_dir():
            if allow_unknown:
                return Checked(named, "", "none")
            raise KioskError("pack.unknown", f"{name} is an unpacked folder, which cannot be checked against a "
                                             "checksum. Install the published archive (.argosmodel or .zip) instead, "
                                             "or add --allow-unknown to install it unverified.")
        sha, md5 = file_digests(src, progress, f"checking {name}")
        hit = self.catalogue.by_sha256(sha) or next((e for e in self.catalogue.entries if e.md5 and e.md5 == md5), None)
        if hit is not None and hit.kind == kind:
            return Checked(hit, sha, "catalogue")
        sidecar = read_sidecar(src)
        if sidecar is not None:
            if sidecar != sha:
                raise KioskError("pack.checksum_mismatch", f"{name} does not match the checksum in {name}.sha256 "
                                                           "beside it. Copy both files again from the source.")
            return Checked(named, sha, "sidecar")
        if named is not None and (named.sha256 or named.md5):
            raise KioskError("pack.checksum_mismatch", f"{name} does not match the checksum the catalogue lists for "
                                                       f"{named.id}. Copy it again from the source.")
        if allow_unknown:
            return Checked(named, sha, "none")
        raise KioskError("pack.unknown", f"{name} is not in the pack catalogue and has no {name}.sha256 beside it. Add "
                                         "the .sha256 file, or add --allow-unknown to install it unverified.")

    def _describe(self, plan: Plan, kind: str, entry: CatalogueEntry | None, language: str | None,
                  name: str) -> PackIdentity:
        if kind == "mt":
            raw = plan.read_small("metadata.json")
            try:
                meta = json.loads(raw.decode("utf-8")) if raw else None
            except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: absurdly deep nesting
                meta = None
            if not isinstance(meta, dict):
                raise KioskError("pack.invalid", f"{name} has no readable metadata.json. Use a published Argos "
                                                 ".argosmodel file.")
            src_code, dst_code = meta.get("from_code"), meta.get("to_code")
            if src_code not in CODES or dst_code not in CODES or src_code == dst_code:
                raise KioskError("pack.invalid", f"{name} translates {src_code}→{dst_code}; the kiosk only uses "
                                                 f"{', '.join(CODES)}. Nothing was installed.")
            if entry is not None and (entry.from_code, entry.to_code) != (src_code, dst_code):
                raise KioskError("pack.invalid", f"{name} says it translates {src_code}→{dst_code} but the catalogue "
                                                 f"lists {entry.id} as {entry.from_code}→{entry.to_code}. Nothing was "
                                                 "installed.")
            version = str(meta.get("package_version") or (entry.version if entry else "") or "0")
            own_id = str(meta.get("kiosk_pack_id") or "")  # a pack made by `kiosk packs convert`
            for field_name, value in (("package_version", version), ("kiosk_pack_id", own_id)):
                if value and not _SAFE_NAME.fullmatch(value):  # it becomes part of a pack id and a file name
                    raise KioskError("pack.invalid", f"{name} has an unusable {field_name} {value[:40]!r}; use "
                                                     "letters, "
                                                     "digits, '.', '_', '+' and '-' only. Nothing was installed.")
            pack_id = entry.id if entry else own_id or f"translate-{src_code}_{dst_code}-{version.replace('.', '_')}"
            family = re.sub(r"[^a-z0-9-]", "", str(meta.get("kiosk_family") or ""))  # beside the Argos pack
            slot = f"{src_code}_{dst_code}" + (f"-{family}" if family else "")
            return PackIdentity(pack_id, slot, version, from_code=src_code, to_code=dst_code)
        lang = (entry.language if entry else None) or language or _vosk_language(plan.root or plan.source.name)
        if lang is None:
            raise KioskError("pack.invalid", f"Cannot tell which language the speech model {name} is for. Add "
                                             f"--language (one of {', '.join(CODES)}).")
        if entry is not None and language is not None and language != entry.language:
            raise KioskError("pack.invalid", f"{name} is the catalogue's {entry.id} for {entry.language}, not "
                                             f"{language}. Leave out --language.")
        pack_id = entry.id if entry else (plan.root or _stem(plan.source))
        numbered = re.search(r"-(\d[\w.]*)$", pack_id)
        version = entry.version if entry else (numbered.group(1) if numbered else "")
        return PackIdentity(pack_id, lang, version, language=lang)

    def _check_space(self, plan: Plan, name: str) -> None:
        need = plan.total_bytes + DISK_MARGIN
        where = self.settings.packs_dir
        free = self.disk_free(where)
        if free < need:
            raise KioskError("pack.disk_full", f"Not enough free disk space for {name}: it needs {_mb(need)} MB, "
                                               f"{_mb(free)} MB are free. Remove unused packs (kiosk packs remove ID) "
                                               "or free space, then try again.")


def _os_error(src: Path, exc: OSError) -> KioskError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return KioskError("pack.disk_full", f"The disk filled up while installing {src.name}; nothing was changed. "
                                            "Remove unused packs (kiosk packs remove ID) or free space, then try "
                                            "again.")
    return KioskError("pack.corrupt", f"{src.name} could not be read ({exc.strerror or type(exc).__name__}); nothing "
                                      "was changed. Check the USB stick and copy the pack again.")


def _swap_in(tmp: Path, slot_dir: Path, old_version: str, new_version: str) -> str:
    """Rename the verified ``tmp`` into ``slot_dir``; an old version is set aside first, then deleted."""
    aside = slot_dir.parent / f".old-{slot_dir.name}-{secrets.token_hex(4)}"  # a crash then: see cleanup_debris
    if not replace_folder(tmp, slot_dir, aside):
        return "installed"
    return "upgraded" if _version_key(new_version) > _version_key(old_version) else "replaced"


def find_pack_sources(path: Path, depth: int = 3) -> list[Path]:
    """Pack files and pack folders at ``path`` (a file, a pack folder, or a folder to scan)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    if looks_like_pack_folder(path):
        return [path]
    found: list[Path] = []
    if depth <= 0:
        return found
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or child.is_symlink():
            continue
        if child.is_file() and child.name.lower().endswith(ARCHIVE_SUFFIXES):
            found.append(child)
        elif child.is_dir():
            found.extend(find_pack_sources(child, depth - 1))
    return found


def looks_like_pack_folder(path: Path) -> bool:
    return ((path / "metadata.json").is_file() or ((path / "am").is_dir() and (path / "conf").is_dir())
            or whisper_pack.looks_like_whisper_folder(path))


def _vosk_language(name: str) -> str | None:
    m = _VOSK_NAME.match(name)
    return _VOSK_LANG.get(m.group(1)) if m else None


def _stem(path: Path) -> str:
    name = path.name
    for suffix in ARCHIVE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,79}")


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[._-]", version or "0"))


def _mb(n: int) -> int:
    return max(1, round(n / 2**20))
