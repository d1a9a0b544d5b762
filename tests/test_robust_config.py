"""Issue 13 (defects 4 and 11): settings out of range are one clear error naming file, key, value and range;
`kiosk doctor` reports them and still checks the rest."""

from __future__ import annotations

import json

from kiosk.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_doctor_reports_a_bad_setting_and_checks_the_rest(capsys, tmp_path):
    (tmp_path / "settings.toml").write_text("text_scale = nan\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "doctor", "--json")
    assert code == 1 and err == ""
    checks = {c["name"]: c for c in json.loads(out)}
    assert checks["settings"]["status"] == "fail"
    assert checks["settings"]["detail"] == (f"{tmp_path / 'settings.toml'}: text_scale = nan is out of range; "
                                            "use a number from 0.5 to 3.0.")
    assert checks["data directory"]["status"] == "ok"


def test_doctor_with_good_settings(capsys, tmp_path):
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "doctor", "--json")
    checks = {c["name"]: c for c in json.loads(out)}
    assert checks["settings"]["status"] == "ok"


def test_other_commands_stop_on_a_bad_setting(capsys, tmp_path):
    (tmp_path / "settings.toml").write_text("mt_beam_size = 100000\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "translate", "--from", "en", "--to", "ja", "hi")
    assert (code, out) == (1, "")
    assert err == (f"error [config.invalid]: {tmp_path / 'settings.toml'}: mt_beam_size = 100000 is out of range; "
                   "use a number from 1 to 16.\n")


def test_a_bad_stored_suppress_below_is_not_blamed_on_a_flag(capsys, tmp_path):
    """Defect 11: the value came from settings.toml, not from --suppress-below."""
    (tmp_path / "settings.toml").write_text("stats_suppress_below = -3\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "stats", "summary")
    assert code == 1
    assert err == (f"error [config.invalid]: {tmp_path / 'settings.toml'}: stats_suppress_below = -3 is out of "
                   "range; use a number from 0 to 1000 (0 = off).\n")


def test_doctor_on_a_data_dir_that_is_a_file(capsys, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    code, out, err = run(capsys, "--data-dir", str(f), "doctor", "--json")
    assert code == 1, err
    checks = {c["name"]: c for c in json.loads(out)}
    assert checks["settings"]["detail"].startswith(f"The data directory {f} is not a folder")
    assert checks["data directory"]["status"] == "fail"
