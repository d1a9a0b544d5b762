"""The quality gate: is a result good enough to show as sure?  Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    sure: bool
    reasons: tuple[str, ...]  # empty when sure


def assess(
    *,
    verified: bool,
    stt_confidence: float | None,
    mt_score: float | None,
    glossary_missing: Sequence[str] = (),
    min_stt_confidence: float,
    min_mt_score: float,
) -> Verdict:
    """Decide whether to show a result as sure.

    ``stt_confidence`` is None for typed text; ``mt_score`` is None for a
    verified phrase.  A verified phrase is trusted for its translation, but
    the recognition under it can still be doubtful.
    """
    reasons: list[str] = []
    if stt_confidence is not None and stt_confidence < min_stt_confidence:
        reasons.append("low_stt_confidence")
    if not verified:
        if mt_score is not None and mt_score < min_mt_score:
            reasons.append("low_mt_score")
        if glossary_missing:
            reasons.append("glossary_term_missing")
    return Verdict(sure=not reasons, reasons=tuple(reasons))
