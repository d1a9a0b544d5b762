"""The catalogue of known packs (``lang_packs/catalogue.json``): load, validate, look up.

Each entry: ``id``, ``kind`` ("mt" | "stt" | "tts" | "whisper"), languages (``from``/``to`` for
mt, ``language`` for stt/tts, ``languages`` for a multilingual faster-whisper model), ``version``,
``file`` (the published file name),
``size`` (bytes), ``sha256`` and ``md5`` (null where nobody published one),
``licence``, ``url`` (where it is published, for the record) and ``listed``
(false when the publisher withdrew it from their index).  ``source`` is
"system" (comes with the OS, e.g. espeak-ng voices) or "pypi" (installed with
the app) for packs that are never sideloaded; "convert" for published models that
``kiosk packs convert`` turns into a pack on the tablet (OPUS-MT release archives).
``quality`` (optional) lists published scores, each with the metric, the test set,
the score (higher is better) and the source it was read from; route choice compares
packs on a metric and test set they share (kiosk.packs.routes).  For a ``whisper``
model (a folder, not one file) ``size`` and ``sha256`` are those of its ``model.bin``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.languages import CODES

KINDS = ("mt", "stt", "tts", "whisper")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MD5 = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class PublishedScore:
    metric: str  # e.g. "COMET (wmt22-comet-da)", "chrF"
    testset: str  # e.g. "FLORES-200 devtest"
    score: float
    source: str  # where the figure was published

    @property
    def key(self) -> str:
        return f"{self.metric} @ {self.testset}"


@dataclass(frozen=True)
class CatalogueEntry:
    id: str
    kind: str
    version: str
    from_code: str | None = None
    to_code: str | None = None
    language: str | None = None
    file: str | None = None
    size: int | None = None
    sha256: str | None = None
    md5: str | None = None
    licence: str = ""
    url: str = ""
    listed: bool = True
    source: str = "file"  # "file" (sideloaded) | "system" | "pypi"
    voice: str | None = None  # tts: the espeak-ng voice name
    quality: tuple[PublishedScore, ...] = ()
    source_prefix: str = ""  # convert: target-language token a multi-target OPUS-MT model needs (">>vie<<")
    multilingual: tuple[str, ...] = ()  # whisper: every language the model serves

    def published(self) -> dict[str, float]:
        """{"metric @ testset": score} for route choice."""
        return {q.key: q.score for q in self.quality}

    @property
    def languages(self) -> tuple[str, ...]:
        if self.kind == "mt":
            return (self.from_code or "", self.to_code or "")
        if self.kind == "whisper":
            return self.multilingual
        return (self.language or "",)


@dataclass(frozen=True)
class Catalogue:
    entries: tuple[CatalogueEntry, ...]

    def by_id(self, pack_id: str) -> CatalogueEntry | None:
        return next((e for e in self.entries if e.id == pack_id), None)

    def by_sha256(self, digest: str) -> CatalogueEntry | None:
        return next((e for e in self.entries if e.sha256 and e.sha256 == digest), None)

    def by_file_name(self, name: str) -> CatalogueEntry | None:
        """The entry whose published file (or id) matches ``name`` (a file or folder name)."""
        for e in self.entries:
            if e.source != "file":
                continue
            if name == e.file or name == e.id:
                return e
        return None

    def of_kind(self, kind: str) -> list[CatalogueEntry]:
        return [e for e in self.entries if e.kind == kind]

    def tts_voices(self) -> dict[str, str]:
        """language -> espeak-ng voice, from the catalogue's tts entries."""
        return {e.language: e.voice for e in self.entries if e.kind == "tts" and e.language and e.voice}


def default_catalogue_path() -> Path:
    return Path(__file__).resolve().parent.parent.parent / "lang_packs" / "catalogue.json"


def _bad(path: Path, what: str) -> KioskError:
    return KioskError("pack.catalogue_invalid", f"The pack catalogue {path} is invalid: {what}. Restore it from the "
                                                "kiosk release.")


def _entry(raw: dict, path: Path) -> CatalogueEntry:
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid:
        raise _bad(path, "an entry has no id")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _bad(path, f"{pid}: kind must be one of {', '.join(KINDS)}")
    for key in ("sha256", "md5"):
        value = raw.get(key)
        pattern = _SHA256 if key == "sha256" else _MD5
        if value is not None and (not isinstance(value, str) or not pattern.match(value)):
            raise _bad(path, f"{pid}: {key} must be lowercase hex or null")
    size = raw.get("size")
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size <= 0):
        raise _bad(path, f"{pid}: size must be a positive number of bytes or null")
    source = raw.get("source", "file")
    if source not in ("file", "system", "pypi", "convert"):
        raise _bad(path, f"{pid}: source must be file, system, pypi or convert")
    if kind == "whisper":
        langs = list(raw.get("languages") or [None])
    else:
        langs = [raw.get("from"), raw.get("to")] if kind == "mt" else [raw.get("language")]
    if any(code not in CODES for code in langs) or len(set(langs)) < len(langs):
        raise _bad(path, f"{pid}: languages must be among {', '.join(CODES)}")
    if source in ("file", "convert") and not (isinstance(raw.get("file"), str) and raw.get("file")):
        raise _bad(path, f"{pid}: a sideloaded pack needs its published file name")
    if kind == "tts" and not raw.get("voice"):
        raise _bad(path, f"{pid}: a tts entry needs a voice")
    for key in ("licence", "url"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            raise _bad(path, f"{pid}: {key} is missing")
    quality = tuple(_score(q, pid, path) for q in raw.get("quality") or ())
    return CatalogueEntry(
        id=pid, kind=kind, version=str(raw.get("version") or ""),
        from_code=raw.get("from"), to_code=raw.get("to"), language=raw.get("language"),
        file=raw.get("file"), size=size, sha256=raw.get("sha256"), md5=raw.get("md5"),
        licence=raw["licence"], url=raw["url"], listed=bool(raw.get("listed", True)),
        source=source, voice=raw.get("voice"), quality=quality, source_prefix=str(raw.get("source_prefix") or ""),
        multilingual=tuple(raw.get("languages") or ()) if kind == "whisper" else (),
    )


def _score(raw, pid: str, path: Path) -> PublishedScore:
    if not isinstance(raw, dict):
        raise _bad(path, f"{pid}: each quality entry must be an object")
    score = raw.get("score")
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise _bad(path, f"{pid}: a quality entry needs a numeric score")
    for key in ("metric", "testset", "source"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            raise _bad(path, f"{pid}: a quality entry needs its {key} (never a figure without its source)")
    return PublishedScore(raw["metric"], raw["testset"], float(score), raw["source"])


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate the catalogue, or raise ``pack.catalogue_invalid``."""
    path = Path(path) if path is not None else default_catalogue_path()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise KioskError("pack.catalogue_invalid", f"The pack catalogue {path} cannot be read. Restore it from the "
                                                   "kiosk release.") from None
    except json.JSONDecodeError as exc:
        raise _bad(path, f"not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(doc, dict) or doc.get("schema") != 1 or not isinstance(doc.get("packs"), list):
        raise _bad(path, 'expected {"schema": 1, "packs": [...]}')
    entries = tuple(
        _entry(raw, path) if isinstance(raw, dict) else _raise(_bad(path, "an entry is not an object"))
        for raw in doc["packs"]
    )
    seen: set[str] = set()
    for e in entries:
        if e.id in seen:
            raise _bad(path, f"the id {e.id} appears twice")
        seen.add(e.id)
    return Catalogue(entries)


def _raise(exc: Exception):
    raise exc


def read_sidecar(src: Path) -> str | None:
    """The sha256 in ``<src>.sha256`` beside a pack file (None without one); a malformed one is refused."""
    side = src.with_name(src.name + ".sha256")
    if not side.is_file():
        return None
    try:
        words = side.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    token = words[0].lower() if words else ""
    if not re.fullmatch(r"[0-9a-f]{64}", token):
        raise KioskError("pack.checksum_mismatch", f"{side.name} does not hold a sha256 checksum. Copy it again from "
                                                   "the source.")
    return token
