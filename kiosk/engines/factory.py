"""Build the real engines from settings, lazily (nothing loads until first use)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from kiosk.config import Settings
from kiosk.engines.base import (
    PreloadsSpeechModel,
    PreloadsVoices,
    SpeechToText,
    TextToSpeech,
    Translator,
    WarmsUpRoute,
)
from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)


@dataclass
class Engines:
    stt: SpeechToText
    translator: Translator
    tts: TextToSpeech


def build_engines(settings: Settings) -> Engines:
    """Real adapters over the installed packs.  Cheap: models load on first use."""
    from kiosk.engines.argos_mt import ArgosTranslator
    from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech
    from kiosk.engines.vosk_stt import VoskSpeechToText

    stt = VoskSpeechToText.from_settings(settings)
    translator = ArgosTranslator.from_settings(settings)
    tts = Pyttsx3TextToSpeech.from_settings(settings)
    return Engines(stt, translator, tts)


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
