"""Scoring recognised speech against the reference transcripts of tests/data/audio
(shared by the speech tests and benchmarks/bench_speech.py; the scoring itself is
``kiosk.bench.data``'s, so ``kiosk bench`` and the benchmarks count errors the same way)."""

from __future__ import annotations

from pathlib import Path

from kiosk.bench.data import cer, normalise
from kiosk.bench.data import transcripts as _transcripts

AUDIO_DIR = Path(__file__).resolve().parent.parent / "data" / "audio"

__all__ = ["AUDIO_DIR", "cer", "normalise", "transcripts"]


def transcripts(lang: str | None = None, audio_dir: Path = AUDIO_DIR) -> dict[str, str]:
    """{clip file name: reference transcript}, optionally for one language."""
    return _transcripts(lang, audio_dir)
