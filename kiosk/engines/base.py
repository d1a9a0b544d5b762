"""Protocols and result dataclasses for the three engines.

Real adapters: ``vosk_stt.VoskSpeechToText``, ``argos_mt.ArgosTranslator``,
``pyttsx3_tts.Pyttsx3TextToSpeech``.  Fakes for logic tests: ``fakes.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

SAMPLE_RATE = 16000  # Hz, mono, 16-bit signed little-endian PCM everywhere inside


# --------------------------------------------------------------- speech to text
@dataclass(frozen=True)
class Word:
    text: str
    confidence: float
    start: float  # seconds
    end: float


@dataclass(frozen=True)
class Transcript:
    language: str
    text: str  # "" when nothing was heard
    confidence: float  # mean word confidence, 0..1 (0 when nothing heard)
    words: tuple[Word, ...] = ()

    @property
    def heard(self) -> bool:
        return bool(self.text.strip())


class RecognitionStream(Protocol):
    """One utterance being recognised; feed PCM chunks, then finish."""

    def accept(self, pcm: bytes) -> str:
        """Feed 16 kHz mono int16 PCM; return the current partial text ("" if none)."""

    def finish(self) -> Transcript:
        """End of speech: the final transcript."""


@runtime_checkable
class SpeechToText(Protocol):
    def languages(self) -> list[str]:
        """Languages with a usable model."""

    def open_stream(self, language: str, phrases: Sequence[str] | None = None) -> RecognitionStream:
        """Start recognising one utterance (phrases bias recognition where supported)."""

    def transcribe_file(self, path: str | Path, language: str, phrases: Sequence[str] | None = None) -> Transcript:
        """Validate/convert a WAV file and recognise it whole."""


# ----------------------------------------------------------------- translation
@dataclass(frozen=True)
class SentenceResult:
    source: str
    text: str
    score: float  # CTranslate2 score: mean log-prob per token (<= 0); pivot: sum of hops' scores


@dataclass(frozen=True)
class Translation:
    source_language: str
    target_language: str
    text: str
    route: tuple[str, ...]  # ("ko", "ja") direct, ("ko", "en", "ja") via English
    sentences: tuple[SentenceResult, ...] = ()

    @property
    def score(self) -> float:
        """The weakest sentence's score (the quality gate looks at the worst part)."""
        return min((s.score for s in self.sentences), default=0.0)

    @property
    def pivoted(self) -> bool:
        return len(self.route) > 2


@runtime_checkable
class Translator(Protocol):
    def direct_pairs(self) -> set[tuple[str, str]]:
        """Directions with an installed direct pack."""

    def route(self, source: str, target: str) -> tuple[str, ...]:
        """The route used for source→target, or raise KioskError('mt.missing_direction')."""

    def translate(self, text: str, source: str, target: str) -> Translation:
        """Translate text; same-language input is returned unchanged with route (source,)."""


# ---------------------------------------------------------------- speech output
@dataclass(frozen=True)
class SpeechAudio:
    path: Path
    duration_s: float
    sample_rate: int


@runtime_checkable
class TextToSpeech(Protocol):
    def languages(self) -> list[str]:
        """Languages with a usable voice."""

    def synthesize(self, text: str, language: str, out_path: str | Path) -> SpeechAudio:
        """Write speech to a WAV file."""

    def speak(self, text: str, language: str, on_start: Callable[[], None] | None = None) -> None:
        """Speak on the audio device; returns when done (or stop() was called).

        ``on_start()`` is called once, when the audio is synthesized and starts playing (the
        pipeline measures synthesis with it); not called if nothing is played."""

    def stop(self) -> None:
        """Interrupt speak() from another thread."""


# ------------------------------------------------------- optional: warm-up
# An engine may load its models before the first turn (``factory.warm_up``); fakes need not.
@runtime_checkable
class PreloadsSpeechModel(Protocol):
    def preload(self, language: str) -> None:
        """Load the speech-recognition model for ``language`` now."""


@runtime_checkable
class WarmsUpRoute(Protocol):
    def warm_up(self, source: str, target: str) -> tuple[str, ...]:
        """Load the models on the source→target route now; return the route."""


@runtime_checkable
class PreloadsVoices(Protocol):
    def preload(self, languages: list[str] | None = None) -> None:
        """Start the speech-output engine (and helpers such as the kana converter) for ``languages``."""


def chunks(pcm: bytes, size: int = 8000) -> Iterable[bytes]:
    """Split PCM bytes into chunks (default 0.25 s at 16 kHz int16)."""
    for i in range(0, len(pcm), size):
        yield pcm[i : i + size]
