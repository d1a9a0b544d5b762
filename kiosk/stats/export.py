"""CSV export and HTML / PDF reports of a summary, with small-count suppression.

    export_csv(summary, "stats.csv", suppress_below=5)
    report(summary, "report.html", suppress_below=5)   # or "report.pdf"
    report(summary, "report.pdf", lang="ja")            # worded in Japanese

CSV columns: ``section,item,measure,value`` (one row per number; counts
1..N-1 written as ``<N``).  Reports hold the charts (PNG embedded in HTML,
vector pages in PDF) and, after each, a table with the same numbers.  CSV stays
English (machine-readable); reports take ``lang``.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import os
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.stats.charts import font_context, render, to_png
from kiosk.stats.summary import Summary
from kiosk.stats.tables import Table, cell, labels, suppressed, tables

_PDF_FIRST_ROWS = 24  # table rows under a chart
_PDF_ROWS_PER_PAGE = 50


def export_csv(summary: Summary, out, *, suppress_below: int = 0) -> None:
    """Write the summary as CSV to a path or a text file object."""
    if isinstance(out, (str, os.PathLike)):
        with open(out, "w", encoding="utf-8", newline="") as f:
            export_csv(summary, f, suppress_below=suppress_below)
        return
    w = csv.writer(out, lineterminator="\n")
    w.writerow(("section", "item", "measure", "value"))
    w.writerow(("period", "from", "date", _day(summary.date_from)))
    w.writerow(("period", "to", "date", _day(summary.date_to)))
    w.writerow(("period", "suppressed_below", "count", suppress_below if suppress_below > 1 else 0))
    for name, table in tables(summary).items():
        t = suppressed(table, suppress_below)
        for row in t.rows:
            for header, value in zip(t.headers[1:], row[1:], strict=True):
                w.writerow((name, row[0], header, cell(value)))


def csv_text(summary: Summary, *, suppress_below: int = 0) -> str:
    buf = io.StringIO()
    export_csv(summary, buf, suppress_below=suppress_below)
    return buf.getvalue()


def check_report_path(out: str | os.PathLike[str]) -> Path:
    """The report path, if its suffix names a format ``report`` writes (.html, .htm, .pdf)."""
    path = Path(out)
    if path.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise KioskError("stats.bad_report_file", f"Report file must end in .html or .pdf, not {path.name!r}.")
    return path


def report(summary: Summary, out: str | os.PathLike[str], *, suppress_below: int = 0, title: str = "",
           lang: str = "en") -> Path:
    """Write an HTML (embedded PNG charts) or PDF report in ``lang``; the suffix of ``out`` decides."""
    path = check_report_path(out)
    suffix = path.suffix.lower()
    text = labels(lang)
    title = title or text("report_title", period=period_text(summary, lang))
    if suffix == ".pdf":
        _pdf(summary, path, suppress_below, title, lang)
    else:
        path.write_text(html_report(summary, suppress_below=suppress_below, title=title, lang=lang), encoding="utf-8")
    return path


def period_text(summary: Summary, lang: str = "en") -> str:
    days = list(summary.by_day)
    first = summary.date_from or (days[0] if days else None)
    last = summary.date_to or (days[-1] if days else None)
    text = labels(lang)
    if first is None or last is None:
        return text("all_time")
    return text("period", first=first.isoformat(), last=last.isoformat())


def report_sections(summary: Summary) -> list[str]:
    """Which tables a report shows: the time series fitting the period, then the breakdowns."""
    span = (max(summary.by_day) - min(summary.by_day)).days + 1 if summary.by_day else 0
    series = (
        ["uses_by_day"] if span <= 62 else (["uses_by_week", "uses_by_month"] if span <= 400 else ["uses_by_month"])
    )
    rest = ["by_language", "by_hour", "by_weekday", "by_mode", "by_input", "outcomes", "failures", "latency",
            "by_staff_language"]  # fmt: skip
    return ["overview"] + series + rest


def html_report(summary: Summary, *, suppress_below: int = 0, title: str = "", lang: str = "en") -> str:
    text = labels(lang)
    all_tables = tables(summary, lang)
    note = text("counts_only") + " " + text("generated", date=dt.date.today().isoformat())
    if suppress_below > 1:
        note += " " + text("shown_below", n=suppress_below)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:860px;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:0.5em 0 2em}td,th{border:1px solid #bbb;padding:2px 8px}"
        "td.n{text-align:right}caption{text-align:left;font-weight:bold}img{max-width:100%}</style>",
        f"</head><body><h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(note, quote=False)}</p>",
    ]
    for name in report_sections(summary):
        table = all_tables[name]
        parts.append(f'<section id="{name}"><h2>{html.escape(table.title)}</h2>')
        if name != "overview":
            with font_context(lang):
                png = to_png(render(table, suppress_below=suppress_below, lang=lang))
            alt = html.escape(text("chart_alt", title=table.title))
            parts.append(f'<img alt="{alt}" src="data:image/png;base64,{base64.b64encode(png).decode()}">')
        parts.append(_html_table(suppressed(table, suppress_below)))
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_table(t: Table) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in t.headers)
    body = []
    for row in t.rows:
        cells = [f'<th scope="row">{html.escape(cell(row[0]))}</th>']
        cells += [f'<td class="n">{html.escape(cell(v))}</td>' for v in row[1:]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><caption>{html.escape(t.title)}</caption><tr>{head}</tr>{''.join(body)}</table>"


def _pdf(summary: Summary, path: Path, suppress_below: int, title: str, lang: str = "en") -> None:
    """A4 pages: the title and overview, then per section its chart with its table below."""
    from matplotlib.backends.backend_pdf import PdfPages

    text = labels(lang)
    all_tables = tables(summary, lang)
    buf = io.BytesIO()  # built in memory (a few hundred KB), then written once: a full disk is one OSError
    with font_context(lang), PdfPages(buf, metadata={"Title": title, "Creator": "kiosk"}) as pdf:
        for name in report_sections(summary):
            table = all_tables[name]
            shown = suppressed(table, suppress_below)
            page = _a4()
            if name == "overview":
                top, bottom = page.subfigures(2, 1, height_ratios=(1, 5))
                top.text(0.02, 0.7, title, fontsize=15, fontweight="bold")
                note = text("counts_only")
                if suppress_below > 1:
                    note += " " + text("shown_below", n=suppress_below)
                top.text(0.02, 0.35, note, fontsize=9, color="#444")
                rows, rest = shown.rows, shown.rows[len(shown.rows):]
            else:
                top, bottom = page.subfigures(2, 1, height_ratios=(1, 1.4))
                render(table, suppress_below=suppress_below, fig=top, lang=lang)
                rows, rest = shown.rows[:_PDF_FIRST_ROWS], shown.rows[_PDF_FIRST_ROWS:]
            _draw_table(bottom, shown, rows, text=text)
            pdf.savefig(page)
            for start in range(0, len(rest), _PDF_ROWS_PER_PAGE):
                more = _a4()
                _draw_table(more, shown, rest[start : start + _PDF_ROWS_PER_PAGE], continued=True, text=text)
                pdf.savefig(more)
    path.write_bytes(buf.getvalue())


def _a4():
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    page = Figure(figsize=(8.27, 11.69), layout=ConstrainedLayoutEngine(w_pad=0.5, h_pad=0.5))  # A4, inches of margin
    return page


def _draw_table(fig, t: Table, rows, *, continued: bool = False, text=None) -> None:
    """The rows as a table at the top of ``fig``: labels left, numbers right."""
    text = text or labels("en")
    from matplotlib.table import Table as MplTable

    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_title(t.title + (" " + text("continued") if continued else ""), loc="left", fontsize=11, fontweight="bold")
    if not rows:
        ax.text(0, 1, text("no_data"), va="top", fontsize=10, color="#666", transform=ax.transAxes)
        return
    height = min(0.06, 1.0 / (len(rows) + 1))
    widths = [0.46] + [0.54 / (len(t.headers) - 1)] * (len(t.headers) - 1)
    tab = MplTable(ax, loc="upper left")
    for r, values in enumerate([t.headers, *rows]):
        for c, value in enumerate(values):
            cell_ = tab.add_cell(r, c, widths[c], height, text=cell(value), loc="left" if c == 0 else "right",
                                 facecolor="#e8eef4" if r == 0 else "white")  # fmt: skip
            cell_.set_edgecolor("#999")
            if r == 0:
                cell_.get_text().set_fontweight("bold")
    tab.auto_set_font_size(False)
    tab.set_fontsize(9)
    ax.add_table(tab)


def _day(d: dt.date | None) -> str:
    return d.isoformat() if d else ""
