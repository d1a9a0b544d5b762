"""Stats store throughput on this machine (not a test).

    .venv/bin/python benchmarks/bench_stats.py [--sessions N] [--no-pg]

Measures:
  recorder   events of N 4-turn sessions through StatsRecorder → background writer → SQLite (WAL):
             caller time per event (must stay tiny: the pipeline never waits) and sessions written per second
  summary    store.summary() over the N sessions
  charts     charts.render_all() (12 PNGs) and a PDF report
  push       push of the N sessions to a throw-away local PostgreSQL (tests/support/pg.py), batch 500
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from kiosk.config import load_settings
from kiosk.stats import StatsRecorder, open_store
from kiosk.stats.charts import render_all
from kiosk.stats.export import report
from kiosk.stats.recorder import BackgroundWriter
from kiosk.stats.sync import push
from tests.support.pg import start_server
from tests.support.stats_events import FakeClock, TurnSpec, record_conversation

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=5000)
    ap.add_argument("--no-pg", action="store_true")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    settings = load_settings(tmp / "data", env={})
    store = open_store(settings)
    clock = FakeClock(dt.datetime(2025, 1, 6, 9, 0))
    writer = BackgroundWriter(store, max_queue=args.sessions + 10)
    rec = StatsRecorder(store, clock=clock, writer=writer)
    events = 0

    def counting(event):
        nonlocal events
        events += 1
        rec(event)

    turns = [TurnSpec(), TurnSpec(kind="typed", side="staff"), TurnSpec(kind="phrasebook", verified=True),
             TurnSpec(fail="audio.nothing_heard")]  # fmt: skip
    langs = ("vi", "zh", "en", "ko", "ja")
    staff = {"ja": "en"}  # a Japanese visitor talks to English-speaking staff
    streams = [record_conversation(turns, visitor=lang, staff=staff.get(lang, "ja")) for lang in langs]
    t0 = time.perf_counter()
    for i in range(args.sessions):  # sessions run one after another, so a recorded stream can be sent again
        clock.now = dt.datetime(2025, 1, 6, 9) + dt.timedelta(hours=(i * 7) % 2000)
        *body, end = streams[i % 5]
        for event in body:
            counting(event)
        clock.advance(45)
        counting(end)
    t_submit = time.perf_counter() - t0
    rec.flush(timeout=None)
    t_all = time.perf_counter() - t0
    rec.close()
    print(f"recorder: {events} events, caller {t_submit / events * 1e6:.1f} µs/event; "
          f"{args.sessions} sessions written in {t_all:.2f} s = {args.sessions / t_all:.0f} sessions/s "
          f"(dropped {rec.dropped})")  # fmt: skip

    t0 = time.perf_counter()
    summary = store.summary()
    print(f"summary: {summary.sessions} sessions in {time.perf_counter() - t0:.3f} s")

    t0 = time.perf_counter()
    render_all(summary)
    t1 = time.perf_counter()
    render_all(summary)
    t2 = time.perf_counter()
    report(summary, tmp / "r.pdf")
    t3 = time.perf_counter()
    print(f"charts: render_all first {t1 - t0:.2f} s, again {t2 - t1:.2f} s; PDF report {t3 - t2:.2f} s")

    if not args.no_pg:
        server = start_server()
        try:
            url = server.create_database("bench")
            t0 = time.perf_counter()
            result = push(store, url, batch_size=500)
            dt_push = time.perf_counter() - t0
            print(f"push: {result.inserted} sessions in {result.batches} batches, {dt_push:.2f} s "
                  f"= {result.inserted / dt_push:.0f} sessions/s")  # fmt: skip
        finally:
            server.stop()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
