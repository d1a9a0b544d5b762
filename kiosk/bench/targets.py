"""The pass / fail decisions of ``kiosk bench``: pure functions of measured facts.

Every line of the bench table gets one verdict:

* ``pass`` / ``fail`` — measured on real engines and models, against its target;
* ``needs_real_pack`` — measured, but on a pack that is not a known published
  model (a test pack, an unknown pack): the number says nothing about a real
  translation model, so it is neither a pass nor a fail;
* ``missing`` — nothing installed to measure (the note says what to install);
* ``info`` — a figure with no target (e.g. CER of a language without one);
* ``error`` — the engine failed (the note carries the error code).

Targets come from settings (``bench_*``), so a city can set its own.
"""

from __future__ import annotations

from dataclasses import dataclass

PASS, FAIL, NEEDS_REAL, MISSING, INFO, ERROR = "pass", "fail", "needs_real_pack", "missing", "info", "error"
VERDICTS = (PASS, FAIL, NEEDS_REAL, MISSING, INFO, ERROR)


@dataclass(frozen=True)
class Targets:
    text_p95_s: float = 1.0  # end of speech → translated text, p95
    speech_start_s: float = 0.3  # translated text → audio ready, p95
    peak_rss_mb: float = 1536.0  # peak memory with two languages loaded
    startup_s: float = 3.0  # start-up → engines and content ready
    max_cer: float = 0.5  # speech recognition character error rate on the bundled clips
    max_rtf: float = 1.0  # recognition must keep up with speech

    @classmethod
    def from_settings(cls, settings) -> Targets:
        return cls(
            text_p95_s=settings.bench_text_p95_s, speech_start_s=settings.bench_speech_start_s,
            peak_rss_mb=float(settings.bench_peak_rss_mb), startup_s=settings.bench_startup_s,
            max_cer=settings.bench_max_cer,
        )


def at_most(value: float | None, limit: float) -> str:
    """``pass`` when value ≤ limit; ``missing`` when nothing was measured."""
    if value is None:
        return MISSING
    return PASS if value <= limit else FAIL


def stt_verdict(cer: float | None, rtf: float | None, p95_s: float | None, targets: Targets) -> str:
    """Speech recognition on real clips: accurate enough, keeps up with speech, and its share of
    the end-of-speech budget (finishing the transcript) fits the text target."""
    if cer is None or rtf is None or p95_s is None:
        return MISSING
    ok = cer <= targets.max_cer and rtf <= targets.max_rtf and p95_s <= targets.text_p95_s
    return PASS if ok else FAIL


def mt_verdict(p95_s: float | None, real: bool, targets: Targets) -> str:
    """A translation direction alone must fit the end-of-speech → text budget."""
    if p95_s is None:
        return MISSING
    if not real:
        return NEEDS_REAL
    return at_most(p95_s, targets.text_p95_s)


def e2e_verdict(text_p95_s: float | None, speech_p95_s: float | None, real: bool, targets: Targets) -> str:
    """The simulated turn: end of speech → translated text, then text → audio ready."""
    if text_p95_s is None or speech_p95_s is None:
        return MISSING
    if not real:
        return NEEDS_REAL
    ok = text_p95_s <= targets.text_p95_s and speech_p95_s <= targets.speech_start_s
    return PASS if ok else FAIL


def quality_verdict(score: float | None, real: bool) -> str:
    """chrF++ has no universal pass mark: real packs get ``info`` (compare with the published
    figure beside it); test packs need real ones."""
    if score is None:
        return MISSING
    return INFO if real else NEEDS_REAL


def overall(verdicts: list[str]) -> str:
    """The tablet's answer: ``fail`` if any line failed or errored, else ``needs_real_pack`` if any
    line could not be judged on real packs or has nothing installed, else ``pass``."""
    if any(v in (FAIL, ERROR) for v in verdicts):
        return FAIL
    if any(v in (NEEDS_REAL, MISSING) for v in verdicts):
        return NEEDS_REAL
    return PASS


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]
