from pathlib import Path

import pytest

from kiosk.config import load_settings, save_settings
from kiosk.errors import KioskError


def test_defaults_and_derived_paths(tmp_path):
    s = load_settings(tmp_path, env={})
    assert s.data_dir == tmp_path
    assert s.packs_dir == tmp_path / "packs"
    assert s.stats_db_path == tmp_path / "stats.sqlite3"
    assert s.languages == ("ja", "en", "vi", "zh", "ko")
    assert not any(tmp_path.iterdir())  # loading creates nothing


def test_env_data_dir_and_overrides(tmp_path):
    s = load_settings(env={"KIOSK_DATA_DIR": str(tmp_path), "KIOSK_IDLE_TIMEOUT_S": "45", "KIOSK_LANGUAGES": "ja, vi"})
    assert s.data_dir == tmp_path and s.idle_timeout_s == 45 and s.languages == ("ja", "vi")
    assert load_settings(tmp_path, env={}, mode="kiosk").mode == "kiosk"


def test_file_then_env_precedence(tmp_path):
    (tmp_path / "settings.toml").write_text('mode = "kiosk"\n[ui]\nidle_timeout_s = 120\neasy_japanese = true\n', encoding="utf-8")
    s = load_settings(tmp_path, env={"KIOSK_IDLE_TIMEOUT_S": "60"})
    assert (s.mode, s.idle_timeout_s, s.easy_japanese) == ("kiosk", 60, True)


def test_save_roundtrip(tmp_path):
    s = load_settings(tmp_path, env={}).replace(layout="side_by_side", min_mt_score=-2.0, languages=["ja", "en"])
    save_settings(s)
    again = load_settings(tmp_path, env={})
    assert again == s


@pytest.mark.parametrize(
    "content, message",
    [
        ('mode = "office"', "Setting 'mode' must be one of: counter, kiosk."),
        ("idle_warning_s = 5", "Setting 'idle_warning_s' must be at least 20 seconds (WCAG 2.2.1)."),
        ('idle_timeout_s = "soon"', "Setting 'idle_timeout_s' has a bad value; expected int."),
        ('languages = ["ja", "fr"]', "Setting 'languages' must list codes from ja, en, vi, zh, ko."),
        ("colour = 3", "Unknown setting 'colour'."),
        ("counter_idle_timeout_s = 30", "Setting 'counter_idle_timeout_s' must be 0 (off) or at least 60 seconds."),
    ],
)
def test_bad_settings_file(tmp_path, content, message):
    (tmp_path / "settings.toml").write_text(content, encoding="utf-8")
    with pytest.raises(KioskError) as err:
        load_settings(tmp_path, env={})
    assert (err.value.code, err.value.message) == ("config.invalid", message)


def test_broken_toml(tmp_path):
    (tmp_path / "settings.toml").write_text("mode = ", encoding="utf-8")
    with pytest.raises(KioskError) as err:
        load_settings(tmp_path, env={})
    assert err.value.code == "config.invalid"
    assert err.value.message.startswith(f"{tmp_path / 'settings.toml'} is not valid TOML")
