"""Scoring recognised speech against the reference transcripts of tests/data/audio
(shared by the speech tests and benchmarks/bench_speech.py)."""

from __future__ import annotations

import csv
from pathlib import Path

AUDIO_DIR = Path(__file__).resolve().parent.parent / "data" / "audio"


def transcripts(lang: str | None = None, audio_dir: Path = AUDIO_DIR) -> dict[str, str]:
    """{clip file name: reference transcript}, optionally for one language."""
    with open(audio_dir / "transcripts.tsv", encoding="utf-8", newline="") as f:
        return {r["file"]: r["transcript"] for r in csv.DictReader(f, delimiter="\t") if lang in (None, r["lang"])}


def cer(ref: str, hyp: str) -> float:
    """Character error rate with spaces removed (Levenshtein distance / reference length)."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = ref.replace(" ", ""), hyp.replace(" ", "")
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))
