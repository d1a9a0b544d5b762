"""The staff screen's decisions: settings edits (steppers, choices, language toggles) and the packs overview."""

from __future__ import annotations

import os
import re
from pathlib import Path
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


MEDIA_ROOTS = ("/media", "/mnt", "/run/media")


def _unescape_mount(field: str) -> str:
    """/proc/mounts writes a space as \\040 (and tab, newline, backslash likewise)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def removable_mounts(roots=MEDIA_ROOTS, mounts_text: str | None = None) -> list[Path]:
    """Folders a USB stick or disk is likely mounted at: mount points listed in ``mounts_text``
    (the text of /proc/mounts) under ``roots``, and folders under ``roots`` (one or two levels:
    /media/usb, /media/<user>/<label>, /run/media/<user>/<label>) that hold anything."""
    roots = [Path(r) for r in roots]
    found: list[Path] = []
    for line in (mounts_text or "").splitlines():
        parts = line.split()
        if len(parts) > 1:
            point = Path(_unescape_mount(parts[1]))
            if any(point != r and r in point.parents for r in roots) and point.is_dir():
                found.append(point)
    for root in roots:
        for child in _dirs(root):
            if os.path.ismount(child) or _holds_files(child):
                found.append(child)
            else:  # /media/<user>/<label>
                found += [grand for grand in _dirs(child) if os.path.ismount(grand) or any(grand.iterdir())]
    return sorted(dict.fromkeys(found))


def _dirs(path: Path) -> list[Path]:
    try:
        return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def _holds_files(path: Path) -> bool:
    try:
        return any(not p.is_dir() for p in path.iterdir())
    except OSError:
        return False


def pack_error_text(code: str | None, source: str, t) -> str:
    """A pack failure in the staff language: the file's name, then what to do (by error code)."""
    key = "error_" + (code or "generic").replace(".", "_")
    text = t(key)
    return f"{source}: {t('error_generic') if text == key else text}"
