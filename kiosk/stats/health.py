"""The statistics database's health: open it for the app without ever stopping the kiosk, open other
databases read-only, and tell ``kiosk doctor`` what state it is in.

* ``open_for_app(settings)``: the store, or a clear "unavailable" state with a code.  A damaged file
  (not a database, truncated, a folder in its place, failing ``PRAGMA quick_check``) is renamed aside
  to ``stats.sqlite3.damaged-<time>`` (with its -wal/-shm) and never deleted; the app then records
  nothing until it is restarted, which begins a new database.  A full disk, a read-only data dir or a
  database from a newer kiosk version is left untouched: statistics are off, staff see why.
* ``open_readonly(path)``: a SQLite file given to ``--source``, opened with ``mode=ro`` (no WAL switch, no
  tables added); a missing or foreign file is an error.
* ``doctor_check(settings)``: (status, detail, fix) without writing anything.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from kiosk.errors import KioskError
from kiosk.stats import migrate
from kiosk.stats.recorder import StatsRecorder
from kiosk.stats.store import StatsStore, bad_database, make_engine, open_store

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.stats.store import StatsStore

_LOGGER = logging.getLogger(__name__)
_SIDE_FILES = ("", "-wal", "-shm")


@dataclass(frozen=True)
class StatsState:
    """What the app starts with: a store, or the problem that keeps statistics off (and where a damaged file went)."""

    store: StatsStore | None
    problem: KioskError | None = None
    kept_as: Path | None = None

    @property
    def available(self) -> bool:
        return self.store is not None


def quick_check(store: StatsStore) -> None:
    """``PRAGMA quick_check`` on a local SQLite store; ``stats.damaged`` if it finds damage."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    if not store.url.startswith("sqlite"):
        return
    try:
        with store.engine.connect() as conn:
            rows = [r[0] for r in conn.execute(text("PRAGMA quick_check"))]
    except SQLAlchemyError as exc:
        raise bad_database(store.url, exc) from None
    if rows != ["ok"]:
        path = store.url.split(":///", 1)[1]
        raise KioskError("stats.damaged", f"The statistics database {path} is damaged (quick_check found "
                                          f"{len(rows)} problem(s)). The kiosk app keeps a damaged database aside "
                                          "(never deleted) and begins a new one at its next start.")


def move_aside(path: Path, now: dt.datetime) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``<name>.damaged-<time>``; nothing is deleted."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in _SIDE_FILES:
        src = path.with_name(path.name + suffix)
        if src.exists() or src.is_symlink():
            os.replace(src, kept.with_name(kept.name + suffix))
    return kept


def open_for_app(settings: Settings, now: dt.datetime | None = None) -> StatsState:
    """Open this tablet's store for the app; never raises (statistics must not stop the kiosk)."""
    store = None
    try:
        store = open_store(settings)
        quick_check(store)
        return StatsState(store)
    except KioskError as exc:
        if store is not None:
            store.close()
        problem = exc
    except Exception as exc:  # noqa: BLE001 - anything else: statistics off, the counter still works
        _LOGGER.warning("stats store failed to open: %s", type(exc).__name__)
        return StatsState(None, KioskError("stats.bad_database", f"The statistics database "
                                                                 f"{settings.stats_db_path} cannot be used "
                                                                 f"({type(exc).__name__}); statistics are off."))
    _LOGGER.warning("statistics off: %s", problem.code)
    if problem.code != "stats.damaged":
        return StatsState(None, KioskError(problem.code, problem.message + " Statistics are off until this is fixed."))
    try:
        kept = move_aside(settings.stats_db_path, now or dt.datetime.now())
    except OSError as exc:
        return StatsState(None, KioskError("stats.damaged", f"The statistics database {settings.stats_db_path} is "
                                                            f"damaged and could not be moved aside ({exc.strerror}); "
                                                            "statistics are off. Move it aside by hand (keep it: it "
                                                            "holds the counts)."))
    return StatsState(None, KioskError("stats.damaged", f"The statistics database was damaged; it is kept as {kept} "
                                                        "(never deleted). Statistics are off until the kiosk is "
                                                        "restarted, which begins a new database."), kept)


def open_readonly(path: str | os.PathLike[str]) -> StatsStore:
    """A kiosk statistics database given as a file, opened read-only; missing or foreign files are errors."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    p = Path(path).expanduser()
    if not p.exists():
        raise KioskError("stats.not_kiosk_database", f"No statistics database at {p}; check the path given to "
                                                     "--source.")
    if not p.is_file():
        raise KioskError("stats.not_kiosk_database", f"{p} is not a file; --source takes a kiosk statistics "
                                                     "database (stats.sqlite3) or a postgresql:// URL.")
    url = f"sqlite:///file:{quote(str(p.resolve()))}?mode=ro&uri=true"
    engine = make_engine(url, readonly=True)
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            if not {"stats_sessions", "stats_alembic_version"} <= names:
                raise KioskError("stats.not_kiosk_database", f"{p} holds no kiosk statistics (no stats_sessions "
                                                             "table); check the path given to --source.")
            current = migrate.check_known(conn, str(p))
        if current != migrate.head_revision():
            raise KioskError("stats.bad_database", f"{p} was written by an older kiosk version (schema "
                                                   f"{current!r}); put it in a data dir as stats.sqlite3 and run "
                                                   "any `kiosk stats` command there once to upgrade it.")
    except SQLAlchemyError as exc:
        engine.dispose()
        raise bad_database(f"sqlite:///{p}", exc) from None
    except KioskError:
        engine.dispose()
        raise
    return StatsStore(engine, local=False)


def doctor_check(settings: Settings) -> tuple[str, str, str]:
    """(status, detail, fix) for this tablet's statistics database, read-only."""
    path = settings.stats_db_path
    kept = sorted(p.name for p in path.parent.glob(path.name + ".damaged-*") if not p.name.endswith(("-wal", "-shm"))) \
        if path.parent.is_dir() else []
    note = f"; damaged copies kept aside: {', '.join(kept)}" if kept else ""
    if not settings.stats_enabled:
        return "ok", "statistics are turned off (stats_enabled = false)" + note, ""
    if not path.exists() and not path.is_symlink():
        return ("warn" if kept else "ok"), "no database yet (begins at the first visit)" + note, ""
    try:
        store = open_readonly(path) if path.is_file() else None
        if store is None:
            raise KioskError("stats.damaged", f"The statistics database {path} is not a file.")
        try:
            quick_check(store)
            n = store.session_count()
        finally:
            store.close()
    except KioskError as exc:
        fix = {"stats.damaged": "start the app: it keeps the damaged file aside and begins a new database",
               "stats.disk_full": "free disk space in the data dir",
               "stats.newer_database": "update this kiosk to the version that wrote the database"}
        return "fail", f"[{exc.code}] {exc.message}", fix.get(exc.code, "check the file's permissions and the disk")
    status = "warn" if kept else "ok"
    return status, f"{path} ({n} sessions, integrity ok){note}", ("" if not kept else
                                                                   "the kept files hold older counts; keep them")


def start_stats(settings: Settings, now: dt.datetime):
    """(recorder or None, problem or None) for the app: open the store, purge what retention says, record."""
    if not settings.stats_enabled:
        return None, None

    state = open_for_app(settings, now)
    if not state.available or state.store is None:
        return None, state.problem
    try:
        state.store.purge_expired(settings.stats_retention_months, now.date())  # retention setting
    except Exception:  # noqa: BLE001 - statistics must never stop the kiosk from starting
        _LOGGER.warning("stats purge failed")
    return StatsRecorder(state.store), None  # counts only; the dashboard reads recorder.store
