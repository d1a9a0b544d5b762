"""The stats store: open a SQLite file (WAL) or a PostgreSQL URL, write session rows, purge.

``open_store(settings_or_url)`` runs the migrations, so an opened store always
has the newest schema.  Reading aggregates lives in ``kiosk.stats.summary``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import os
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import __version__
from kiosk.errors import KioskError
from kiosk.stats import migrate as migrations
from kiosk.stats.summary import build_summary

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.stats.summary import Summary

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionRecord:
    """What one finished session contributes: counts, buckets, codes; never text."""

    mode: str
    visitor_language: str
    staff_language: str
    day: dt.date
    hour: int
    weekday: int
    duration_s: int = 0
    turns: int = 0
    turns_speech: int = 0
    turns_typed: int = 0
    turns_phrasebook: int = 0
    understood: int = 0
    say_again: int = 0
    unsure_shown: int = 0
    verified: int = 0
    pivots: int = 0
    stt_ms: int | None = None
    mt_ms: int | None = None
    tts_ms: int | None = None
    end_reason: str = "finished"
    failures: tuple[tuple[str, int], ...] = ()
    uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))
    app_version: str = ""


def normalize_url(source: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a SQLite path, ``sqlite:///...`` or ``postgresql://...``."""
    text = os.fspath(source)
    if text.startswith(("postgresql://", "postgres://")):
        return _check_port("postgresql+psycopg://" + text.split("://", 1)[1])
    if text.startswith("postgresql+psycopg://"):
        return _check_port(text)
    if text.startswith("sqlite://"):
        return text
    if "://" in text:
        raise KioskError(
            "stats.bad_database",
            "Unsupported statistics database URL; use postgresql://USER@HOST/DBNAME or a SQLite file path.",
        )
    return f"sqlite:///{Path(text).expanduser()}"


def _check_port(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        port = make_url(url).port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise KioskError("stats.bad_database", f"The database address {safe_url(url)} has a bad port; use a number "
                                               "from 1 to 65535, e.g. postgresql://USER@HOST:5432/DBNAME.")
    return url


def safe_url(url) -> str:
    """The URL as given, with any password replaced by ``***`` (for messages and logs)."""
    return re.sub(r"(://[^/:@?]*:)[^@/?]*@", r"\1***@", str(url))


def target_key(url) -> str:
    """A stable key for a fleet database, without its password."""
    from sqlalchemy.engine import make_url

    u = make_url(str(url)).set(password=None, drivername="postgresql")
    return hashlib.sha256(u.render_as_string(hide_password=False).encode()).hexdigest()


def make_engine(url: str, *, readonly: bool = False):
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite") and readonly:
        return create_engine(url, connect_args={"timeout": 10})  # mode=ro in the URL: no pragmas that write
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no branch
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def open_store(source: Settings | str | os.PathLike[str], *, migrate: bool = True) -> StatsStore:
    """Open (creating and upgrading if needed) a stats store.

    ``source`` is a Settings object (its ``stats_db_path``), a SQLite file path,
    or a ``postgresql://`` URL (a fleet database).
    """
    from sqlalchemy.exc import SQLAlchemyError

    local = not isinstance(source, (str, os.PathLike)) or not os.fspath(source).startswith("postgres")
    if isinstance(source, (str, os.PathLike)):
        url = normalize_url(source)
    else:
        try:
            source.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KioskError("stats.bad_database", f"The data directory {source.data_dir} cannot be created "
                                                   f"({exc.strerror}); statistics are off.") from None
        url = normalize_url(source.stats_db_path)
    if local and url.startswith("sqlite:///"):
        path = Path(url.split(":///", 1)[1])
        if path.exists() and not path.is_file():
            raise KioskError("stats.damaged", f"The statistics database {path} is not a file. {_DAMAGED_FIX}")
    engine = make_engine(url)
    try:
        if migrate:
            migrations.upgrade(engine, where=safe_url(url).removeprefix("sqlite:///"))
        store = StatsStore(engine, local=local)
        if local:
            _ = store.install_id  # created once, stored in the database
    except SQLAlchemyError as exc:
        engine.dispose()
        raise bad_database(url, exc) from None
    except KioskError:
        engine.dispose()
        raise
    return store


_DAMAGED_FIX = ("The kiosk app keeps a damaged database aside (never deleted) and begins a new one at its next "
                "start; its counts stay in the file kept aside.")


def sqlite_error_name(exc: BaseException) -> str:
    """``SQLITE_FULL``, ``SQLITE_CORRUPT``, ... for a (wrapped) sqlite3 error, else the exception's type name."""
    return getattr(getattr(exc, "orig", exc), "sqlite_errorname", "") or type(exc).__name__


def bad_database(url: str, exc: BaseException) -> KioskError:
    name = sqlite_error_name(exc)
    _LOGGER.warning("stats database unusable: %s", name)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1].split("?", 1)[0].removeprefix("file:")
        if name in ("SQLITE_FULL",) or name.startswith("SQLITE_IOERR") and "full" in str(exc).lower():
            return KioskError("stats.disk_full", f"The disk holding the statistics database {path} is full; free "
                                                 "some space. The counts already in it are kept.")
        if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or name.startswith("SQLITE_CORRUPT"):
            return KioskError("stats.damaged", f"The statistics database {path} is damaged ({name}). {_DAMAGED_FIX}")
        return KioskError(
            "stats.bad_database",
            f"The statistics database {path} cannot be used ({name}); check that it is a file the kiosk may read "
            "and write, on a disk that is mounted writable.",
        )
    return KioskError(
        "stats.bad_database",
        f"Cannot use the statistics database at {safe_url(url)} ({type(exc).__name__}); "
        "check the address, user, password and that the server is running.",
    )


class StatsStore:
    """Counts-only statistics in one database (SQLite on a tablet, PostgreSQL for a fleet)."""

    def __init__(self, engine, *, local: bool = True) -> None:
        from sqlalchemy.orm import sessionmaker

        self.engine = engine
        self.local = local
        self.url = str(engine.url)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._install_id: str | None = None

    # ---------------------------------------------------------------- identity
    @property
    def install_id(self) -> str:
        """A random id for this tablet, created once (never hardware-derived)."""
        if self._install_id is None:
            from kiosk.stats.models import Meta

            with self._sessions.begin() as s:
                row = s.get(Meta, "install_id")
                if row is None:
                    row = Meta(key="install_id", value=str(uuidlib.uuid4()))
                    s.add(row)
                self._install_id = row.value
        return self._install_id

    # ------------------------------------------------------------------ writes
    def add_session(self, record: SessionRecord) -> None:
        """Write one session row and its failure counts in one transaction."""
        from kiosk.stats.models import FailureCount, SessionRow

        values: dict[str, Any] = {k: getattr(record, k) for k in _SESSION_FIELDS}
        values["app_version"] = record.app_version or __version__
        values["failures_total"] = sum(n for _, n in record.failures)
        row = SessionRow(install_id=self.install_id, **values)
        row.failures = [FailureCount(code=c, count=n) for c, n in record.failures]
        with self._sessions.begin() as s:
            s.add(row)

    def bump_counter(self, name: str, by: int = 1) -> None:
        from kiosk.stats.models import Counter

        with self._sessions.begin() as s:
            row = s.get(Counter, name)
            if row is None:
                s.add(Counter(name=name, value=by))
            else:
                row.value += by

    def counter(self, name: str) -> int:
        from kiosk.stats.models import Counter

        with self._sessions() as s:
            row = s.get(Counter, name)
            return row.value if row else 0

    def session_count(self) -> int:
        from sqlalchemy import func, select

        from kiosk.stats.models import SessionRow

        with self._sessions() as s:
            return s.scalar(select(func.count()).select_from(SessionRow)) or 0

    # ---------------------------------------------------------------- reading
    def summary(self, date_from: dt.date | None = None, date_to: dt.date | None = None) -> Summary:
        """Aggregates for the dashboard, charts and reports (see kiosk.stats.summary)."""
        with self._sessions() as s:
            summary = build_summary(s, date_from, date_to)
        if self.local:
            summary.dropped_writes = self.counter("write_dropped")
        return summary

    # -------------------------------------------------------------- retention
    def purge(self, before: dt.date) -> int:
        """Delete sessions (and their failure counts) from days before ``before``."""
        from sqlalchemy import delete, select

        from kiosk.stats.models import FailureCount, SessionRow

        old = select(SessionRow.uuid).where(SessionRow.day < before)
        with self._sessions.begin() as s:
            s.execute(delete(FailureCount).where(FailureCount.session_uuid.in_(old)))
            n = s.execute(delete(SessionRow).where(SessionRow.day < before)).rowcount  # type: ignore[attr-defined]
        _LOGGER.info("stats purge removed %d sessions", n)
        return n

    def purge_expired(self, months: int, today: dt.date) -> int:
        """Retention: delete what is older than ``months`` months before ``today`` (0 = keep all)."""
        if months <= 0:
            return 0
        return self.purge(months_before(today, months))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> StatsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_SESSION_FIELDS = (
    "uuid", "mode", "visitor_language", "staff_language", "day", "hour", "weekday", "duration_s",
    "turns", "turns_speech", "turns_typed", "turns_phrasebook", "understood", "say_again",
    "unsure_shown", "verified", "pivots", "stt_ms", "mt_ms", "tts_ms", "end_reason",
)  # fmt: skip


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (clamped to the month's last day)."""
    y, m = divmod(day.year * 12 + (day.month - 1) - months, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))
