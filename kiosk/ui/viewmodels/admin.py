"""The staff screen's decisions: settings edits (steppers, choices, language toggles) and the packs overview."""

from __future__ import annotations

from typing import NamedTuple

from kiosk.config import Settings, validate_settings  # the same checks load_settings applies
from kiosk.engines.base import TextToSpeech
from kiosk.languages import CODES
from kiosk.packs.coverage import Coverage, coverage, espeak_languages
from kiosk.packs.registry import InstalledPack, installed

# name -> (min, max, step)
STEPS: dict[str, tuple[float, float, float]] = {
    "idle_timeout_s": (10, 600, 10),
    "idle_warning_s": (20, 120, 5),
    "min_stt_confidence": (0.0, 1.0, 0.05),
    "min_mt_score": (-5.0, 0.0, 0.25),
    "tts_rate": (80, 250, 10),
    "tts_volume": (0.1, 1.0, 0.1),
    "text_scale": (0.8, 1.6, 0.1),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "mode": ("counter", "kiosk"),
    "layout": ("face_to_face", "side_by_side"),
    "ptt_mode": ("hold", "tap", "both"),
    "staff_language": CODES,
}


def step(settings, name: str, direction: int):
    lo, hi, size = STEPS[name]
    value = getattr(settings, name) + direction * size
    value = min(hi, max(lo, value))
    value = int(round(value)) if isinstance(getattr(settings, name), int) else round(value, 2)
    return validate_settings(settings.replace(**{name: value}))


def choose(settings, name: str, value: str):
    if value not in CHOICES[name]:
        raise ValueError(value)
    return validate_settings(settings.replace(**{name: value}))


def visitor_languages(settings) -> list[str]:
    """The languages offered to visitors: the chosen ones, never the staff language."""
    return [c for c in settings.languages if c != settings.staff_language] or \
        [c for c in CODES if c != settings.staff_language]


def toggle_language(settings, code: str):
    """Offer or stop offering a visitor language (at least one besides the staff language stays)."""
    langs = [c for c in CODES if (c in settings.languages) != (c == code)]
    if not [c for c in langs if c != settings.staff_language]:
        return settings
    return validate_settings(settings.replace(languages=tuple(langs)))


def toggle(settings, name: str):
    return settings.replace(**{name: not getattr(settings, name)})


class PackOverview(NamedTuple):
    installed: list[InstalledPack]
    coverage: Coverage  # all five languages, whatever the settings offer


def pack_overview(settings: Settings, tts: TextToSpeech | None) -> PackOverview:
    """Installed packs and what they cover (reads pack folders: call it off the UI thread).

    Speech-output voices come from the running engine ``tts``; before the engines are
    built (``None``), from espeak-ng's own voice list.
    """
    packs = installed(settings)
    voices = tts.languages() if tts is not None else espeak_languages()
    return PackOverview(packs, coverage(packs, voices))
