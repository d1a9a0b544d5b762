"""Anonymized usage statistics: counts only, never text, audio or identifiers.

API for the app and the admin dashboard (all imports are light; SQLAlchemy and
matplotlib load only when a function runs)::

    from kiosk.stats import open_store, StatsRecorder
    store = open_store(settings)              # SQLite (WAL) at settings.stats_db_path,
                                              # migrated to the newest schema
    store = open_store("postgresql://u@host/db")   # a fleet database (read / report)

    recorder = StatsRecorder(store, clock=datetime.now)   # pipeline observer: recorder(event)
                                              # (ev.VisitAbandoned: a visit with no turn)
    recorder.close()                          # at exit: ends open sessions, flushes writes

    summary = store.summary(date_from, date_to)   # kiosk.stats.summary.Summary (dates may be None)
    summary.by_day / by_week / by_month / by_language / by_hour / by_weekday / by_mode,
    summary.understood, summary.say_again, summary.failures, summary.latency["stt"].p50_ms ...

    from kiosk.stats.charts import render_all
    pngs = render_all(summary)                # {name: PNG bytes}, Agg, no pyplot
    from kiosk.stats.tables import tables
    tabs = tables(summary)                    # {same name: Table(title, headers, rows)} for screen readers

    from kiosk.stats.export import export_csv, report
    export_csv(summary, "out.csv", suppress_below=settings.stats_suppress_below)
    report(summary, "report.html" or "report.pdf", suppress_below=...)

    from kiosk.stats.sync import push
    push(store, "postgresql://u@host/db")     # idempotent, batched, resumable

    store.purge_expired(settings.stats_retention_months, today=date.today())

Modules: models (ORM), migrations/ (Alembic, run in code by migrate.py), store,
recorder, summary, tables, charts, export, sync, commands (``kiosk stats``).
"""

from __future__ import annotations

from kiosk.stats import store
from kiosk.stats.recorder import StatsRecorder

__all__ = ["open_store", "StatsRecorder", "StatsStore", "SessionRecord"]


def __getattr__(name: str):
    if name in ("open_store", "StatsStore", "SessionRecord"):
        return getattr(store, name)
    if name == "StatsRecorder":
        return StatsRecorder
    raise AttributeError(name)
