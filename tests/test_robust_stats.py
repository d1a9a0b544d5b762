"""Issue 13 (defects 1, 5, 8, 11, 12): the statistics database never stops the kiosk, read-only commands
never write, odd arguments and rows are one clear error, charts write nothing in $HOME."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys

import pytest

import kiosk.stats.store as store_mod
from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.errors import KioskError
from kiosk.session import SessionController
from kiosk.stats.health import doctor_check, open_for_app, open_readonly, start_stats
from kiosk.stats.store import SessionRecord, open_store

NOW = dt.datetime(2026, 12, 2, 11, 40, 5)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def filled(settings, n: int = 6):
    with open_store(settings) as store:
        for i in range(n):
            store.add_session(SessionRecord("counter", "vi", "ja", dt.date(2026, 11, 2), 10, 0, turns=i))
    return settings


def truncate_half(path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


# ------------------------------------------------------------- defect 1: damaged database at app start
@pytest.mark.parametrize("damage", ["random", "truncated", "directory"])
def test_a_damaged_database_is_kept_aside_and_the_kiosk_starts(settings, damage):
    path = settings.stats_db_path
    if damage == "random":
        path.write_bytes(os.urandom(20_000))
    elif damage == "truncated":
        filled(settings, 300)
        truncate_half(path)
    else:
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    recorder, problem = start_stats(settings, NOW)
    kept = path.with_name("stats.sqlite3.damaged-20261202T114005")
    assert recorder is None and problem.code == "stats.damaged"
    assert problem.message == (f"The statistics database was damaged; it is kept as {kept} (never deleted). "
                               "Statistics are off until the kiosk is restarted, which begins a new database.")
    assert not path.exists() and kept.exists()  # nothing recorded, nothing deleted
    if before is not None:
        assert kept.read_bytes() == before
    recorder, problem = start_stats(settings, NOW)  # the restart: a new database
    assert problem is None and recorder is not None
    recorder.close()
    assert kept.exists()


def test_a_newer_database_is_left_untouched(settings):
    filled(settings)
    con = sqlite3.connect(settings.stats_db_path)
    con.execute("UPDATE stats_alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = settings.stats_db_path.read_bytes()
    state = open_for_app(settings, NOW)
    assert not state.available and state.problem.code == "stats.newer_database"
    assert state.problem.message == (
        f"The statistics database {settings.stats_db_path} was written by a newer kiosk version (schema "
        "'9999_future'); update this kiosk to use it. Its counts are kept. Statistics are off until this is fixed.")
    assert settings.stats_db_path.read_bytes() == before and state.kept_as is None


def test_a_full_disk_at_start_keeps_the_counts(settings, monkeypatch):
    """Defect 11: a full disk is not damage: the message never says to move the file aside."""
    filled(settings)

    real = store_mod.StatsStore.install_id

    def full(self):
        raise store_mod.bad_database(self.url, _sqlite_full())

    monkeypatch.setattr(store_mod.StatsStore, "install_id", property(full))
    state = open_for_app(settings, NOW)
    monkeypatch.setattr(store_mod.StatsStore, "install_id", real)
    assert state.problem.code == "stats.disk_full"
    assert state.problem.message == (
        f"The disk holding the statistics database {settings.stats_db_path} is full; free some space. The counts "
        "already in it are kept. Statistics are off until this is fixed.")
    assert settings.stats_db_path.exists() and "aside" not in state.problem.message


def _sqlite_full() -> Exception:
    from sqlalchemy.exc import OperationalError

    err = sqlite3.OperationalError("database or disk is full")
    err.sqlite_errorname = "SQLITE_FULL"
    return OperationalError("INSERT", {}, err)


def test_doctor_checks_the_database(capsys, settings):
    filled(settings)
    status, detail, _ = doctor_check(settings)
    assert (status, detail) == ("ok", f"{settings.stats_db_path} (6 sessions, integrity ok)")
    settings.stats_db_path.write_bytes(b"garbage" * 1000)
    code, out, _ = run(capsys, "--data-dir", str(settings.data_dir), "doctor", "--json")
    check = next(c for c in json.loads(out) if c["name"] == "statistics database")
    assert code == 1 and check["status"] == "fail"
    assert check["detail"].startswith("[stats.damaged] The statistics database ")
    assert settings.stats_db_path.read_bytes() == b"garbage" * 1000  # doctor changes nothing
    start_stats(settings, NOW)
    status, detail, _ = doctor_check(settings)
    assert status == "warn" and detail.endswith("damaged copies kept aside: stats.sqlite3.damaged-20261202T114005")


def test_the_staff_statistics_tab_shows_why_statistics_are_off(settings):
    settings.stats_db_path.write_bytes(b"garbage")
    recorder, problem = start_stats(settings, NOW)
    session = SessionController(settings, None, call_soon=lambda task: None, stats=recorder, stats_problem=problem)
    with pytest.raises(KioskError) as err:
        session.stats_summary()  # what the Statistics tab shows (admin.py: AdminScreen.stats_summary)
    assert err.value is problem


# ------------------------------------------------------------- defect 5: read-only sources
def test_a_mistyped_source_is_an_error_not_zeros(capsys, settings, tmp_path):
    missing = tmp_path / "typo.sqlite3"
    code, out, err = run(capsys, "--data-dir", str(settings.data_dir), "stats", "summary", "--source", str(missing))
    assert (code, out) == (1, "")
    assert err == (f"error [stats.not_kiosk_database]: No statistics database at {missing}; check the path given "
                   "to --source.\n")
    assert not missing.exists()


def test_a_foreign_sqlite_file_is_not_changed(capsys, settings, tmp_path):
    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = foreign.read_bytes()
    code, _, err = run(capsys, "--data-dir", str(settings.data_dir), "stats", "summary", "--source", str(foreign))
    assert code == 1
    assert err == (f"error [stats.not_kiosk_database]: {foreign} holds no kiosk statistics (no stats_sessions "
                   "table); check the path given to --source.\n")
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) == ["other.db"]  # no -wal/-shm
    assert sqlite3.connect(foreign).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_reading_a_kiosk_source_is_read_only(capsys, settings, tmp_path):
    filled(settings)
    copy = tmp_path / "copy.sqlite3"
    con = sqlite3.connect(settings.stats_db_path)
    con.execute(f"VACUUM INTO '{copy}'")
    con.close()
    os.chmod(copy, 0o444)
    before = copy.read_bytes()
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "other"), "stats", "summary", "--source", str(copy))
    assert code == 0, err
    assert "Sessions (visits)" in out and copy.read_bytes() == before
    with pytest.raises(KioskError):
        open_readonly(tmp_path)


# ------------------------------------------------------------- defect 8: odd arguments and rows
@pytest.mark.parametrize("args, message", [
    (["summary", "--month", "0-1"], "--month must look like 2025-04, not '0-1'."),
    (["summary", "--month", "99999-01"], "--month must look like 2025-04, not '99999-01'."),
    (["summary", "--month", "2025-13"], "--month must look like 2025-04, not '2025-13'."),
    (["purge", "--months", "100000"], "--months must be from 0 (keep everything) to 1200."),
    (["summary", "--suppress-below", "-1"], "--suppress-below must be from 0 (off) to 1000."),
])
def test_odd_stats_arguments(capsys, settings, args, message):
    code, _, err = run(capsys, "--data-dir", str(settings.data_dir), "stats", *args)
    assert (code, err) == (1, f"error [cli.bad_argument]: {message}\n")


@pytest.mark.parametrize("url", ["postgresql://u@host:/db", "postgresql://u@host:abc/db", "postgresql://u@h:99999/d"])
def test_a_bad_port_in_a_database_url(capsys, settings, url):
    code, _, err = run(capsys, "--data-dir", str(settings.data_dir), "stats", "summary", "--source", url)
    shown = url.replace("postgresql://", "postgresql+psycopg://")
    assert (code, err) == (1, f"error [stats.bad_database]: The database address {shown} has a bad port; use a "
                              "number from 1 to 65535, e.g. postgresql://USER@HOST:5432/DBNAME.\n")


def test_a_stored_row_with_a_bad_date(capsys, settings):
    filled(settings)
    con = sqlite3.connect(settings.stats_db_path)
    con.execute("UPDATE stats_sessions SET day = 'not a day' WHERE rowid = 1")
    con.commit()
    con.close()
    code, _, err = run(capsys, "--data-dir", str(settings.data_dir), "stats", "summary")
    assert (code, err) == (1, f"error [stats.damaged]: The statistics database {settings.stats_db_path} holds a row "
                              "that cannot be read (a bad date or number); its other counts are kept.\n")


def test_a_newer_database_from_the_cli(capsys, settings):
    filled(settings)
    con = sqlite3.connect(settings.stats_db_path)
    con.execute("UPDATE stats_alembic_version SET version_num = 'zzz'")
    con.commit()
    con.close()
    code, _, err = run(capsys, "--data-dir", str(settings.data_dir), "stats", "summary")
    assert (code, err) == (1, f"error [stats.newer_database]: The statistics database {settings.stats_db_path} was "
                              "written by a newer kiosk version (schema 'zzz'); update this kiosk to use it. Its "
                              "counts are kept.\n")


# ------------------------------------------------------------- defect 12: nothing in $HOME
def test_stats_report_writes_nothing_in_home(tmp_path):
    settings = filled(load_settings(tmp_path / "data", env={}))
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MPL", "XDG_"))}
    env.update(HOME=str(home), PYTHONPATH=os.getcwd())
    r = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(settings.data_dir), "stats", "report",
                        "--out", str(tmp_path / "r.html")], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert list(home.rglob("*")) == []
    assert (settings.cache_dir / "matplotlib").is_dir()
