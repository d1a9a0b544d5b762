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
    from kiosk.packs import registry

    stt = VoskSpeechToText(registry.stt_model_dirs(settings))
    translator = ArgosTranslator(
        registry.mt_pack_dirs(settings),
        inter_threads=settings.mt_inter_threads,
        intra_threads=settings.mt_intra_threads,
        compute_type=settings.mt_compute_type,
        beam_size=settings.mt_beam_size,
        cache_dir=settings.cache_dir,
    )
    tts = Pyttsx3TextToSpeech(rate=settings.tts_rate, volume=settings.tts_volume)
    return Engines(stt, translator, tts)
