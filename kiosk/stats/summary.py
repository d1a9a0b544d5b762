"""Aggregates over a date range: the numbers behind the dashboard, charts, CSV and reports.

Every breakdown counts *sessions* (a visit with 0 turns is a session too);
``conversations`` counts sessions with at least one turn.  Latencies are
percentiles over the per-session medians (already rounded to 100 ms).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

STAGES = ("stt", "mt", "tts")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MAX_FILL_DAYS = 3 * 366


@dataclass
class Latency:
    n: int  # sessions where the stage ran
    p50_ms: int | None
    p90_ms: int | None


@dataclass
class Summary:
    date_from: dt.date | None
    date_to: dt.date | None
    sessions: int = 0
    conversations: int = 0
    turns: int = 0
    installs: int = 0
    by_day: dict[dt.date, int] = field(default_factory=dict)  # sessions per day (gaps filled with 0)
    conversations_by_day: dict[dt.date, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)  # visitor language
    by_staff_language: dict[str, int] = field(default_factory=dict)
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    by_weekday: list[int] = field(default_factory=lambda: [0] * 7)  # Monday first
    by_mode: dict[str, int] = field(default_factory=dict)
    by_input: dict[str, int] = field(default_factory=lambda: {"speech": 0, "typed": 0, "phrasebook": 0})
    understood: int = 0
    say_again: int = 0
    unsure_shown: int = 0
    verified: int = 0
    pivots: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # error code -> count
    latency: dict[str, Latency] = field(default_factory=dict)  # "stt" | "mt" | "tts"
    dropped_writes: int = 0  # local store only

    @property
    def by_week(self) -> dict[dt.date, int]:
        """Sessions per ISO week, keyed by the week's Monday."""
        out: dict[dt.date, int] = {}
        for day, n in self.by_day.items():
            monday = day - dt.timedelta(days=day.weekday())
            out[monday] = out.get(monday, 0) + n
        return out

    @property
    def by_month(self) -> dict[str, int]:
        """Sessions per calendar month, keyed ``YYYY-MM``."""
        out: dict[str, int] = {}
        for day, n in self.by_day.items():
            key = f"{day.year:04d}-{day.month:02d}"
            out[key] = out.get(key, 0) + n
        return out


def percentile(sorted_values: list[int], q: float) -> int | None:
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None

    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def build_summary(s, date_from: dt.date | None, date_to: dt.date | None) -> Summary:
    """Run the aggregate queries in ORM session ``s`` (works on SQLite and PostgreSQL)."""
    from sqlalchemy import case, func, select

    from kiosk.stats.models import FailureCount
    from kiosk.stats.models import SessionRow as R

    where = []
    if date_from is not None:
        where.append(R.day >= date_from)
    if date_to is not None:
        where.append(R.day <= date_to)
    out = Summary(date_from, date_to)
    talked = case((R.turns > 0, 1), else_=0)

    totals = s.execute(
        select(
            func.count(), func.sum(talked), func.sum(R.turns), func.count(func.distinct(R.install_id)),
            func.sum(R.turns_speech), func.sum(R.turns_typed), func.sum(R.turns_phrasebook),
            func.sum(R.understood), func.sum(R.say_again), func.sum(R.unsure_shown),
            func.sum(R.verified), func.sum(R.pivots),
        ).where(*where)
    ).one()  # fmt: skip
    t = [int(v or 0) for v in totals]
    out.sessions, out.conversations, out.turns, out.installs = t[:4]
    out.by_input = {"speech": t[4], "typed": t[5], "phrasebook": t[6]}
    out.understood, out.say_again, out.unsure_shown, out.verified, out.pivots = t[7:]

    for day, n, c in s.execute(select(R.day, func.count(), func.sum(talked)).where(*where).group_by(R.day)):
        out.by_day[day] = int(n)
        out.conversations_by_day[day] = int(c or 0)
    _fill_days(out)

    def grouped(col) -> dict:
        rows = s.execute(select(col, func.count()).where(*where).group_by(col).order_by(func.count().desc(), col))
        return {k: int(n) for k, n in rows}

    out.by_language = grouped(R.visitor_language)
    out.by_staff_language = grouped(R.staff_language)
    out.by_mode = grouped(R.mode)
    for h, n in grouped(R.hour).items():
        out.by_hour[int(h)] = n
    for w, n in grouped(R.weekday).items():
        out.by_weekday[int(w)] = n

    fails = s.execute(
        select(FailureCount.code, func.sum(FailureCount.count))
        .join(R, R.uuid == FailureCount.session_uuid)
        .where(*where)
        .group_by(FailureCount.code)
        .order_by(func.sum(FailureCount.count).desc(), FailureCount.code)
    )
    out.failures = {code: int(n) for code, n in fails}

    for stage in STAGES:
        col = getattr(R, f"{stage}_ms")
        values = sorted(int(v) for v in s.scalars(select(col).where(col.is_not(None), *where)))
        out.latency[stage] = Latency(len(values), percentile(values, 50), percentile(values, 90))
    return out


def _fill_days(out: Summary) -> None:
    if not out.by_day and (out.date_from is None or out.date_to is None):
        return
    first = out.date_from or min(out.by_day)
    last = out.date_to or max(out.by_day)
    if (last - first).days > _MAX_FILL_DAYS or last < first:
        out.by_day = dict(sorted(out.by_day.items()))
        out.conversations_by_day = dict(sorted(out.conversations_by_day.items()))
        return
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    out.by_day = {d: out.by_day.get(d, 0) for d in days}
    out.conversations_by_day = {d: out.conversations_by_day.get(d, 0) for d in days}
