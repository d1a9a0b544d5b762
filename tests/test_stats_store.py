"""The SQLite store: migrations keep counts, WAL mode, install id, summary, retention."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import uuid

import pytest

from kiosk.errors import KioskError
from kiosk.stats import migrate
from kiosk.stats.migrate import MIGRATIONS_DIR
from kiosk.stats.store import SessionRecord, months_before, open_store


def rec(day=dt.date(2025, 4, 16), hour=10, **kw) -> SessionRecord:
    base = dict(mode="counter", visitor_language="vi", staff_language="ja", day=day, hour=hour,
                weekday=day.weekday(), duration_s=60, turns=2, turns_speech=2)  # fmt: skip
    base.update(kw)
    return SessionRecord(**base)


def test_migrations_upgrade_keeps_counts(tmp_path):
    from sqlalchemy import create_engine, text

    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001")
    assert migrate.current_revision(engine) == "0001"
    with engine.begin() as c:  # what a tablet on the first release collected
        for i in range(3):
            c.execute(text(
                "INSERT INTO stats_sessions (uuid, install_id, app_version, mode, visitor_language, staff_language,"
                " day, hour, weekday, duration_s, turns, turns_speech, turns_typed, turns_phrasebook, understood,"
                " say_again, unsure_shown, verified, pivots, failures_total, stt_ms, mt_ms, tts_ms) VALUES"
                " (:u, 'inst', '0.0.1', 'counter', 'ko', 'ja', '2025-01-0' || :d, 9, 3, 30, 4, 4, 0, 0, 3, 1, 0, 0,"
                " 0, 1, 500, 800, 200)"), {"u": str(uuid.uuid4()), "d": i + 1})  # fmt: skip
            c.execute(text("INSERT INTO stats_failures (session_uuid, code, count) SELECT uuid, 'stt.bad_model', 1"
                           " FROM stats_sessions WHERE id = :i"), {"i": i + 1})  # fmt: skip
    engine.dispose()
    with open_store(path) as store:  # upgrades to head
        assert migrate.current_revision(store.engine) == migrate.head_revision() == "0002"
        s = store.summary()
    assert (s.sessions, s.turns, s.understood, s.say_again) == (3, 12, 9, 3)
    assert s.by_language == {"ko": 3} and s.failures == {"stt.bad_model": 3}
    assert s.latency["mt"].p50_ms == 800
    with sqlite3.connect(path) as db:
        assert {r[0] for r in db.execute("SELECT end_reason FROM stats_sessions")} == {"finished"}


def test_models_match_the_migrated_schema(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kiosk.stats.models import Base

    with open_store(tmp_path / "s.sqlite3") as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if not (d[0] == "remove_table" and d[1].name == "stats_alembic_version")] == []


def test_migrations_ship_inside_the_package():
    assert (MIGRATIONS_DIR / "env.py").is_file() and (MIGRATIONS_DIR / "versions" / "__init__.py").is_file()
    assert MIGRATIONS_DIR.parent.name == "stats" and MIGRATIONS_DIR.parent.parent.name == "kiosk"


def test_store_is_sqlite_wal_in_the_data_dir_with_a_random_install_id(settings):
    with open_store(settings) as store:
        first = store.install_id
        store.add_session(rec())
    assert settings.stats_db_path.is_file()
    with sqlite3.connect(settings.stats_db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with open_store(settings) as store:
        assert store.install_id == first
        assert store.summary().installs == 1
    assert uuid.UUID(first).version == 4
    other = settings.replace(data_dir=settings.data_dir / "other")
    with open_store(other) as store:
        assert store.install_id != first


def test_summary_aggregates_and_date_range(settings):
    days = [dt.date(2025, 3, 31), dt.date(2025, 4, 1), dt.date(2025, 4, 2), dt.date(2025, 4, 2)]
    with open_store(settings) as store:
        for i, d in enumerate(days):
            store.add_session(rec(day=d, hour=9 + i, visitor_language=("vi", "zh", "vi", "ko")[i], understood=i,
                                  say_again=1, stt_ms=(i + 1) * 100, failures=(("mt.bad_pack", i),) if i else ()))
        store.add_session(rec(day=dt.date(2025, 4, 3), turns=0, turns_speech=0, mode="kiosk"))
        store.bump_counter("write_dropped", 2)
        s = store.summary(dt.date(2025, 4, 1), dt.date(2025, 4, 5))
        everything = store.summary()
    assert (s.sessions, s.conversations, s.turns) == (4, 3, 6)
    assert s.by_day == {dt.date(2025, 4, d): n for d, n in ((1, 1), (2, 2), (3, 1), (4, 0), (5, 0))}
    assert s.conversations_by_day[dt.date(2025, 4, 3)] == 0
    assert s.by_language == {"vi": 2, "ko": 1, "zh": 1}
    assert s.by_mode == {"counter": 3, "kiosk": 1}
    assert s.by_hour[10:13] == [2, 1, 1] and sum(s.by_hour) == 4  # the visit is at 10:00 too
    assert s.by_weekday == [0, 1, 2, 1, 0, 0, 0]  # 1 April 2025 was a Tuesday
    assert (s.understood, s.say_again) == (6, 3)
    assert s.failures == {"mt.bad_pack": 6}
    assert (s.latency["stt"].n, s.latency["stt"].p50_ms, s.latency["stt"].p90_ms) == (3, 300, 400)
    assert s.latency["tts"].n == 0 and s.latency["tts"].p50_ms is None
    assert s.dropped_writes == 2
    assert s.by_week == {dt.date(2025, 3, 31): 4}
    assert everything.by_month == {"2025-03": 1, "2025-04": 4}
    assert everything.by_week == {dt.date(2025, 3, 31): 5}


def test_purge_removes_only_expired_sessions_and_their_failures(settings):
    today = dt.date(2025, 6, 15)
    with open_store(settings) as store:
        for d in (dt.date(2023, 6, 14), dt.date(2023, 6, 15), dt.date(2025, 6, 1)):
            store.add_session(rec(day=d, failures=(("stt.bad_model", 1),)))
        assert store.purge_expired(0, today) == 0
        assert store.purge_expired(24, today) == 1
        s = store.summary()
    assert s.sessions == 2 and s.failures == {"stt.bad_model": 2}
    with sqlite3.connect(settings.stats_db_path) as db:
        assert db.execute("SELECT count(*) FROM stats_failures").fetchone()[0] == 2


@pytest.mark.parametrize(
    "day, months, expected",
    [((2025, 6, 15), 24, (2023, 6, 15)), ((2025, 3, 31), 1, (2025, 2, 28)), ((2025, 1, 10), 1, (2024, 12, 10))],
)
def test_months_before(day, months, expected):
    assert months_before(dt.date(*day), months) == dt.date(*expected)


def test_a_broken_database_file_is_a_clear_error(settings):
    settings.data_dir.mkdir(exist_ok=True)
    settings.stats_db_path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(KioskError) as err:
        open_store(settings)
    assert err.value.code == "stats.damaged"
    assert err.value.message == (
        f"The statistics database {settings.stats_db_path} is damaged (SQLITE_NOTADB). The kiosk app keeps a "
        "damaged database aside (never deleted) and begins a new one at its next start; its counts stay in the "
        "file kept aside."
    )


def test_unsupported_url_is_a_clear_error():
    with pytest.raises(KioskError) as err:
        open_store("mysql://db/stats")
    assert err.value.code == "stats.bad_database"
    assert err.value.message == (
        "Unsupported statistics database URL; use postgresql://USER@HOST/DBNAME or a SQLite file path."
    )


def test_importing_stats_creates_nothing_and_loads_no_sqlalchemy():
    code = ("import sys, kiosk.stats, kiosk.stats.commands, kiosk.stats.recorder; "
            "print(any(m.split('.')[0] in ('sqlalchemy', 'matplotlib', 'alembic') for m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
