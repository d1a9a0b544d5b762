"""Scoring recognised speech against the reference transcripts of tests/data/audio
(shared by the speech tests and benchmarks/bench_speech.py)."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

AUDIO_DIR = Path(__file__).resolve().parent.parent / "data" / "audio"


def transcripts(lang: str | None = None, audio_dir: Path = AUDIO_DIR) -> dict[str, str]:
    """{clip file name: reference transcript}, optionally for one language."""
    with open(audio_dir / "transcripts.tsv", encoding="utf-8", newline="") as f:
        return {r["file"]: r["transcript"] for r in csv.DictReader(f, delimiter="\t") if lang in (None, r["lang"])}


def normalise(text: str) -> str:
    """As the clips' README says: casefold, no punctuation, no spaces."""
    return "".join(ch for ch in text.casefold() if not unicodedata.category(ch).startswith(("P", "Z")))


def cer(ref: str, hyp: str) -> float:
    """Character error rate after ``normalise`` (Levenshtein distance / reference length)."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = normalise(ref), normalise(hyp)
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))
