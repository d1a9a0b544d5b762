"""Frozen dataclass events, sent to one observer (UI, stats and benchmarks observe).

A turn emits, in this order (brackets: only for some turns):

    TurnStarted → [Listening → (AudioLevel | PartialText)* ]  (speech input only)
    → FinalText → [PhraseMatched] → TranslationReady
    → [SpeechStarted] → BackTranslationReady → [SpeechFinished] → TurnFinished

or ``TurnFailed`` (with a stable error code) at any point after TurnStarted,
after which nothing else is emitted for that turn.  SpeechStarted comes once the
audio starts (synthesis done), before the back-translation, which is computed
while the audio plays; there is no SpeechStarted / SpeechFinished when speech
output is off, and no SpeechStarted when the voice failed before any audio.
``elapsed_s`` on every event is seconds since the turn started; ``duration_s`` is
the stage's own duration.  The pipeline's ``Conversation`` emits SessionStarted /
Feedback / SessionEnded when the session controller asks; ``VisitAbandoned`` comes
from the session controller (kiosk.session).

Text fields carry what a visitor said; observers must never persist them
(stats records counts only).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeGuard

_LOGGER = logging.getLogger(__name__)

Side = Literal["staff", "visitor"]
SIDES: tuple[Side, ...] = ("staff", "visitor")
InputKind = Literal["speech", "typed", "phrasebook"]
Stage = Literal["listen", "recognise", "translate", "speak", "internal"]  # where a turn failed
EndReason = Literal["finished", "idle_reset", "app_closed"]
Outcome = Literal["understood", "say_again"]


def is_side(value: str) -> TypeGuard[Side]:
    return value in SIDES


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
    outcome: Outcome


@dataclass(frozen=True)
class SessionEnded(Event):
    session_id: str
    reason: EndReason = "finished"


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
    reasons: tuple[str, ...]  # why not sure: "low_stt_confidence", "low_mt_score", "glossary_term_missing"
    glossary_ids: tuple[str, ...]  # glossary cards to show beside the result
    duration_s: float


@dataclass(frozen=True)
class BackTranslationReady(TurnEvent):
    text: str
    duration_s: float


@dataclass(frozen=True)
class SpeechStarted(TurnEvent):
    language: str
    duration_s: float  # translation ready → audio starts (speech synthesis)


@dataclass(frozen=True)
class SpeechFinished(TurnEvent):
    duration_s: float  # the whole speech output: synthesis and playback


@dataclass(frozen=True)
class TurnFinished(TurnEvent):
    pass


@dataclass(frozen=True)
class TurnFailed(TurnEvent):
    code: str
    message: str
    stage: Stage


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
