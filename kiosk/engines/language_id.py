""""Just speak": which of the kiosk's languages is the visitor speaking?

Whisper's language identification gives a probability for each of its ~100
languages; ``rank`` keeps the kiosk's enabled languages, renormalised, best
first, and ``decide`` turns that into what the screen shows: one language to
confirm ("Tiếng Việt? ✓"), or, below the threshold, the two most likely.
Both are pure functions.  ``WhisperSpeechToText.detect_languages`` feeds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CONFIDENT = 0.75  # at or above: ask "<language>? ✓"; below: offer the two most likely


@dataclass(frozen=True)
class Detection:
    ranked: tuple[tuple[str, float], ...]  # (language, probability among the enabled ones), best first
    confident: bool

    @property
    def best(self) -> str | None:
        return self.ranked[0][0] if self.ranked else None

    @property
    def choices(self) -> tuple[str, ...]:
        """What to offer: the one language when confident, else the two most likely (none: nothing heard)."""
        return tuple(lang for lang, _p in self.ranked[: 1 if self.confident else 2])


def rank(probabilities: Iterable[tuple[str, float]], enabled: Sequence[str]) -> list[tuple[str, float]]:
    """Whisper's (language, probability) pairs restricted to ``enabled``, renormalised to sum to 1, best first."""
    wanted = set(enabled)
    kept = {lang: max(0.0, float(p)) for lang, p in probabilities if lang in wanted}
    total = sum(kept.values())
    if total <= 0:
        return []
    order = {lang: i for i, lang in enumerate(enabled)}
    return sorted(((lang, p / total) for lang, p in kept.items()), key=lambda lp: (-lp[1], order[lp[0]]))


def decide(ranked: Sequence[tuple[str, float]], threshold: float = CONFIDENT) -> Detection:
    return Detection(tuple(ranked), bool(ranked) and ranked[0][1] >= threshold)
