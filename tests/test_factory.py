"""Real engines built from settings, and warm-up before the first visitor speaks."""

from __future__ import annotations

import shutil

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.engines.factory import Engines, build_engines, warm_up
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from tests.support.mt_fixtures import tiny_pack_archives  # noqa: F401


def test_build_engines_loads_nothing_until_used(tmp_path):
    engines = build_engines(load_settings(tmp_path, env={}))
    assert engines.stt.languages() == ["ko"]  # the PyPI Korean model
    assert not engines.stt.is_loaded("ko")
    assert engines.translator.direct_pairs() == set()


def test_warm_up_loads_the_models_a_visit_needs(tmp_path, tiny_pack_archives, capsys):  # noqa: F811
    stick = tmp_path / "usb"
    stick.mkdir()
    for pair in (("ko", "en"), ("en", "ja")):
        shutil.copy(tiny_pack_archives[pair], stick)
    assert main(["--data-dir", str(tmp_path / "data"), "packs", "install", "--allow-unknown", str(stick)]) == 0
    engines = build_engines(load_settings(tmp_path / "data", env={}))
    warm_up(engines, ["ko", "ja"])  # ja→ko is missing: skipped, not raised
    assert engines.stt.is_loaded("ko")
    loaded = {(p.from_code, p.to_code) for p in engines.translator.packs.values() if p.translator is not None}
    assert loaded == {("ko", "en"), ("en", "ja")}


def test_warm_up_accepts_fakes():
    warm_up(Engines(FakeSpeechToText({"ko": "x"}), FakeTranslator(), FakeTextToSpeech()), ["ko", "ja"])
