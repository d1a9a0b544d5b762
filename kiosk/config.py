"""One ``Settings`` object, built from ``settings.toml`` in the data dir and the
environment, and passed down.  No module globals, nothing created at import.

Precedence (highest first): explicit overrides (e.g. ``--data-dir``),
environment variables ``KIOSK_<FIELD>`` (e.g. ``KIOSK_DATA_DIR``,
``KIOSK_IDLE_TIMEOUT_S``), ``<data_dir>/settings.toml``, defaults.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from kiosk.errors import KioskError
from kiosk.languages import LANGUAGES
from kiosk.packs.routes import pins_from_settings

APP_NAME = "kiosk"
SETTINGS_FILE = "settings.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)

    # translation (CTranslate2)
    mt_inter_threads: int = 1
    mt_intra_threads: int = 2
    mt_beam_size: int = 2
    mt_compute_type: str = "int8"
    mt_route_pins: tuple[str, ...] = ()  # staff route choices: "ja-en=opus-mt-ja-en", "ko-ja=via-en", "ko-ja=direct"
    mt_protect_terms: bool = True  # carry agreed glossary terms through machine translation

    # quality gate: below these the result is shown as "not sure"
    min_stt_confidence: float = 0.6

    # speech recognition: per-language engine overrides, e.g. ("ko=whisper",); see kiosk.engines.stt_choice
    stt_engines: tuple[str, ...] = ()
    min_mt_score: float = -1.5  # mean log-prob per token, per sentence

    # speech output
    tts_rate: int = 150  # words per minute
    tts_volume: float = 1.0

    # the app
    mode: str = "counter"  # "counter" | "kiosk"
    languages: tuple[str, ...] = ("ja", "en", "vi", "zh", "ko")
    staff_language: str = "ja"
    layout: str = "face_to_face"  # "face_to_face" | "side_by_side"
    ptt_mode: str = "both"  # "hold" | "tap" | "both"
    idle_timeout_s: int = 90
    idle_warning_s: int = 30  # >= 20 s to respond (WCAG 2.2.1)
    counter_idle_timeout_s: int = 600  # counter mode: wipe a forgotten conversation (0 = never)
    text_scale: float = 1.0
    easy_japanese: bool = False
    fullscreen: bool = False
    admin_pin_hash: str = ""  # only read from older settings.toml files: moved once into admin-pin.json (kiosk.pin)

    # `kiosk bench` targets (pass / fail per line)
    bench_text_p95_s: float = 1.0  # end of speech → translated text, p95
    bench_speech_start_s: float = 0.3  # translated text → audio ready, p95
    bench_peak_rss_mb: int = 1536  # peak memory with two languages loaded
    bench_startup_s: float = 3.0  # start-up → engines and content ready
    bench_max_cer: float = 0.5  # speech recognition character error rate on the bundled clips

    # statistics
    stats_enabled: bool = True
    stats_retention_months: int = 24
    stats_suppress_below: int = 5  # counts < this are suppressed in exports (0 = off)

    # paths derived from data_dir
    @property
    def packs_dir(self) -> Path:
        return self.data_dir / "packs"

    @property
    def stats_db_path(self) -> Path:
        return self.data_dir / "stats.sqlite3"

    @property
    def settings_path(self) -> Path:
        return self.data_dir / SETTINGS_FILE

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: _coerce(k, v) for k, v in changes.items()})

    def to_toml_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("data_dir", "admin_pin_hash"):  # the PIN hash lives in the 0600 admin-pin.json
                continue
            v = getattr(self, f.name)
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out


_FIELD_TYPES = {f.name: f for f in fields(Settings)}


# name -> (lowest, highest, note): every numeric setting, checked in one place (``check_ranges``)
RANGES: dict[str, tuple[float, float, str]] = {
    "mt_inter_threads": (1, 16, ""),
    "mt_intra_threads": (0, 64, " (0 = all cores)"),
    "mt_beam_size": (1, 16, ""),
    "min_stt_confidence": (0.0, 1.0, ""),
    "min_mt_score": (-20.0, 0.0, ""),
    "tts_rate": (50, 400, " words per minute"),
    "tts_volume": (0.0, 1.0, ""),
    "idle_timeout_s": (10, 86400, " seconds"),
    "idle_warning_s": (20, 600, " seconds (at least 20 s to respond: WCAG 2.2.1)"),
    "counter_idle_timeout_s": (60, 86400, " seconds, or 0 (off)"),
    "text_scale": (0.5, 3.0, ""),
    "stats_retention_months": (0, 1200, " (0 = keep everything)"),
    "stats_suppress_below": (0, 1000, " (0 = off)"),
    "bench_text_p95_s": (0.05, 60.0, " seconds"),
    "bench_speech_start_s": (0.01, 60.0, " seconds"),
    "bench_peak_rss_mb": (64, 65536, " MB"),
    "bench_startup_s": (0.1, 600.0, " seconds"),
    "bench_max_cer": (0.0, 1.0, ""),
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _coerce(name: str, value: Any, where: str = "") -> Any:
    f = _FIELD_TYPES.get(name)
    if f is None:
        raise KioskError("config.invalid", f"{where}: unknown setting {name!r}." if where else "Unknown setting "
                                                                                               f"{name!r}.")
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if name == "data_dir":
            return Path(value).expanduser()
        if kind.startswith("tuple"):
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            return tuple(str(v) for v in value)
        if kind == "bool":
            if isinstance(value, str):
                low = value.strip().lower()
                if low in ("1", "true", "yes", "on"):
                    return True
                if low in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        if not isinstance(value, str):
            raise TypeError(value)
        return value
    except (TypeError, ValueError, OverflowError):
        if where:
            raise KioskError("config.invalid", f"{where}: {name} = {_shown(value)} has a bad value; expected "
                                               f"{kind}.") from None
        raise KioskError(
            "config.invalid", f"Setting {name!r} has a bad value; expected {kind}."
        ) from None


def check_ranges(s: Settings, origins: Mapping[str, str] | None = None) -> None:
    """Every numeric setting finite and within ``RANGES``; the error names where the value came from."""
    for name, (lo, hi, note) in RANGES.items():
        value = getattr(s, name)
        if name == "counter_idle_timeout_s" and value == 0:
            continue
        if isinstance(value, float) and not math.isfinite(value) or not lo <= value <= hi:
            where = (origins or {}).get(name, "settings")
            raise KioskError("config.invalid",
                             f"{where}: {name} = {_shown(value)} is out of range; use a number from {lo} to "
                             f"{hi}{note}.")


def validate_settings(s: Settings, origins: Mapping[str, str] | None = None) -> Settings:
    """Check every value (ranges, choices, the five languages); return ``s`` unchanged.

    ``origins`` names where each value came from (file or environment variable) for the error message.
    """
    bad = [c for c in s.languages if c not in LANGUAGES]
    if bad or not s.languages:
        raise KioskError("config.invalid", f"Setting 'languages' must list codes from {', '.join(LANGUAGES)}.")
    if s.staff_language not in LANGUAGES:
        raise KioskError("config.invalid", "Setting 'staff_language' must be one of ja, en, vi, zh, ko.")
    choices = {
        "mode": ("counter", "kiosk"),
        "layout": ("face_to_face", "side_by_side"),
        "ptt_mode": ("hold", "tap", "both"),
    }
    for name, allowed in choices.items():
        if getattr(s, name) not in allowed:
            raise KioskError("config.invalid", f"Setting {name!r} must be one of: {', '.join(allowed)}.")
    check_ranges(s, origins)

    pins_from_settings(s.mt_route_pins)
    seen = set()
    for item in s.stt_engines:
        code, sep, engine = (part.strip() for part in item.partition("="))
        if not sep or code not in LANGUAGES or engine not in ("auto", "vosk", "whisper") or code in seen:
            raise KioskError("config.invalid", "Setting 'stt_engines' must list entries like \"ko=whisper\": "
                                               "a language code (ja, en, vi, zh, ko) once each, = auto, vosk or "
                                               "whisper.")
        seen.add(code)
    return s


def load_settings(
    data_dir: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings: overrides > environment > settings.toml > defaults."""
    env = os.environ if env is None else env
    if data_dir is not None:
        base = Path(data_dir).expanduser()
    elif env.get("KIOSK_DATA_DIR"):
        base = Path(env["KIOSK_DATA_DIR"]).expanduser()
    else:
        base = default_data_dir()
    if base.exists() and not base.is_dir():
        raise KioskError("config.invalid",
                         f"The data directory {base} is not a folder; point --data-dir or KIOSK_DATA_DIR at a folder.")
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    path = base / SETTINGS_FILE
    if path.exists() and not path.is_file():
        raise KioskError("config.invalid", f"{path} is not a file; rename it so the kiosk can keep its settings "
                         "(and the staff PIN) there.")
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise KioskError("config.invalid", f"{path} is not valid TOML: {exc}") from None
        except OSError as exc:
            raise KioskError("config.invalid", f"{path} cannot be read ({exc.strerror}); check its "
                                               "permissions.") from None
        for section_or_key, v in raw.items():
            items = v.items() if isinstance(v, dict) else [(section_or_key, v)]  # allow [sections] for readability
            for k, item in items:
                values[k], origins[k] = item, str(path)
    for name in _FIELD_TYPES:
        key = f"KIOSK_{name.upper()}"
        if name != "data_dir" and key in env:
            values[name], origins[name] = env[key], f"environment variable {key}"
    values.update(overrides)
    origins.update(dict.fromkeys(overrides, "settings"))
    values.pop("data_dir", None)
    coerced = {k: _coerce(k, v, origins[k]) for k, v in values.items()}
    return validate_settings(Settings(data_dir=base, **coerced), origins)


def save_settings(settings: Settings) -> Path:
    """Write settings.toml atomically into the data dir."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.settings_path
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(settings.to_toml_dict()), encoding="utf-8")
    os.replace(tmp, path)
    return path
