"""Route choice per direction: the pure function, the setting, and the translator using it."""

from __future__ import annotations

import json
import shutil

import pytest

from kiosk.config import load_settings
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.errors import KioskError
from kiosk.packs.routes import DIRECT, MEASURED, ONLY, PINNED, PUBLISHED, Candidate, choose, pins_from_settings
from tests.support.mt_fixtures import tiny_pack_dirs  # noqa: F401
from tests.support.tiny_argos import build_argos_pack_dir

COMET = "COMET @ FLORES devtest (Mozilla 'flores-test')"
ARGOS = Candidate(("ja", "en"), ("translate-ja_en-1_1",), {COMET: 0.7804})
OPUS = Candidate(("ja", "en"), ("opus-mt-ja-en",), {COMET: 0.8261})
DIRECT_KO_JA = Candidate(("ko", "ja"), ("translate-ko_ja-1_0",))
PIVOT_KO_JA = Candidate(("ko", "en", "ja"), ("translate-ko_en-1_1", "translate-en_ja-1_1"))


def test_only_candidate():
    c = choose([ARGOS])
    assert (c.chosen, c.reason, c.why) == (ARGOS, ONLY, "the only installed route")


def test_published_quality_decides_between_packs():
    c = choose([ARGOS, OPUS])
    assert (c.chosen, c.reason) == (OPUS, PUBLISHED)
    assert c.why == f"best published quality ({COMET}: translate-ja_en-1_1 0.7804, opus-mt-ja-en 0.8261)"
    assert c.others == (ARGOS,)


def test_published_quality_only_when_every_candidate_has_the_same_metric():
    other_metric = Candidate(("ja", "en"), ("opus-mt-ja-en",), {"chrF @ Tatoeba": 58.9})
    assert choose([ARGOS, other_metric]).reason == DIRECT  # not comparable: fall through


def test_measured_quality_then_direct_over_pivot():
    assert choose([DIRECT_KO_JA, PIVOT_KO_JA]).chosen == DIRECT_KO_JA
    assert choose([DIRECT_KO_JA, PIVOT_KO_JA]).why == "direct pack preferred over a route via English"
    d = Candidate(DIRECT_KO_JA.route, DIRECT_KO_JA.packs, measured=31.0)
    p = Candidate(PIVOT_KO_JA.route, PIVOT_KO_JA.packs, measured=35.5)
    c = choose([d, p])
    assert (c.chosen, c.reason) == (p, MEASURED)
    assert c.why == "best chrF++ measured on this tablet (ko→ja 31.0, ko→en→ja 35.5)"
    half = Candidate(PIVOT_KO_JA.route, PIVOT_KO_JA.packs)  # one side not measured: no comparison
    assert choose([d, half]).reason == DIRECT


def test_published_beats_measured_and_pins_beat_everything():
    a = Candidate(ARGOS.route, ARGOS.packs, ARGOS.published, measured=50.0)
    o = Candidate(OPUS.route, OPUS.packs, OPUS.published, measured=40.0)
    assert choose([a, o]).chosen == o
    assert choose([a, o], pin="translate-ja_en-1_1").chosen == a
    assert choose([a, o], pin="translate-ja_en-1_1").reason == PINNED
    assert choose([DIRECT_KO_JA, PIVOT_KO_JA], pin="via-en").chosen == PIVOT_KO_JA
    assert choose([DIRECT_KO_JA, PIVOT_KO_JA], pin="direct").chosen == DIRECT_KO_JA
    assert choose([a, o], pin="no-such-pack").reason == PUBLISHED  # a stale pin is ignored


def test_pins_setting():
    assert pins_from_settings(["ja-en=opus-mt-ja-en", " ko-ja = via-en "]) == {
        ("ja", "en"): "opus-mt-ja-en", ("ko", "ja"): "via-en"}
    with pytest.raises(KioskError) as exc:
        pins_from_settings(["ja>en=opus"])
    assert exc.value.code == "config.invalid"
    assert exc.value.message == ("Setting 'mt_route_pins' has a bad entry 'ja>en=opus'; write it as FROM-TO=PACK_ID, "
                                 "FROM-TO=direct or FROM-TO=via-en (e.g. ja-en=opus-mt-ja-en).")


def test_pins_are_checked_when_settings_load(tmp_path):
    assert load_settings(tmp_path, env={"KIOSK_MT_ROUTE_PINS": "ko-ja=via-en"}).mt_route_pins == ("ko-ja=via-en",)
    with pytest.raises(KioskError):
        load_settings(tmp_path, env={"KIOSK_MT_ROUTE_PINS": "xx-ja=via-en"})


# ------------------------------------------------------------------ the translator uses it
def _copy(folder, dest, pack_id):
    target = dest / pack_id
    shutil.copytree(folder, target)
    (target / "kiosk-pack.json").write_text(json.dumps({"id": pack_id, "kind": "mt"}), encoding="utf-8")
    return target


def test_translator_picks_by_published_quality_and_explains(tmp_path, tiny_pack_dirs):  # noqa: F811

    a = _copy(tiny_pack_dirs[("ja", "en")], tmp_path, "translate-ja_en-1_1")
    b = _copy(build_argos_pack_dir(tmp_path / "b", "ja", "en", seed=7), tmp_path, "opus-mt-ja-en")
    published = {"translate-ja_en-1_1": {COMET: 0.7804}, "opus-mt-ja-en": {COMET: 0.8261}}
    mt = ArgosTranslator([a, b], published=published)
    assert mt.packs[("ja", "en")].pack_id == "opus-mt-ja-en"
    assert mt.choice("ja", "en").reason == PUBLISHED
    out_b = mt.translate("こんにちは。", "ja", "en")
    pinned = ArgosTranslator([a, b], published=published, pins={("ja", "en"): "translate-ja_en-1_1"})
    assert pinned.packs[("ja", "en")].pack_id == "translate-ja_en-1_1"
    assert pinned.translate("こんにちは。", "ja", "en").text != out_b.text  # a different model really ran
    via = next(c for c in mt.candidates("ja", "en"))
    assert mt.translate("こんにちは。", "ja", "en", via=via).text == out_b.text


def test_translator_direct_over_pivot_unless_pinned(tmp_path, tiny_pack_dirs):  # noqa: F811

    direct = build_argos_pack_dir(tmp_path, "ko", "ja")
    dirs = [tiny_pack_dirs[("ko", "en")], tiny_pack_dirs[("en", "ja")], direct]
    assert ArgosTranslator(dirs).route("ko", "ja") == ("ko", "ja")
    assert ArgosTranslator(dirs).choice("ko", "ja").why == "direct pack preferred over a route via English"
    assert ArgosTranslator(dirs, pins={("ko", "ja"): "via-en"}).route("ko", "ja") == ("ko", "en", "ja")
    measured = {"ko>ja|" + direct.name: 10.0,
                f"ko>en>ja|{tiny_pack_dirs[('ko', 'en')].name}+{tiny_pack_dirs[('en', 'ja')].name}": 20.0}
    assert ArgosTranslator(dirs, measured=measured).route("ko", "ja") == ("ko", "en", "ja")
