"""One ``Settings`` object, built from ``settings.toml`` in the data dir and the
environment, and passed down.  No module globals, nothing created at import.

Precedence (highest first): explicit overrides (e.g. ``--data-dir``),
environment variables ``KIOSK_<FIELD>`` (e.g. ``KIOSK_DATA_DIR``,
``KIOSK_IDLE_TIMEOUT_S``), ``<data_dir>/settings.toml``, defaults.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from kiosk.errors import KioskError

APP_NAME = "kiosk"
SETTINGS_FILE = "settings.toml"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)

    # translation (CTranslate2)
    mt_inter_threads: int = 1
    mt_intra_threads: int = 2
    mt_beam_size: int = 2
    mt_compute_type: str = "int8"

    # quality gate: below these the result is shown as "not sure"
    min_stt_confidence: float = 0.6
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
    admin_pin_hash: str = ""  # empty: default PIN "0000" must be changed

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

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **{k: _coerce(k, v) for k, v in changes.items()})

    def to_toml_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "data_dir":
                continue
            v = getattr(self, f.name)
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out


_FIELD_TYPES = {f.name: f for f in fields(Settings)}


def _coerce(name: str, value: Any) -> Any:
    f = _FIELD_TYPES.get(name)
    if f is None:
        raise KioskError("config.invalid", f"Unknown setting {name!r}.")
    default = Settings.__dataclass_fields__[name]
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
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise KioskError(
            "config.invalid", f"Setting {name!r} has a bad value; expected {kind}."
        ) from None
    finally:
        del default


def _validate(s: Settings) -> Settings:
    from kiosk.languages import LANGUAGES

    bad = [c for c in s.languages if c not in LANGUAGES]
    if bad or not s.languages:
        raise KioskError("config.invalid", f"Setting 'languages' must list codes from {', '.join(LANGUAGES)}.")
    if s.staff_language not in LANGUAGES:
        raise KioskError("config.invalid", "Setting 'staff_language' must be one of ja, en, vi, zh, ko.")
    choices = {"mode": ("counter", "kiosk"), "layout": ("face_to_face", "side_by_side"), "ptt_mode": ("hold", "tap", "both")}
    for name, allowed in choices.items():
        if getattr(s, name) not in allowed:
            raise KioskError("config.invalid", f"Setting {name!r} must be one of: {', '.join(allowed)}.")
    if s.idle_warning_s < 20:
        raise KioskError("config.invalid", "Setting 'idle_warning_s' must be at least 20 seconds (WCAG 2.2.1).")
    if s.counter_idle_timeout_s and s.counter_idle_timeout_s < 60:
        raise KioskError("config.invalid", "Setting 'counter_idle_timeout_s' must be 0 (off) or at least 60 seconds.")
    if s.idle_timeout_s < 10:
        raise KioskError("config.invalid", "Setting 'idle_timeout_s' must be at least 10 seconds.")
    if s.mt_inter_threads < 1 or s.mt_intra_threads < 0:
        raise KioskError("config.invalid", "Thread counts must be positive.")
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
    values: dict[str, Any] = {}
    path = base / SETTINGS_FILE
    if path.is_file():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise KioskError("config.invalid", f"{path} is not valid TOML: {exc}") from None
        for section_or_key, v in raw.items():
            if isinstance(v, dict):  # allow [sections] for readability
                values.update(v)
            else:
                values[section_or_key] = v
    for name in _FIELD_TYPES:
        key = f"KIOSK_{name.upper()}"
        if name != "data_dir" and key in env:
            values[name] = env[key]
    values.update(overrides)
    values.pop("data_dir", None)
    coerced = {k: _coerce(k, v) for k, v in values.items()}
    return _validate(Settings(data_dir=base, **coerced))


def save_settings(settings: Settings) -> Path:
    """Write settings.toml atomically into the data dir."""
    import tomli_w

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.settings_path
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(settings.to_toml_dict()), encoding="utf-8")
    os.replace(tmp, path)
    return path
