"""Charts for the dashboard and reports: matplotlib (Agg, no pyplot) → PNG bytes.

    pngs = render_all(summary)                    # {table name: PNG bytes}
    pngs = render_all(summary, suppress_below=5)  # bars for counts 1..4 not drawn
    pngs = render_all(summary, lang="ja")         # titles and labels in Japanese

Text is drawn in Noto Sans CJK (fonts-noto-cjk: kana, hanzi, hangul, Vietnamese
Latin) when it is installed, inside ``font_context(lang)`` (a local rc_context;
nothing global is changed at import).  Draw *and* save inside the context: tick
labels are made when the figure is drawn.

One chart per table of ``kiosk.stats.tables.tables(summary)`` (not
``overview``); the tables hold the same numbers for screen readers.  Kivy can
show a PNG with ``CoreImage(io.BytesIO(png), ext="png")``.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

from kiosk.errors import KioskError
from kiosk.fonts import CANDIDATES, find_font
from kiosk.stats.summary import Summary
from kiosk.stats.tables import Table, labels, mask, tables

SIZE = (8.0, 4.2)  # inches; at DPI 100 → 800 × 420 px
DPI = 100
MAIN = "#2f6b9a"
SECOND = "#a9c7de"
BAD = "#c0504d"
FACES = {"zh": "Noto Sans CJK SC", "ko": "Noto Sans CJK KR"}  # regional glyph shapes; others use JP


def render_all(summary: Summary, *, suppress_below: int = 0, dpi: int = DPI, lang: str = "en") -> dict[str, bytes]:
    """Every chart as PNG bytes, keyed like the tables, worded in ``lang``."""
    out = {}
    with font_context(lang):
        for name, table in tables(summary, lang).items():
            if name == "overview":
                continue
            fig = render(table, suppress_below=suppress_below, lang=lang)
            out[name] = to_png(fig, dpi=dpi)
    return out


def chart_font(lang: str = "en", candidates=None) -> str | None:
    """The Noto Sans CJK family name for ``lang`` (registered with matplotlib), or None without the font."""
    from matplotlib import font_manager

    try:
        files = find_font(candidates or CANDIDATES)
    except KioskError:
        return None
    manager = font_manager.fontManager
    for path in dict.fromkeys(files):
        if not any(f.fname == path for f in manager.ttflist):
            manager.addfont(path)
    names = {f.name for f in manager.ttflist if f.fname == files[0]}
    wanted = FACES.get(lang, "Noto Sans CJK JP")
    return wanted if wanted in names else font_manager.FontProperties(fname=files[0]).get_name()


@contextmanager
def font_context(lang: str = "en", candidates=None):
    """Charts made and saved inside use Noto Sans CJK (default font if it is not installed)."""
    import matplotlib as mpl

    family = chart_font(lang, candidates)
    if family is None:
        yield
        return
    with mpl.rc_context({"font.family": [family, "DejaVu Sans"]}):
        yield


def to_png(fig, dpi: int = DPI) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def render(table: Table, *, suppress_below: int = 0, fig=None, lang: str = "en"):
    """Draw one table's chart on a new Figure (or on ``fig``, e.g. a SubFigure of a report page).

    Call inside ``font_context(lang)`` (as ``render_all`` does) so CJK text has glyphs."""
    text = labels(lang)
    if fig is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.subplots()
    ax.set_title(table.title, loc="left", fontsize=13, fontweight="bold")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    drawn = _draw(ax, table, suppress_below, text)
    if not drawn:
        ax.set_axis_off()
        empty = not any(r[c] for r in table.rows for c in table.count_columns)
        note = text("no_data") if empty else text("all_below", n=suppress_below)
        ax.text(0.5, 0.5, note, ha="center", va="center", fontsize=12, color="#666", transform=ax.transAxes)
    elif suppress_below > 1 and _any_masked(table, suppress_below):
        fig.text(0.01, 0.005, text("not_drawn", n=suppress_below), fontsize=8, color="#666")
    return fig


def _any_masked(table: Table, below: int) -> bool:
    return any(isinstance(mask(r[i], below), str) for r in table.rows for i in table.count_columns)


def _vals(table: Table, col: int, below: int) -> tuple[list[int], list[str]]:
    """Values to draw (masked counts drawn as 0) and their bar labels."""
    values, labels = [], []
    for r in table.rows:
        shown = mask(r[col], below)
        values.append(0 if isinstance(shown, str) or shown is None else int(shown))
        labels.append(str(shown) if isinstance(shown, str) else (f"{shown:,}" if shown else ""))
    return values, labels


def _draw(ax, t: Table, below: int, text) -> bool:
    shown = [mask(r[c], below) for r in t.rows for c in t.count_columns]
    if not any(isinstance(v, int) and v > 0 for v in shown):
        return False
    if t.name in ("uses_by_day", "uses_by_week"):
        _dates(ax, t, below)
    elif t.name in ("by_hour", "by_weekday", "uses_by_month"):
        values, labels = _vals(t, 1, below)
        bars = ax.bar([str(r[0]) for r in t.rows], values, color=MAIN)
        if len(t.rows) <= 24:
            ax.bar_label(bars, labels=labels, fontsize=8, padding=2)
        ax.set_ylabel(t.headers[1])
        _integer_ticks(ax.yaxis)
        if t.name == "by_hour":
            ax.tick_params(axis="x", labelrotation=90, labelsize=8)
    elif t.name == "outcomes":
        _outcomes(ax, t, below)
    elif t.name == "latency":
        _latency(ax, t, below, text)
    else:  # categories: horizontal bars, largest on top
        values, labels = _vals(t, 1, below)
        color = BAD if t.name == "failures" else MAIN
        bars = ax.barh([str(r[0]) for r in t.rows], values, color=color)
        ax.bar_label(bars, labels=labels, fontsize=9, padding=3)
        ax.invert_yaxis()
        ax.set_xlabel(t.headers[1])
        ax.margins(x=0.12)
        _integer_ticks(ax.xaxis)
    return True


def _integer_ticks(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _dates(ax, t: Table, below: int) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    days = [dt.date.fromisoformat(r[0]) for r in t.rows]
    weekly = t.name == "uses_by_week"
    width = 6.0 if weekly else 0.8  # a week's bar spans Monday to Saturday
    sessions, labels = _vals(t, 1, below)
    bars = ax.bar(days, sessions, width=width, align="edge" if weekly else "center",
                  color=SECOND if len(t.headers) > 2 else MAIN, label=t.headers[1])  # fmt: skip
    if weekly and len(days) <= 30:
        ax.bar_label(bars, labels=labels, fontsize=8, padding=2)
    if len(t.headers) > 2:
        talks, _ = _vals(t, 2, below)
        ax.bar(days, talks, width=width * 0.6, color=MAIN, label=t.headers[2])
        ax.legend(frameon=False, fontsize=9)
    loc = AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(loc)
    # numeric (ISO-style) dates: no English month names in a Japanese/Korean/... report
    ax.xaxis.set_major_formatter(ConciseDateFormatter(
        loc, formats=["%Y", "%Y-%m", "%m-%d", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%Y-%m", "%m-%d", "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"]))
    ax.set_ylabel(t.headers[1])
    _integer_ticks(ax.yaxis)


def _outcomes(ax, t: Table, below: int) -> None:
    values, labels = _vals(t, 1, below)
    total = sum(values) or 1
    left = 0.0
    for (name, *_), v, lab, color in zip(t.rows, values, labels, (MAIN, BAD), strict=False):
        share = v / total
        ax.barh([0], [share], left=left, color=color, height=0.6)
        if share > 0.08:
            ax.text(left + share / 2, 0, f"{name}\n{share:.0%} ({lab})", ha="center", va="center", color="white",
                    fontsize=11, fontweight="bold")
        left += share
    ax.set_xlim(0, 1)
    ax.set_ylim(-1.2, 1.2)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
    ax.spines["left"].set_visible(False)


def _latency(ax, t: Table, below: int, text) -> None:
    import numpy as np

    shown = [r for r in t.rows if not isinstance(mask(r[1], below), str) and r[2] is not None]
    x = np.arange(len(shown))
    for offset, col, color, name in ((-0.2, 2, MAIN, text("median")), (0.2, 3, SECOND, "p90")):
        secs = [r[col] / 1000 for r in shown]
        bars = ax.bar(x + offset, secs, width=0.4, color=color, label=name)
        ax.bar_label(bars, labels=[f"{v:.1f} s" for v in secs], fontsize=9, padding=2)
    ax.set_xticks(x, [r[0] for r in shown])
    ax.set_ylabel(text("seconds"))
    ax.legend(frameon=False, fontsize=9)
    ax.margins(y=0.15)
