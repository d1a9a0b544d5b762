"""What ``kiosk bench`` measures on: FLORES-200 reference sentences (package data) and the
bundled real speech clips (``tests/data/audio`` with their transcripts), plus CER (the same
scoring as the speech tests and ``benchmarks/``: ``tests/support/speech_eval.py`` uses it)."""

from __future__ import annotations

import csv
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
FLORES_FILE = DATA_DIR / "flores200_devtest_200.tsv"
FLORES_COLUMNS = {"en": "eng_Latn", "ja": "jpn_Jpan", "vi": "vie_Latn", "zh": "zho_Hans", "ko": "kor_Hang"}
DEFAULT_CLIPS_DIR = Path(__file__).resolve().parent.parent.parent / "tests" / "data" / "audio"


@functools.lru_cache(maxsize=1)
def flores_rows() -> tuple[dict[str, str], ...]:
    """The 200 reference rows (id + one column per language)."""
    with open(FLORES_FILE, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def flores_pairs(source: str, target: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(source sentence, reference translation) pairs, in file order."""
    rows = flores_rows()[:limit] if limit else flores_rows()
    return [(r[FLORES_COLUMNS[source]].strip(), r[FLORES_COLUMNS[target]].strip()) for r in rows]


def speed_sentences(source: str, limit: int) -> list[str]:
    """Sentences of about 15 tokens (English side 10–13 words), for latency."""
    rows = [r for r in flores_rows() if 10 <= len(r["eng_Latn"].split()) <= 13]
    return [r[FLORES_COLUMNS[source]].strip() for r in rows[:limit]]


@dataclass(frozen=True)
class Clip:
    path: Path
    language: str
    transcript: str


def clips(language: str | None = None, audio_dir: Path = DEFAULT_CLIPS_DIR) -> list[Clip]:
    """The bundled clips listed in ``transcripts.tsv`` (whose file exists), optionally of one language."""
    index = Path(audio_dir) / "transcripts.tsv"
    if not index.is_file():
        return []
    with open(index, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = [Clip(Path(audio_dir) / r["file"], r["lang"], r["transcript"]) for r in rows
           if language in (None, r["lang"])]
    return [c for c in out if c.path.is_file()]


def transcripts(lang: str | None = None, audio_dir: Path = DEFAULT_CLIPS_DIR) -> dict[str, str]:
    """{clip file name: reference transcript}, optionally for one language."""
    return {c.path.name: c.transcript for c in clips(lang, audio_dir)}


def normalise(text: str) -> str:
    """As the clips' README says: casefold, no punctuation, no spaces."""
    return "".join(ch for ch in text.casefold() if not unicodedata.category(ch).startswith(("P", "Z")))


def cer(ref: str, hyp: str) -> float:
    """Character error rate after ``normalise`` (Levenshtein distance / reference length)."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = normalise(ref), normalise(hyp)
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))
