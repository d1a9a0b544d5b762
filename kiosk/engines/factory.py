"""Build the real engines from settings, lazily (nothing loads until first use)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.config import Settings


@dataclass
class Engines:
    stt: Any  # SpeechToText
    translator: Any  # Translator
    tts: Any  # TextToSpeech


def build_engines(settings: Settings) -> Engines:
    """Real adapters over the installed packs.  Cheap: models load on first use."""
    from kiosk.engines.argos_mt import ArgosTranslator
    from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech
    from kiosk.engines.vosk_stt import VoskSpeechToText

    stt = VoskSpeechToText.from_settings(settings)
    translator = ArgosTranslator.from_settings(settings)
    tts = Pyttsx3TextToSpeech.from_settings(settings)
    return Engines(stt, translator, tts)


def warm_up(engines: Engines, languages: list[str]) -> None:
    """Load the models a conversation among ``languages`` will need (call off the UI thread).

    Missing models or packs are skipped silently here: the turn itself reports
    them with their error code.  Fakes without preload/warm_up are fine.
    """
    import logging

    from kiosk.errors import KioskError

    log = logging.getLogger(__name__)
    langs = list(dict.fromkeys(languages))
    jobs = []
    for lang in langs:
        if lang in getattr(engines.stt, "languages", lambda: [])() and hasattr(engines.stt, "preload"):
            jobs.append(("stt", lambda lang=lang: engines.stt.preload(lang)))
    for a in langs:
        for b in langs:
            if a != b and hasattr(engines.translator, "warm_up"):
                jobs.append(("mt", lambda a=a, b=b: engines.translator.warm_up(a, b)))
    if hasattr(engines.tts, "preload"):
        jobs.append(("tts", lambda: engines.tts.preload(langs)))
    for kind, job in jobs:
        try:
            job()
        except KioskError as exc:
            log.info("warm-up %s skipped: %s", kind, exc.code)
        except Exception:  # noqa: BLE001 - warming up must never break the app
            log.warning("warm-up %s failed", kind)
