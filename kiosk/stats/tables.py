"""The summary as plain tables: the same numbers the charts draw, for screen readers,
CSV, reports and the CLI.

``tables(summary, lang="ja")`` returns ``{name: Table}`` in display order, worded in
``lang`` from the ``stats_*`` keys of content/ui_strings.toml (default English); ``charts.render_all``
draws one chart per table (except ``overview``).  ``suppressed(table, n)``
replaces counts 1..n-1 with the string ``"<n"`` (re-identification guard).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from kiosk.content.load import default_content_dir, load_ui
from kiosk.languages import LANGUAGES, get
from kiosk.stats.summary import STAGES, WEEKDAYS, Summary

STAGE_KEYS = {"stt": "stage_stt", "mt": "stage_mt", "tts": "stage_tts"}
MODES = ("counter", "kiosk")  # modes with a translated name; others are shown as recorded
INPUTS = ("speech", "typed", "phrasebook")


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple, ...]  # (label, value, ...)
    count_columns: tuple[int, ...] = (1,)  # columns holding counts (suppressible)
    guarded: bool = False  # blank the other columns of a row whose first count is suppressed
    exempt: tuple[str, ...] = ()  # row labels that count no people (never suppressed)


def labels(lang: str = "en") -> Callable[..., str]:
    """``text(key, **fields)``: the ``stats_<key>`` UI string in ``lang`` (content/ui_strings.toml)."""
    get(lang)  # mt.unsupported_language for a code that is not one of the five
    ui = load_ui(default_content_dir())

    def text(key: str, **fields) -> str:
        value = ui.get("stats_" + key, lang)
        return value.format(**fields) if fields else value

    return text


def language_name(code: str, text: Callable[..., str] | None = None) -> str:
    """``"Vietnamese (vi)"`` (or ``"ベトナム語 (vi)"`` with Japanese ``text``); ``und`` is unknown."""
    text = text or labels("en")
    if code in LANGUAGES:
        return f"{text('lang_' + code)} ({code})"
    return text("lang_und") if code == "und" else code


FAILURES = ("audio.no_device", "audio.nothing_heard", "audio.too_long", "audio.bad_format", "text.too_long",
            "stt.missing_model", "stt.bad_model", "mt.missing_direction", "mt.bad_pack", "tts.missing_voice",
            "tts.engine_failed", "pipeline.internal", "pipeline.cancelled", "pipeline.empty_text")


def failure_name(code: str, text: Callable[..., str] | None = None) -> str:
    """What went wrong, in words (``mt.missing_direction`` → "No translation pack for the pair")."""
    text = text or labels("en")
    return text("fail_" + code.replace(".", "_")) if code in FAILURES else text("fail_other")


def tables(s: Summary, lang: str = "en") -> dict[str, Table]:
    """Every table with titles, headers and row labels in ``lang`` (failures in words, not codes)."""
    t = labels(lang)
    sessions = t("sessions")
    out = [
        Table("overview", t("overview"), (t("measure"), t("count")), (
            (t("sessions_visits"), s.sessions),
            (t("conversations_turns"), s.conversations),
            (t("turns"), s.turns),
            (t("tablets"), s.installs),
            (t("understood"), s.understood),
            (t("say_again"), s.say_again),
            (t("unsure_shown"), s.unsure_shown),
            (t("verified"), s.verified),
            (t("pivots"), s.pivots),
            (t("dropped_writes"), s.dropped_writes),
        ), exempt=(t("tablets"), t("dropped_writes"))),
        Table("uses_by_day", t("uses_by_day"), (t("day"), sessions, t("conversations")),
              tuple((d.isoformat(), n, s.conversations_by_day.get(d, 0)) for d, n in s.by_day.items()),
              count_columns=(1, 2)),
        Table("uses_by_week", t("uses_by_week"), (t("week_starting"), sessions),
              tuple((d.isoformat(), n) for d, n in s.by_week.items())),
        Table("uses_by_month", t("uses_by_month"), (t("month"), sessions), tuple(s.by_month.items())),
        Table("by_language", t("by_language"), (t("visitor_language"), sessions),
              tuple((language_name(k, t), n) for k, n in s.by_language.items())),
        Table("by_staff_language", t("by_staff_language"), (t("staff_language"), sessions),
              tuple((language_name(k, t), n) for k, n in s.by_staff_language.items())),
        Table("by_hour", t("by_hour"), (t("hour"), sessions),
              tuple((f"{h:02d}:00", n) for h, n in enumerate(s.by_hour))),
        Table("by_weekday", t("by_weekday"), (t("weekday"), sessions),
              tuple((t("weekday_" + d.lower()), n) for d, n in zip(WEEKDAYS, s.by_weekday, strict=True))),
        Table("by_mode", t("by_mode"), (t("mode"), sessions),
              tuple((t("mode_" + k) if k in MODES else k, n) for k, n in s.by_mode.items())),
        Table("by_input", t("by_input"), (t("input"), t("turns")),
              tuple((t("input_" + k) if k in INPUTS else k, n) for k, n in s.by_input.items())),
        Table("outcomes", t("outcomes"), (t("outcome"), t("count")),
              ((t("understood"), s.understood), (t("say_again"), s.say_again))),
        Table("failures", t("failures"), (t("failure"), t("count")), _failure_rows(s.failures, t)),
        Table("latency", t("latency"), (t("stage"), sessions, t("p50_ms"), t("p90_ms")),
              tuple((t(STAGE_KEYS[k]), s.latency[k].n, s.latency[k].p50_ms, s.latency[k].p90_ms)
                    for k in STAGES if k in s.latency), guarded=True),
    ]  # fmt: skip
    return {table.name: table for table in out}


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


def width(text: str) -> int:
    """Terminal columns: CJK (wide / full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def as_text(table: Table) -> str:
    """A plain aligned text table (CLI ``stats summary``)."""
    cells = [tuple(table.headers)] + [tuple(cell(v) for v in r) for r in table.rows]
    widths = [max(width(r[i]) for r in cells) for i in range(len(table.headers))]
    lines = [table.title, "-" * width(table.title)]
    for r in cells:
        pads = [" " * (w - width(c)) for c, w in zip(r, widths, strict=True)]
        lines.append("  ".join(c + p if i == 0 else p + c for i, (c, p) in enumerate(zip(r, pads, strict=True))))
    return "\n".join(lines)


def _failure_rows(failures: dict[str, int], t: Callable[..., str]) -> tuple[tuple[str, int], ...]:
    """Failures by name in words; codes without a name of their own add up under "other"."""
    out: dict[str, int] = {}
    for code, n in failures.items():
        name = failure_name(code, t)
        out[name] = out.get(name, 0) + n
    return tuple(out.items())
