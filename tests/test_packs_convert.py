"""`kiosk packs convert`: a tiny Marian-format OPUS-MT release (npz + spm + vocab, built here) →
CTranslate2's converter → installed pack → translation → route chosen by published quality."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from kiosk.bench.quality import quality_lines
from kiosk.bench.report import measured
from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.errors import KioskError
from kiosk.packs.catalogue import load_catalogue
from kiosk.packs.convert import convert_opus_mt, readme_languages
from kiosk.packs.install import Installer
from kiosk.packs.registry import installed
from tests.support.tiny_argos import build_argos_pack_dir
from tests.support.tiny_marian import build_opus_mt_zip


def test_readme_languages():
    assert readme_languages("* source language(s): jpn\n* target language(s): eng\n") == ("ja", "en", False)
    text = ("* source language(s): eng\n* target language(s): vie vie_Hani\n"
            "* a sentence initial language token is required in the form of `>>id<<`")
    assert readme_languages(text) == ("en", "vi", True)
    assert readme_languages("no languages here") == (None, None, False)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    return build_opus_mt_zip(tmp_path_factory.mktemp("opus"), "ja", "en")


def _sidecar(path):
    path.with_name(path.name + ".sha256").write_text(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n", encoding="utf-8")


@pytest.mark.slow
def test_convert_install_translate_and_route(tmp_path, release, capsys):
    stick = tmp_path / "stick"
    stick.mkdir()
    archive = stick / release.name
    archive.write_bytes(release.read_bytes())
    _sidecar(archive)
    settings = load_settings(tmp_path / "data")
    # the Argos pack for the same direction (a test pack under the catalogue's id)
    argos = build_argos_pack_dir(tmp_path / "argos", "ja", "en", version="1.1", folder_name="translate-ja_en-1_1")
    assert Installer(settings).install([argos], allow_unknown=True)[0].ok

    assert main(["--data-dir", str(settings.data_dir), "packs", "convert", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "ok      opus-mt-ja-en: opus-mt-ja-en installed." in out
    packs = {p.id: p for p in installed(settings)}
    opus = packs["opus-mt-ja-en"]
    assert (opus.from_code, opus.to_code, opus.unknown) == ("ja", "en", False)  # verified by the release's .sha256
    assert opus.path.name == "ja_en-opus-mt" and packs["translate-ja_en-1_1"].path.name == "ja_en"
    meta = json.loads((opus.path / "metadata.json").read_text(encoding="utf-8"))
    assert meta["converted_from"] == "opus-2019-12-18.zip" and meta["package_version"] == "2019.12.18"
    assert (opus.path / "target.spm").is_file() and (opus.path / "model" / "model.bin").is_file()

    mt = ArgosTranslator.from_settings(settings)
    choice = mt.choice("ja", "en")
    assert choice.chosen.packs == ("opus-mt-ja-en",) and choice.reason == "published"
    assert "opus-mt-ja-en 0.8261" in choice.why and "translate-ja_en-1_1 0.7804" in choice.why
    text = mt.translate("住民票をください。", "ja", "en").text
    assert text.strip() and "⁇" not in text  # decoded with the pack's target.spm
    pinned = ArgosTranslator.from_settings(settings.replace(mt_route_pins=("ja-en=translate-ja_en-1_1",)))
    assert pinned.choice("ja", "en").reason == "pinned"
    assert pinned.translate("住民票をください。", "ja", "en").text != text

    published = {e.id: list(e.quality) for e in load_catalogue().of_kind("mt") if e.quality}
    lines = quality_lines(settings.replace(languages=("ja", "en")), mt, sentences=5, real_route=lambda r: True,
                          published=published)
    assert [ln.subject for ln in lines] == ["ja→en direct opus-mt-ja-en", "ja→en direct translate-ja_en-1_1"]
    line = lines[0]
    assert line.values["published"] == 0.8261 and lines[1].values["published"] == 0.7804
    assert measured(line).startswith("chrF++ ") and "(published COMET 0.8261 on FLORES devtest" in measured(line)

    assert main(["--data-dir", str(settings.data_dir), "packs", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ja→en  ja→en (opus-mt-ja-en): best published quality" in listing


def test_unverified_release_needs_allow_unknown(tmp_path, release):
    with pytest.raises(KioskError) as exc:
        convert_opus_mt(release, tmp_path / "out")
    assert exc.value.code == "pack.unknown"
    assert exc.value.message == ("opus-2019-12-18.zip has no published checksum and no opus-2019-12-18.zip.sha256 "
                                 "beside it. Add the .sha256 file, or add --allow-unknown to install it unverified.")
    made = convert_opus_mt(release, tmp_path / "out", allow_unknown=True)
    assert made.verified is False and not made.archive.with_name(made.archive.name + ".sha256").exists()


def test_bad_sidecar_is_refused(tmp_path, release):
    copy = tmp_path / release.name
    copy.write_bytes(release.read_bytes())
    copy.with_name(copy.name + ".sha256").write_text("0" * 64, encoding="utf-8")
    with pytest.raises(KioskError) as exc:
        convert_opus_mt(copy, tmp_path / "out")
    assert exc.value.code == "pack.checksum_mismatch"


def test_not_an_opus_release(tmp_path):
    bogus = tmp_path / "opus-2020-01-01.zip"
    with zipfile.ZipFile(bogus, "w") as zf:
        zf.writestr("README.md", "* source language(s): jpn\n* target language(s): eng\n")
    with pytest.raises(KioskError) as exc:
        convert_opus_mt(bogus, tmp_path / "out", allow_unknown=True)
    assert exc.value.code == "pack.invalid"
    assert exc.value.message == ("opus-2020-01-01.zip is not an OPUS-MT release archive (decoder.yml is missing). "
                                 "Nothing was installed.")
    with zipfile.ZipFile(bogus, "w") as zf:
        zf.writestr("README.md", "nothing")
    with pytest.raises(KioskError) as exc:
        convert_opus_mt(bogus, tmp_path / "out", allow_unknown=True)
    assert "give them with --from and --to" in exc.value.message


@pytest.mark.slow
def test_multi_target_model_gets_its_language_token(tmp_path):
    release = build_opus_mt_zip(tmp_path, "en", "vi", name="opus-2020-06-17.zip", multi_target=True)
    made = convert_opus_mt(release, tmp_path / "out", allow_unknown=True)
    with zipfile.ZipFile(made.archive) as zf:
        zf.extractall(tmp_path / "x")
    mt = ArgosTranslator([tmp_path / "x" / "opus-mt-en-vi"])
    assert mt.packs[("en", "vi")].source_prefix == ">>vie<<"  # the catalogue entry's token
    assert mt.translate("Where is the city office?", "en", "vi").text.strip()
