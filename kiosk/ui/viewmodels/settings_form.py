"""The staff Settings tab as data (no Kivy): which row shows which setting, how a value is said
in words (thresholds as a level, not 0.6 or −1.5), and whether there are unsaved changes.

``t(key, **fields)`` is the staff-language string lookup of the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.config import Settings, validate_settings
from kiosk.ui.viewmodels import admin

T = Callable[..., str]

# settings kept in settings.toml only, and why (every other setting has a row)
FILE_ONLY = {
    "data_dir": "where everything is kept: chosen when the kiosk is installed",
    "admin_pin_hash": "changed with the Change PIN button",
    "mt_inter_threads": "translation engine tuning (benchmarks/)",
    "mt_intra_threads": "translation engine tuning (benchmarks/)",
    "mt_beam_size": "translation engine tuning (benchmarks/)",
    "mt_compute_type": "translation engine tuning (benchmarks/)",
    "mt_route_pins": "chosen per direction with kiosk packs (route choices)",
    "stt_engines": "speech recognition engine per language (Vosk or Whisper; see kiosk bench)",
    "bench_text_p95_s": "targets of kiosk bench",
    "bench_speech_start_s": "targets of kiosk bench",
    "bench_peak_rss_mb": "targets of kiosk bench",
    "bench_startup_s": "targets of kiosk bench",
    "bench_max_cer": "targets of kiosk bench",
}

# extra steppers (admin.STEPS has the others): counter-mode wipe timer and statistics
STEPS = {
    **admin.STEPS,
    "counter_idle_timeout_s": (0, 3600, 60),
    "stats_retention_months": (0, 120, 6),
    "stats_suppress_below": (0, 20, 1),
}
THRESHOLDS = ("min_stt_confidence", "min_mt_score")  # higher = "not sure" shown more often


@dataclass(frozen=True)
class Row:
    name: str
    kind: str  # "choice" | "languages" | "step" | "toggle"


ROWS = (
    Row("mode", "choice"), Row("staff_language", "choice"), Row("languages", "languages"),
    Row("layout", "choice"), Row("ptt_mode", "choice"), Row("text_scale", "step"),
    Row("idle_timeout_s", "step"), Row("idle_warning_s", "step"), Row("counter_idle_timeout_s", "step"),
    Row("min_stt_confidence", "step"), Row("min_mt_score", "step"),
    Row("tts_rate", "step"), Row("tts_volume", "step"),
    Row("easy_japanese", "toggle"), Row("mt_protect_terms", "toggle"), Row("fullscreen", "toggle"),
    Row("stats_enabled", "toggle"), Row("stats_retention_months", "step"), Row("stats_suppress_below", "step"),
)


def step(settings: Settings, name: str, direction: int) -> Settings:
    """One step up or down; the counter-mode wipe timer goes 0 (off) ↔ 60 s and on in minutes."""
    if name in admin.STEPS:
        return admin.step(settings, name, direction)
    lo, hi, size = STEPS[name]
    value = min(hi, max(lo, getattr(settings, name) + direction * size))
    return validate_settings(settings.replace(**{name: int(value)}))


# upper bounds of levels 1–4 (above the last: 5); the defaults (0.6, −1.5) are level 3, "normal"
BANDS = {"min_stt_confidence": (0.3, 0.5, 0.7, 0.85), "min_mt_score": (-3.0, -2.0, -1.0, -0.5)}


def level(name: str, value: float) -> int:
    """A threshold as a level from 1 (lenient: "not sure" rarely shown) to 5 (strict)."""
    return 1 + sum(value > bound + 1e-9 for bound in BANDS[name])


def value_text(name: str, value, t: T) -> str:
    """A setting's value in words, in the staff language."""
    if name in THRESHOLDS:
        n = level(name, value)
        word = "level_lenient" if n <= 2 else "level_normal" if n == 3 else "level_strict"
        return t(word) + "  " + "●" * n + "○" * (5 - n)
    if name in ("idle_timeout_s", "idle_warning_s"):
        return t("value_seconds", n=value)
    if name == "counter_idle_timeout_s":
        return t("opt_never") if not value else t("value_minutes", n=value // 60)
    if name in ("text_scale", "tts_volume"):
        return f"{round(value * 100)}%"
    if name == "tts_rate":
        return t("value_rate", n=value)
    if name == "stats_retention_months":
        return t("value_keep_all") if not value else t("value_months", n=value)
    if name == "stats_suppress_below":
        return t("opt_off") if not value else t("value_suppress", n=value)
    return str(value)


def help_text(name: str, t: T) -> str:
    """One line under a row explaining what the setting does ("" when the name says it all)."""
    key = "help_" + name
    text = t(key)
    return "" if text == key else text


def unsaved(draft: Settings, saved: Settings) -> bool:
    return draft != saved
