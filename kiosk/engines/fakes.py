"""Small recording fakes for pipeline and UI tests (never used by the real app)."""

from __future__ import annotations

import threading
import wave
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path

from kiosk.engines.base import SAMPLE_RATE, SentenceResult, SpeechAudio, Transcript, Translation, Word
from kiosk.errors import KioskError


class FakeStream:
    def __init__(self, stt: FakeSpeechToText, language: str) -> None:
        self.stt, self.language, self.received = stt, language, 0

    def accept(self, pcm: bytes) -> str:
        self.received += len(pcm)
        text = self.stt.next_text(self.language)
        words = text.split()
        return " ".join(words[: max(1, len(words) // 2)]) if self.received > 0 and words else ""

    def finish(self) -> Transcript:
        text = self.stt.next_text(self.language) if self.received else ""
        conf = self.stt.confidence if text else 0.0
        words = tuple(Word(w, conf, 0.0, 0.0) for w in text.split())
        self.stt.used.append(self.language)
        return Transcript(self.language, text, conf, words)


class FakeSpeechToText:
    """Answers every utterance in a language with ``texts[language]``."""

    def __init__(self, texts: dict[str, str], confidence: float = 0.9) -> None:
        self.texts, self.confidence = dict(texts), confidence
        self.used: list[str] = []
        self.preloaded: list[str] = []

    def next_text(self, language: str) -> str:
        if language not in self.texts:
            raise KioskError("stt.missing_model", f"No speech-recognition model for {language}.")
        return self.texts[language]

    def languages(self) -> list[str]:
        return list(self.texts)

    def preload(self, language: str) -> None:
        self.next_text(language)
        self.preloaded.append(language)

    def open_stream(self, language: str, phrases: Sequence[str] | None = None) -> FakeStream:
        self.next_text(language)
        return FakeStream(self, language)

    def transcribe_file(self, path, language, phrases=None) -> Transcript:
        s = self.open_stream(language, phrases)
        s.accept(Path(path).read_bytes() if Path(path).exists() else b"\0\0")
        return s.finish()


class FakeTranslator:
    """Translates from a table ``{(src, tgt): {text: translation}}``; unknown text → "[tgt] text"."""

    def __init__(self, table: dict[tuple[str, str], dict[str, str]] | None = None,
                 pairs: set[tuple[str, str]] | None = None, score: float = -0.3) -> None:
        self.table = table or {}
        self.pairs = pairs if pairs is not None else {(a, b) for a, b in self.table}
        self.score = score
        self.calls: list[tuple[str, str, str]] = []
        self.warmed: list[tuple[str, ...]] = []

    def direct_pairs(self) -> set[tuple[str, str]]:
        return set(self.pairs)

    def route(self, source: str, target: str) -> tuple[str, ...]:
        if source == target:
            return (source,)
        if (source, target) in self.pairs:
            return (source, target)
        if (source, "en") in self.pairs and ("en", target) in self.pairs:
            return (source, "en", target)
        raise KioskError("mt.missing_direction", f"No translation pack for {source}→{target}.")

    def warm_up(self, source: str, target: str) -> tuple[str, ...]:
        route = self.route(source, target)
        self.warmed.append(route)
        return route

    def translate(self, text: str, source: str, target: str) -> Translation:
        route = self.route(source, target)
        self.calls.append((text, source, target))
        out = text
        for a, b in pairwise(route):
            out = self.table.get((a, b), {}).get(out, f"[{b}] {out}")
        return Translation(source, target, out, route, (SentenceResult(text, out, self.score),))


class FakeTextToSpeech:
    """Records what it says.  ``synthesis()`` stands for the work before the audio starts (a test passes
    ``lambda: clock.advance(0.3)`` for a voice that takes 300 ms)."""

    def __init__(self, languages: Sequence[str] = ("ja", "en", "vi", "zh", "ko"),
                 synthesis: Callable[[], None] | None = None) -> None:
        self._languages = list(languages)
        self.synthesis = synthesis
        self.spoken: list[tuple[str, str]] = []
        self.preloaded: list[list[str] | None] = []
        self.stopped = threading.Event()

    def languages(self) -> list[str]:
        return list(self._languages)

    def preload(self, languages: list[str] | None = None) -> None:
        self.preloaded.append(languages)

    def _check(self, language: str) -> None:
        if language not in self._languages:
            raise KioskError("tts.missing_voice", f"No voice for {language}.")

    def synthesize(self, text: str, language: str, out_path) -> SpeechAudio:
        self._check(language)
        with wave.open(str(out_path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(b"\0\0" * (SAMPLE_RATE // 10))  # 0.1 s of silence
        self.spoken.append((language, text))
        return SpeechAudio(Path(out_path), 0.1, SAMPLE_RATE)

    def speak(self, text: str, language: str, on_start: Callable[[], None] | None = None) -> None:
        self._check(language)
        if self.synthesis is not None:
            self.synthesis()
        self.spoken.append((language, text))
        if on_start is not None:
            on_start()

    def stop(self) -> None:
        self.stopped.set()
