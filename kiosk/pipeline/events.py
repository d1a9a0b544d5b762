"""Frozen dataclass events, sent to one observer (UI, stats and benchmarks observe).

A turn emits, in order (some optional):

    TurnStarted → Listening → PartialText* → FinalText → [PhraseMatched]
    → TranslationReady → BackTranslationReady → SpeechStarted → SpeechFinished
    → TurnFinished

or ``TurnFailed`` (with a stable error code) at any point after TurnStarted,
after which nothing else is emitted for that turn.  ``elapsed_s`` on every
event is seconds since the turn started; ``duration_s`` is the stage's own
duration.  The UI emits SessionStarted / Feedback / SessionEnded itself.

Text fields carry what a visitor said; observers must never persist them
(stats records counts only).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Literal

_LOGGER = logging.getLogger(__name__)

Side = Literal["staff", "visitor"]
InputKind = Literal["speech", "typed", "phrasebook"]


@dataclass(frozen=True)
class Event:
    @property
    def type(self) -> str:
        name = type(self).__name__
        return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


# ------------------------------------------------------------------ session
@dataclass(frozen=True)
class SessionStarted(Event):
    session_id: str
    mode: str  # "counter" | "kiosk"
    visitor_language: str
    staff_language: str


@dataclass(frozen=True)
class Feedback(Event):
    session_id: str
    turn_id: str
    outcome: Literal["understood", "say_again"]


@dataclass(frozen=True)
class SessionEnded(Event):
    session_id: str
    reason: Literal["finished", "idle_reset", "app_closed"] = "finished"


@dataclass(frozen=True)
class VisitAbandoned(Event):
    """The attract screen was touched but no language was picked before the reset: a visit with no turns."""

    mode: str  # "counter" | "kiosk"


# --------------------------------------------------------------------- turn
@dataclass(frozen=True)
class TurnEvent(Event):
    turn_id: str
    elapsed_s: float


@dataclass(frozen=True)
class TurnStarted(TurnEvent):
    session_id: str
    side: Side
    source_language: str
    target_language: str
    input_kind: InputKind


@dataclass(frozen=True)
class Listening(TurnEvent):
    pass


@dataclass(frozen=True)
class AudioLevel(TurnEvent):
    level: float  # 0..1 RMS-based, for the level meter


@dataclass(frozen=True)
class PartialText(TurnEvent):
    text: str


@dataclass(frozen=True)
class FinalText(TurnEvent):
    text: str
    confidence: float  # 1.0 for typed text
    duration_s: float  # end of speech → final text (0 for typed)


@dataclass(frozen=True)
class PhraseMatched(TurnEvent):
    entry_id: str
    similarity: float  # 0..100


@dataclass(frozen=True)
class TranslationReady(TurnEvent):
    text: str
    route: tuple[str, ...]
    score: float
    verified: bool  # from the phrasebook, not machine translation
    sure: bool  # passed the quality gate
    reasons: tuple[str, ...]  # why not sure: "low_stt_confidence", "low_mt_score", "glossary_term_missing", "pivoted"
    glossary_ids: tuple[str, ...]  # glossary cards to show beside the result
    duration_s: float


@dataclass(frozen=True)
class BackTranslationReady(TurnEvent):
    text: str
    duration_s: float


@dataclass(frozen=True)
class SpeechStarted(TurnEvent):
    language: str
    duration_s: float  # translation ready → audio starts


@dataclass(frozen=True)
class SpeechFinished(TurnEvent):
    duration_s: float


@dataclass(frozen=True)
class TurnFinished(TurnEvent):
    pass


@dataclass(frozen=True)
class TurnFailed(TurnEvent):
    code: str
    message: str
    stage: Literal["listen", "recognise", "translate", "speak", "internal"]


Observer = Callable[[Event], None]


class Recorder:
    """An observer that keeps every event (tests and benchmarks)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def types(self) -> list[str]:
        return [e.type for e in self.events]


class _FanOut:
    def __init__(self, observers: tuple[Observer, ...]) -> None:
        self.observers = observers

    def __call__(self, event: Event) -> None:
        for obs in self.observers:
            try:
                obs(event)
            except Exception:  # noqa: BLE001 - an observer must not kill the pipeline (the one place this is caught)
                _LOGGER.exception("observer failed on %s", event.type)


def fan_out(*observers: Observer) -> Observer:
    """One observer that forwards to many; a failing observer never breaks the turn or the others.

    Nested fan-outs are flattened, so wrapping an observer that is already one costs nothing.
    """
    flat: list[Observer] = []
    for obs in observers:
        flat.extend(obs.observers if isinstance(obs, _FanOut) else (obs,))
    return _FanOut(tuple(flat))
