"""Soak: many turns through the real pipeline in one process; RSS, open file descriptors and threads
must stay flat (issue 13).  Not a test (the short version is ``tests/test_soak.py``).

    .venv/bin/python benchmarks/soak.py [--turns 2000] [--every 4] [--sample 100]

Every turn is real: a speech turn streams a short real Korean clip (2.5 s cut from
``tests/data/audio/ko_01.wav``) through Vosk with the PyPI Korean model; every turn is translated
ko→en→ja (and back) by tiny CTranslate2 packs built by ``tests/support/tiny_argos.py`` and installed
with the real installer; the translation is synthesised by espeak-ng and written to a WAV file;
statistics are recorded to SQLite.  ``--every N``: one turn in N is a speech turn, the others typed.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.audio import read_wav
from kiosk.config import load_settings
from kiosk.engines.factory import build_engines
from kiosk.packs.install import Installer
from kiosk.packs.validate import validate_mt, validate_stt
from kiosk.pipeline import events as ev
from kiosk.pipeline.conversation import Conversation
from kiosk.stats import StatsRecorder, open_store
from tests.support.tiny_argos import build_argos_pack

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CLIP = REPO / "tests" / "data" / "audio" / "ko_01.wav"
CLIP_S = 2.5
TYPED = ("안녕하세요", "화장실은 어디예요", "주민표를 떼고 싶습니다", "감사합니다", "이 서류를 작성해 주세요")


@dataclass(frozen=True)
class Sample:
    turns: int
    rss_mb: float
    fds: int
    threads: int
    seconds: float


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def sample(turns: int, start: float) -> Sample:
    gc.collect()
    return Sample(turns, _status("VmRSS") / 1024, len(os.listdir("/proc/self/fd")), threading.active_count(),
                  time.monotonic() - start)


def prepare(data: Path):
    """Settings for a data dir with the tiny ko→en, en→ja, ja→en packs installed by the real installer."""
    settings = load_settings(data, env={})
    archives = [build_argos_pack(data.parent / "usb", a, b) for a, b in (("ko", "en"), ("en", "ja"), ("ja", "en"))]
    results = Installer(settings, validators={"mt": validate_mt, "stt": validate_stt}).install(
        archives, allow_unknown=True)
    assert all(r.ok for r in results), [r.message for r in results]
    return settings


def run_soak(data: Path, turns: int, every: int = 4, sample_every: int = 100,
             progress=None) -> list[Sample]:
    """Run ``turns`` turns; samples after the first turn and then every ``sample_every`` turns."""
    settings = prepare(data)
    clip = read_wav(CLIP)[: int(16000 * CLIP_S) * 2]
    engines = build_engines(settings)
    recorder = StatsRecorder(open_store(settings))
    events: list[ev.Event] = []

    def observer(event: ev.Event) -> None:
        recorder(event)
        if isinstance(event, (ev.TranslationReady, ev.TurnFailed)):
            events.append(event)

    conv = Conversation(engines, settings, observer, speak_aloud=False)
    out = data.parent / "out"
    out.mkdir(exist_ok=True)
    samples: list[Sample] = []
    start = time.monotonic()
    failures = 0
    for n in range(1, turns + 1):
        if n % 20 == 1:  # a visit every 20 turns: sessions end and are written
            conv.end_session("finished")
            conv.start_session(mode="counter", visitor_language="ko", staff_language="ja")
        events.clear()
        if n % every == 0:
            tid = conv.start_speech(side="visitor", source="ko", target="ja")
            for i in range(0, len(clip), 8000):
                conv.push_audio(tid, clip[i : i + 8000])
            conv.stop_speech(tid)
        else:
            conv.submit_text(side="visitor", source="ko", target="ja", text=TYPED[n % len(TYPED)])
        conv.wait(timeout=120)
        done = [e for e in events if isinstance(e, ev.TranslationReady)]
        if done and done[-1].text.strip():
            engines.tts.synthesize(done[-1].text, "ja", out / f"reply{n % 3}.wav")  # real TTS to a file
        else:
            failures += 1
        if n == 1 or n % sample_every == 0 or n == turns:
            samples.append(sample(n, start))
            if progress:
                progress(samples[-1], failures)
    conv.close()
    recorder.close()
    return samples


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=2000)
    ap.add_argument("--every", type=int, default=4, help="one speech turn in N (the others typed)")
    ap.add_argument("--sample", type=int, default=100)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))

    def show(s: Sample, failures: int) -> None:
        print(f"turn {s.turns:5d}  rss {s.rss_mb:7.1f} MB  fds {s.fds:3d}  threads {s.threads:2d}  "
              f"{s.seconds:7.1f} s  no-translation {failures}", flush=True)

    samples = run_soak(tmp / "data", args.turns, args.every, args.sample, show)
    base = next((s for s in samples if s.turns >= args.sample), samples[0])  # after warm-up
    last = samples[-1]
    print(f"\n{last.turns} turns in {last.seconds:.0f} s ({last.seconds / last.turns * 1000:.0f} ms a turn); "
          f"from turn {base.turns} to {last.turns}: RSS {base.rss_mb:.1f} → {last.rss_mb:.1f} MB "
          f"(peak {max(s.rss_mb for s in samples):.1f}), fds {base.fds} → {last.fds}, "
          f"threads {base.threads} → {last.threads}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
