"""Fleet sync against a real PostgreSQL server started by the tests (tests/support/pg.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.errors import KioskError
from kiosk.stats.store import SessionRecord, open_store
from kiosk.stats.sync import push

LANGS = ("ja", "en", "vi", "zh", "ko")


def fill(store, n: int, seed: int = 0) -> None:
    for i in range(n):
        day = dt.date(2025, 4, 1) + dt.timedelta(days=(i + seed) % 20)
        store.add_session(SessionRecord(
            mode="counter" if i % 3 else "kiosk", visitor_language=LANGS[(i + seed) % 5], staff_language="ja",
            day=day, hour=9 + i % 8, weekday=day.weekday(), duration_s=30 + 10 * (i % 5), turns=1 + i % 4,
            turns_speech=1 + i % 4, understood=i % 3, say_again=i % 2, stt_ms=300 + 100 * (i % 3),
            failures=(("audio.nothing_heard", 1), ("mt.bad_pack", 2)) if i % 4 == 0 else (),
        ))  # fmt: skip


def tablet(tmp_path, name: str, n: int, seed: int = 0):
    settings = load_settings(tmp_path / name, env={})
    store = open_store(settings)
    fill(store, n, seed)
    return settings, store


def pg_counts(url: str) -> tuple[int, int, int, int]:
    """(session rows, distinct uuids, failure rows, sum of failure counts) in the fleet database."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows, distinct = conn.execute("SELECT count(*), count(DISTINCT uuid) FROM stats_sessions").fetchone()
        frows, fsum = conn.execute("SELECT count(*), coalesce(sum(count), 0) FROM stats_failures").fetchone()
    return rows, distinct, frows, fsum


def test_push_twice_makes_no_duplicates(tmp_path, pg_url):
    _, store = tablet(tmp_path, "a", 57)
    with store:
        first = push(store, pg_url, batch_size=10)
        again = push(store, pg_url, batch_size=10)
        assert (first.considered, first.inserted, first.batches) == (57, 57, 6)
        assert (again.considered, again.inserted, again.batches) == (0, 0, 0)
        assert pg_counts(pg_url) == (57, 57, 30, 45)
        # forget the high-water mark: everything is re-sent, the unique constraint drops it
        with store.engine.begin() as c:
            c.exec_driver_sql("DELETE FROM stats_push_marks")
        resent = push(store, pg_url, batch_size=25)
        assert (resent.considered, resent.inserted, resent.already_there) == (57, 0, 57)
        assert pg_counts(pg_url) == (57, 57, 30, 45)
        fill(store, 5, seed=3)  # new sessions after the last push: only they go
        assert push(store, pg_url).considered == 5
        assert pg_counts(pg_url)[:2] == (62, 62)


def test_cut_connection_mid_push_resumes_without_duplicates(tmp_path, pg_server, pg_url):
    import psycopg

    _, store = tablet(tmp_path, "a", 57)
    dbname = pg_url.split("@/", 1)[1].split("?")[0]

    def kill_after_second_batch(batch_no: int, rows: int) -> None:
        if batch_no == 2:
            with psycopg.connect(pg_server.url_libpq("postgres"), autocommit=True) as admin:
                killed = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s", (dbname,)
                ).fetchone()[0]
            assert killed >= 1

    with store:
        with pytest.raises(KioskError) as err:
            push(store, pg_url, batch_size=10, on_batch=kill_after_second_batch)
        assert err.value.code == "stats.push_failed"
        assert err.value.message.startswith(f"Pushing statistics to {pg_url} ")
        assert err.value.message.endswith(
            "stopped after 20 sessions (OperationalError); check the connection and run the same command again to "
            "resume."
        )
        assert pg_counts(pg_url)[:2] == (20, 20)
        resumed = push(store, pg_url, batch_size=10)
        assert (resumed.considered, resumed.inserted) == (37, 37)
    assert pg_counts(pg_url) == (57, 57, 30, 45)


def test_two_tablets_pushing_at_once(tmp_path, pg_url):
    _, a = tablet(tmp_path, "a", 120, seed=0)
    _, b = tablet(tmp_path, "b", 90, seed=7)
    results, errors = {}, []
    start = threading.Barrier(2)

    def run(name, store):
        try:
            start.wait()
            results[name] = push(store, pg_url, batch_size=7)  # both create the schema at once
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=x) for x in (("a", a), ("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    a.close()
    b.close()
    assert errors == []
    assert results["a"].inserted == 120 and results["b"].inserted == 90
    rows, distinct, _, _ = pg_counts(pg_url)
    assert rows == distinct == 210


def test_fleet_summary_and_report_from_postgresql(tmp_path, pg_url, capsys):
    sa, a = tablet(tmp_path, "a", 30)
    sb, b = tablet(tmp_path, "b", 20, seed=2)
    for s, store in ((sa, a), (sb, b)):
        store.close()
        assert main(["--data-dir", str(s.data_dir), "stats", "push", "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert f"pushed 20 sessions to {pg_url} in 1 batches (20 new, 0 already there)" in out
    with open_store(pg_url, migrate=False) as fleet:
        s = fleet.summary(dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert (s.sessions, s.installs) == (50, 2)
    assert sum(s.by_language.values()) == 50 and s.failures == {"mt.bad_pack": 26, "audio.nothing_heard": 13}
    html = tmp_path / "fleet.html"
    code = main(["--data-dir", str(sa.data_dir), "stats", "report", "--source", pg_url, "--month", "2025-04",
                 "--out", str(html)])  # fmt: skip
    assert code == 0
    text = html.read_text(encoding="utf-8")
    assert "<th scope=\"row\">Tablets</th><td class=\"n\">2</td>" in text
    assert "<th scope=\"row\">Sessions (visits)</th><td class=\"n\">50</td>" in text
    assert "<th scope=\"row\">Say again</th><td class=\"n\">25</td>" in text
    assert "<th scope=\"row\">English (en)</th><td class=\"n\">10</td>" in text
    assert text.count("data:image/png;base64,") >= 9


def test_push_to_a_server_that_is_not_there(tmp_path, capsys):
    settings, store = tablet(tmp_path, "a", 3)
    store.close()
    url = f"postgresql://kiosk@/fleet?host={tmp_path / 'nowhere'}"
    assert main(["--data-dir", str(settings.data_dir), "stats", "push", "--to", url]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error [stats.push_failed]: Pushing statistics to {url}"
        " stopped after 0 sessions (OperationalError); check the connection and run the same command again to resume.\n"
    )


def test_two_tablet_processes_push_at_once_to_an_empty_database(tmp_path, pg_url):
    """Separate processes, as on real tablets: both create the fleet schema at once (advisory lock)."""
    dirs = []
    for name, n, seed in (("a", 80, 0), ("b", 60, 4)):
        settings, store = tablet(tmp_path, name, n, seed)
        store.close()
        dirs.append(settings.data_dir)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(d), "stats", "push", "--to", pg_url,
                          "--batch-size", "9"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for d in dirs
    ]  # fmt: skip
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert pg_counts(pg_url)[:2] == (140, 140)
