"""Build the real engines from settings, lazily (nothing loads until first use)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from kiosk import languages as _languages
from kiosk.config import Settings
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.base import (
    PreloadsSpeechModel,
    PreloadsVoices,
    SpeechToText,
    TextToSpeech,
    Translator,
    WarmsUpRoute,
)
from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech
from kiosk.engines.stt_choice import VOSK, WHISPER, stt_plan
from kiosk.engines.vosk_stt import VoskSpeechToText
from kiosk.engines.whisper_model import BASE_PACK_ID
from kiosk.engines.whisper_stt import WhisperSpeechToText
from kiosk.errors import KioskError
from kiosk.packs.registry import stt_model_dirs, whisper_packs

_LOGGER = logging.getLogger(__name__)


@dataclass
class Engines:
    stt: SpeechToText
    translator: Translator
    tts: TextToSpeech


def build_engines(settings: Settings) -> Engines:
    """Real adapters over the installed packs.  Cheap: models load on first use."""
    stt = build_stt(settings)
    translator = ArgosTranslator.from_settings(settings)
    tts = Pyttsx3TextToSpeech.from_settings(settings)
    return Engines(stt, translator, tts)


class RoutedSpeechToText:
    """The ``SpeechToText`` of the kiosk: each language goes to the engine chosen for it
    (``kiosk.engines.stt_choice``); one Whisper model serves all the languages routed to it."""

    def __init__(self, routes: dict[str, Any], labels: dict[str, str] | None = None) -> None:
        self.routes = routes
        self.labels = labels or {}

    def languages(self) -> list[str]:
        return [code for code in _languages.CODES if code in self.routes]

    def engine_for(self, language: str):
        lang = _languages.get(language)
        engine = self.routes.get(language)
        if engine is None:
            raise KioskError(
                "stt.missing_model",
                f"No speech-recognition model is installed for {lang.english_name} ({language}). "
                "Install one with: kiosk packs install PATH",
            )
        return engine

    def label(self, language: str) -> str:
        """Which engine and model hears this language, e.g. "Whisper faster-whisper-base (PyPI)"."""
        return self.labels.get(language, "missing")

    def is_loaded(self, language: str) -> bool:
        """True once the model hearing ``language`` is loaded (Whisper; Vosk does not say)."""
        engine = self.routes.get(language)
        return bool(engine is not None and getattr(engine, "is_loaded", lambda _lang: False)(language))

    def preload(self, language: str) -> None:
        self.engine_for(language).preload(language)

    def open_stream(self, language: str, phrases: Sequence[str] | None = None):
        return self.engine_for(language).open_stream(language, phrases)

    def transcribe_file(self, path: str | Path, language: str, phrases: Sequence[str] | None = None):
        return self.engine_for(language).transcribe_file(path, language, phrases)

    def detector(self):
        """The Whisper engine used for "just speak" language detection (None without Whisper)."""
        return next((e for e in self.routes.values() if isinstance(e, WhisperSpeechToText)), None)


def build_stt(settings: Settings) -> RoutedSpeechToText:
    """One adapter per engine in use, each language routed by ``stt_plan`` (cheap: nothing loads)."""
    plan = stt_plan(settings)
    vosk_langs = [c for c, ch in plan.items() if ch.engine == VOSK]
    vosk = VoskSpeechToText({c: p for c, p in stt_model_dirs(settings).items() if c in vosk_langs})
    whisper_dirs = {p.id: p.path for p in whisper_packs(settings)}
    by_model: dict[str, list[str]] = {}
    for code, ch in plan.items():
        if ch.engine == WHISPER and ch.model_id is not None:
            by_model.setdefault(ch.model_id, []).append(code)
    routes: dict[str, Any] = {code: vosk for code in vosk_langs}
    for model_id, codes in by_model.items():
        if model_id == BASE_PACK_ID:
            engine = WhisperSpeechToText(data_dir=settings.data_dir, serves=codes)
        else:
            engine = WhisperSpeechToText(whisper_dirs[model_id], model_id=model_id, serves=codes)
        routes.update({code: engine for code in codes})
    return RoutedSpeechToText(routes, {code: ch.label for code, ch in plan.items()})


@dataclass(frozen=True)
class WarmUpStep:
    kind: str  # "stt" | "mt" | "tts"
    what: str  # a language ("ko"), a direction ("ko→ja") or the languages ("ko,ja")
    outcome: str  # "loaded", the KioskError code that skipped it, or "failed"


def warm_up(engines: Engines, languages: list[str]) -> list[WarmUpStep]:
    """Load the models a conversation among ``languages`` will need (call off the UI thread).

    Missing models or packs are skipped here (the turn itself reports them with
    their error code) and nothing is raised: warming up must never break the app.
    Engines without a preload/warm_up method (e.g. the fakes' speech engines) are
    left alone.  Returns what was tried and how it went.
    """
    langs = list(dict.fromkeys(languages))
    stt, translator, tts = engines.stt, engines.translator, engines.tts
    jobs: list[tuple[str, str, Callable[[], object]]] = []
    if isinstance(stt, PreloadsSpeechModel):
        available = stt.languages()
        jobs += [("stt", lang, partial(stt.preload, lang)) for lang in langs if lang in available]
    if isinstance(translator, WarmsUpRoute):
        jobs += [("mt", f"{a}→{b}", partial(translator.warm_up, a, b)) for a in langs for b in langs if a != b]
    if isinstance(tts, PreloadsVoices):
        jobs.append(("tts", ",".join(langs), partial(tts.preload, langs)))
    steps = []
    for kind, what, job in jobs:
        try:
            job()
            outcome = "loaded"
        except KioskError as exc:
            _LOGGER.info("warm-up %s skipped: %s", kind, exc.code)
            outcome = exc.code
        except Exception:  # noqa: BLE001 - warming up must never break the app
            _LOGGER.warning("warm-up %s failed", kind, exc_info=True)
            outcome = "failed"
        steps.append(WarmUpStep(kind, what, outcome))
    return steps
