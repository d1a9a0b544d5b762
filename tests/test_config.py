
import pytest

from kiosk.config import RANGES, Settings, check_ranges, load_settings, save_settings, validate_settings
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
    (tmp_path / "settings.toml").write_text(
        'mode = "kiosk"\n[ui]\nidle_timeout_s = 120\neasy_japanese = true\n', encoding="utf-8"
    )
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
        ("idle_warning_s = 5", "{f}: idle_warning_s = 5 is out of range; use a number from 20 to 600 seconds "
                               "(at least 20 s to respond: WCAG 2.2.1)."),
        ('idle_timeout_s = "soon"', "{f}: idle_timeout_s = 'soon' has a bad value; expected int."),
        ('languages = ["ja", "fr"]', "Setting 'languages' must list codes from ja, en, vi, zh, ko."),
        ("colour = 3", "{f}: unknown setting 'colour'."),
        ("counter_idle_timeout_s = 30", "{f}: counter_idle_timeout_s = 30 is out of range; use a number from 60 to "
                                        "86400 seconds, or 0 (off)."),
        # issue 13, defect 4: every numeric setting has a finite range
        ("text_scale = nan", "{f}: text_scale = nan is out of range; use a number from 0.5 to 3.0."),
        ("text_scale = inf", "{f}: text_scale = inf is out of range; use a number from 0.5 to 3.0."),
        ("mt_beam_size = 100000", "{f}: mt_beam_size = 100000 is out of range; use a number from 1 to 16."),
        ("mt_intra_threads = 10000", "{f}: mt_intra_threads = 10000 is out of range; use a number from 0 to 64 "
                                     "(0 = all cores)."),
        ("mt_inter_threads = 100000", "{f}: mt_inter_threads = 100000 is out of range; use a number from 1 to 16."),
        ("stats_retention_months = 1000000", "{f}: stats_retention_months = 1000000 is out of range; use a number "
                                             "from 0 to 1200 (0 = keep everything)."),
        ("min_stt_confidence = nan", "{f}: min_stt_confidence = nan is out of range; use a number from 0.0 to 1.0."),
        ("min_mt_score = -inf", "{f}: min_mt_score = -inf is out of range; use a number from -20.0 to 0.0."),
        ("stats_suppress_below = -1", "{f}: stats_suppress_below = -1 is out of range; use a number from 0 to 1000 "
                                      "(0 = off)."),
        ("tts_volume = true", "{f}: tts_volume = True has a bad value; expected float."),
        ("mode = 3", "{f}: mode = 3 has a bad value; expected str."),
        ("tts_rate = 1e400", "{f}: tts_rate = inf has a bad value; expected int."),
    ],
)
def test_bad_settings_file(tmp_path, content, message):
    (tmp_path / "settings.toml").write_text(content, encoding="utf-8")
    with pytest.raises(KioskError) as err:
        load_settings(tmp_path, env={})
    assert (err.value.code, err.value.message) == ("config.invalid", message.format(f=tmp_path / "settings.toml"))


def test_bad_value_from_the_environment_names_the_variable(tmp_path):
    with pytest.raises(KioskError) as err:
        load_settings(tmp_path, env={"KIOSK_TEXT_SCALE": "NaN"})
    assert err.value.message == ("environment variable KIOSK_TEXT_SCALE: text_scale = nan is out of range; "
                                 "use a number from 0.5 to 3.0.")


def test_data_dir_that_is_a_file_is_an_error(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(KioskError) as err:
        load_settings(tmp_path / "f", env={})
    assert (err.value.code, err.value.message) == (
        "config.invalid", f"The data directory {tmp_path / 'f'} is not a folder; point --data-dir or KIOSK_DATA_DIR "
                          "at a folder.")


def test_settings_file_that_is_a_directory_is_an_error_not_a_default_pin(tmp_path):
    (tmp_path / "settings.toml").mkdir()
    with pytest.raises(KioskError) as err:
        load_settings(tmp_path, env={})
    assert (err.value.code, err.value.message) == (
        "config.invalid", f"{tmp_path / 'settings.toml'} is not a file; rename it so the kiosk can keep its settings "
                          "(and the staff PIN) there.")


def test_every_default_is_within_its_range(tmp_path):
    check_ranges(Settings(data_dir=tmp_path))
    assert set(RANGES) == {f for f, t in Settings.__annotations__.items() if t in ("int", "float")}


def test_broken_toml(tmp_path):
    (tmp_path / "settings.toml").write_text("mode = ", encoding="utf-8")
    with pytest.raises(KioskError) as err:
        load_settings(tmp_path, env={})
    assert err.value.code == "config.invalid"
    assert err.value.message.startswith(f"{tmp_path / 'settings.toml'} is not valid TOML")


def test_validate_settings_checks_a_built_settings_object(tmp_path):
    ok = Settings(data_dir=tmp_path)
    assert validate_settings(ok) is ok
    with pytest.raises(KioskError) as err:
        validate_settings(ok.replace(idle_warning_s=10))
    assert (err.value.code, err.value.message) == (
        "config.invalid",
        "settings: idle_warning_s = 10 is out of range; use a number from 20 to 600 seconds (at least 20 s to respond: "
        "WCAG 2.2.1).")
