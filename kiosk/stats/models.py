"""SQLAlchemy 2 ORM models for the counts-only statistics store.

The same models serve the tablet's SQLite file and the fleet's PostgreSQL
database.  No column holds text a visitor said or typed: languages are
two-letter codes, failures are stable error codes, everything else is a count,
a bucket, a day or an hour.  The schema is created and upgraded only by the
Alembic migrations in ``kiosk/stats/migrations`` (a test checks they match).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about this store (``install_id``)."""

    __tablename__ = "stats_meta"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))


class Counter(Base):
    """Named counters about the store itself (e.g. ``write_dropped``)."""

    __tablename__ = "stats_counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class SessionRow(Base):
    """One conversation (or one attract-screen visit with 0 turns)."""

    __tablename__ = "stats_sessions"
    __table_args__ = (Index("ix_stats_sessions_day", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    install_id: Mapped[str] = mapped_column(String(36))
    app_version: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(8))
    visitor_language: Mapped[str] = mapped_column(String(8))
    staff_language: Mapped[str] = mapped_column(String(8))
    day: Mapped[dt.date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    duration_s: Mapped[int] = mapped_column(Integer)  # floored to 10 s
    turns: Mapped[int] = mapped_column(Integer, default=0)
    turns_speech: Mapped[int] = mapped_column(Integer, default=0)
    turns_typed: Mapped[int] = mapped_column(Integer, default=0)
    turns_phrasebook: Mapped[int] = mapped_column(Integer, default=0)
    understood: Mapped[int] = mapped_column(Integer, default=0)
    say_again: Mapped[int] = mapped_column(Integer, default=0)
    unsure_shown: Mapped[int] = mapped_column(Integer, default=0)
    verified: Mapped[int] = mapped_column(Integer, default=0)
    pivots: Mapped[int] = mapped_column(Integer, default=0)
    failures_total: Mapped[int] = mapped_column(Integer, default=0)
    # per-session medians, rounded to 100 ms; NULL when the stage never ran
    stt_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mt_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tts_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # revision 0002
    end_reason: Mapped[str] = mapped_column(String(16), default="finished", server_default="finished")

    failures: Mapped[list[FailureCount]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )


class FailureCount(Base):
    """How often one error code happened in one session."""

    __tablename__ = "stats_failures"
    __table_args__ = (UniqueConstraint("session_uuid", "code", name="uq_stats_failures_session_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_uuid: Mapped[str] = mapped_column(
        String(36), ForeignKey("stats_sessions.uuid", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(48))
    count: Mapped[int] = mapped_column(Integer)

    session: Mapped[SessionRow] = relationship(back_populates="failures")


class PushMark(Base):
    """High-water mark: the last local session id sent to a fleet database (revision 0002)."""

    __tablename__ = "stats_push_marks"
    target: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the URL without password
    last_id: Mapped[int] = mapped_column(Integer, default=0)
