"""The summary as plain tables: the same numbers the charts draw, for screen readers,
CSV, reports and the CLI.

``tables(summary)`` returns ``{name: Table}`` in display order; ``charts.render_all``
draws one chart per table (except ``overview``).  ``suppressed(table, n)``
replaces counts 1..n-1 with the string ``"<n"`` (re-identification guard).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.stats.summary import STAGES, WEEKDAYS, Summary

STAGE_NAMES = {"stt": "Speech recognition", "mt": "Machine translation", "tts": "Speech output start"}


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]  # (label, value, ...)
    count_columns: tuple[int, ...] = (1,)  # columns holding counts (suppressible)
    guarded: bool = False  # blank the other columns of a row whose first count is suppressed
    exempt: tuple[str, ...] = ()  # row labels that count no people (never suppressed)


def language_name(code: str) -> str:
    from kiosk.languages import LANGUAGES

    lang = LANGUAGES.get(code)
    return f"{lang.english_name} ({code})" if lang else ("unknown" if code == "und" else code)


def tables(s: Summary) -> dict[str, Table]:
    out = [
        Table("overview", "Overview", ("Measure", "Count"), (
            ("Sessions (visits)", s.sessions),
            ("Conversations (1+ turns)", s.conversations),
            ("Turns", s.turns),
            ("Tablets", s.installs),
            ("Understood", s.understood),
            ("Say again", s.say_again),
            ("Unsure results shown", s.unsure_shown),
            ("Verified phrases", s.verified),
            ("Translations via English", s.pivots),
            ("Dropped statistics writes", s.dropped_writes),
        ), exempt=("Tablets", "Dropped statistics writes")),
        Table("uses_by_day", "Uses per day", ("Day", "Sessions", "Conversations"),
              tuple((d.isoformat(), n, s.conversations_by_day.get(d, 0)) for d, n in s.by_day.items()),
              count_columns=(1, 2)),
        Table("uses_by_week", "Uses per week", ("Week starting", "Sessions"),
              tuple((d.isoformat(), n) for d, n in s.by_week.items())),
        Table("uses_by_month", "Uses per month", ("Month", "Sessions"), tuple(s.by_month.items())),
        Table("by_language", "Sessions by visitor language", ("Visitor language", "Sessions"),
              tuple((language_name(k), n) for k, n in s.by_language.items())),
        Table("by_staff_language", "Sessions by staff language", ("Staff language", "Sessions"),
              tuple((language_name(k), n) for k, n in s.by_staff_language.items())),
        Table("by_hour", "Sessions by hour of day", ("Hour", "Sessions"),
              tuple((f"{h:02d}:00", n) for h, n in enumerate(s.by_hour))),
        Table("by_weekday", "Sessions by weekday", ("Weekday", "Sessions"), tuple(zip(WEEKDAYS, s.by_weekday))),
        Table("by_mode", "Sessions by mode", ("Mode", "Sessions"), tuple(s.by_mode.items())),
        Table("by_input", "Turns by input", ("Input", "Turns"), tuple(s.by_input.items())),
        Table("outcomes", "Understood vs say again", ("Outcome", "Count"),
              (("Understood", s.understood), ("Say again", s.say_again))),
        Table("failures", "Failures by error code", ("Error code", "Count"), tuple(s.failures.items())),
        Table("latency", "Stage latency (per-session medians)", ("Stage", "Sessions", "p50 (ms)", "p90 (ms)"),
              tuple((STAGE_NAMES[k], s.latency[k].n, s.latency[k].p50_ms, s.latency[k].p90_ms)
                    for k in STAGES if k in s.latency), guarded=True),
    ]  # fmt: skip
    return {t.name: t for t in out}


def mask(value, below: int):
    """``"<N"`` for counts 1..N-1 when suppression is on; the value otherwise."""
    if below > 1 and isinstance(value, int) and 0 < value < below:
        return f"<{below}"
    return value


def suppressed(table: Table, below: int) -> Table:
    if below <= 1:
        return table
    rows = []
    for row in table.rows:
        if row[0] in table.exempt:
            rows.append(row)
            continue
        new = list(row)
        for i in table.count_columns:
            new[i] = mask(row[i], below)
        if table.guarded and isinstance(new[table.count_columns[0]], str):
            new = [v if i == 0 or i in table.count_columns else None for i, v in enumerate(new)]
        rows.append(tuple(new))
    return replace(table, rows=tuple(rows))


def cell(value) -> str:
    return "" if value is None else str(value)


def as_text(table: Table) -> str:
    """A plain aligned text table (CLI ``stats summary``)."""
    cells = [tuple(table.headers)] + [tuple(cell(v) for v in r) for r in table.rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(table.headers))]
    lines = [table.title, "-" * len(table.title)]
    for r in cells:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(lines)
