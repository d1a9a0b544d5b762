"""Charts, tables, CSV export with suppression, HTML/PDF reports, and the `kiosk stats` CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct

import pytest

from kiosk.cli import main
from kiosk.config import save_settings
from kiosk.errors import KioskError
from kiosk.stats.charts import render_all
from kiosk.stats.export import csv_text, report
from kiosk.stats.store import SessionRecord, open_store
from kiosk.stats.summary import Latency, Summary
from kiosk.stats.tables import suppressed, tables

CHARTS = {"uses_by_day", "uses_by_week", "uses_by_month", "by_language", "by_staff_language", "by_hour",
          "by_weekday", "by_mode", "by_input", "outcomes", "failures", "latency"}  # fmt: skip


def fill(store) -> None:
    """vi: 12 sessions, ko: 6, zh: 3, en: 1 (all in May 2025), one old session in March."""
    for lang, n in (("vi", 12), ("ko", 6), ("zh", 3), ("en", 1)):
        for k in range(n):
            day = dt.date(2025, 5, 1 + k)
            store.add_session(SessionRecord(
                mode="kiosk" if k == 0 else "counter", visitor_language=lang, staff_language="ja", day=day,
                hour=9 + k % 3, weekday=day.weekday(), turns=2, turns_speech=1, turns_typed=1, understood=2,
                say_again=k % 2, stt_ms=400 + 100 * k, mt_ms=900, tts_ms=None if lang == "en" else 300,
                failures=(("mt.bad_pack", 1),) if k == 0 else (),
            ))  # fmt: skip
    store.add_session(SessionRecord(mode="counter", visitor_language="vi", staff_language="ja",
                                    day=dt.date(2025, 3, 3), hour=9, weekday=0, turns=1))  # fmt: skip


@pytest.fixture
def filled(settings):
    with open_store(settings) as store:
        fill(store)
    return settings


@pytest.fixture
def may(filled):
    with open_store(filled) as store:
        return store.summary(dt.date(2025, 5, 1), dt.date(2025, 5, 31))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_chart_renders_as_png(may):
    pngs = render_all(may)
    assert set(pngs) == CHARTS
    for name, data in pngs.items():
        assert png_size(data) == (800, 420), name


def test_charts_of_an_empty_period_still_render():
    pngs = render_all(Summary(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    assert set(pngs) == CHARTS and all(png_size(p) == (800, 420) for p in pngs.values())


def test_tables_hold_the_chart_numbers(may):
    t = tables(may)
    assert set(t) == CHARTS | {"overview"}
    assert t["by_language"].rows == (("Vietnamese (vi)", 12), ("Korean (ko)", 6),
                                     ("Chinese (Simplified) (zh)", 3), ("English (en)", 1))  # fmt: skip
    assert dict(t["overview"].rows)["Sessions (visits)"] == 22
    assert t["by_hour"].rows[9:12] == (("09:00", 8), ("10:00", 7), ("11:00", 7))
    assert t["outcomes"].rows == (("Understood", 44), ("Say again", 10))
    assert t["failures"].rows == (("Translation pack damaged", 4),)  # words, not mt.bad_pack
    assert t["latency"].rows[2] == ("Speech output start", 21, 300, 300)
    assert len(t["uses_by_day"].rows) == 31 and t["uses_by_day"].rows[0] == ("2025-05-01", 4, 4)


def test_suppression_masks_small_counts_only(may):
    t = tables(may)
    lang = suppressed(t["by_language"], 5).rows
    assert lang == (("Vietnamese (vi)", 12), ("Korean (ko)", 6), ("Chinese (Simplified) (zh)", "<5"),
                    ("English (en)", "<5"))  # fmt: skip
    day = dict((r[0], r[1:]) for r in suppressed(t["uses_by_day"], 5).rows)
    assert day["2025-05-01"] == ("<5", "<5") and day["2025-05-31"] == (0, 0)
    overview = dict(suppressed(t["overview"], 5).rows)
    assert overview["Tablets"] == 1 and overview["Sessions (visits)"] == 22
    assert suppressed(t["by_language"], 0) is t["by_language"]
    few = Summary(None, None)

    few.latency = {"stt": Latency(3, 500, 700), "mt": Latency(8, 900, 1200), "tts": Latency(0, None, None)}
    rows = suppressed(tables(few)["latency"], 5).rows
    assert rows == (("Speech recognition", "<5", None, None), ("Machine translation", 8, 900, 1200),
                    ("Speech output start", 0, None, None))  # fmt: skip


def test_csv_export(may):
    rows = list(csv.reader(io.StringIO(csv_text(may, suppress_below=5))))
    assert rows[0] == ["section", "item", "measure", "value"]
    assert ["period", "from", "date", "2025-05-01"] in rows and ["period", "suppressed_below", "count", "5"] in rows
    assert ["by_language", "Vietnamese (vi)", "Sessions", "12"] in rows
    assert ["by_language", "English (en)", "Sessions", "<5"] in rows
    assert ["uses_by_day", "2025-05-02", "Conversations", "<5"] in rows
    assert ["latency", "Speech recognition", "p50 (ms)", "700"] in rows
    raw = list(csv.reader(io.StringIO(csv_text(may))))
    assert ["by_language", "English (en)", "Sessions", "1"] in raw


def test_html_report_embeds_charts_and_tables(may, tmp_path):
    path = report(may, tmp_path / "may.html", suppress_below=5)
    text = path.read_text(encoding="utf-8")
    assert "<title>Translation kiosk usage, 2025-05-01 to 2025-05-31</title>" in text
    assert text.count('src="data:image/png;base64,') == 10  # day series + 9 breakdowns
    assert 'alt="Chart: Sessions by visitor language; the table below has the same numbers."' in text
    assert '<th scope="row">English (en)</th><td class="n">&lt;5</td>' in text
    assert "Counts below 5 are shown as &lt;5." in text


def test_pdf_report(may, tmp_path):
    path = report(may, tmp_path / "may.pdf", suppress_below=5)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 11  # overview + 10 chart pages


def test_report_needs_html_or_pdf(may, tmp_path):
    with pytest.raises(KioskError) as err:
        report(may, tmp_path / "may.docx")
    assert (err.value.code, err.value.message) == ("stats.bad_report_file", "Report file must end in .html or .pdf, "
                                                                            "not 'may.docx'.")


# ------------------------------------------------------------------- CLI
def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_export_csv_to_stdout_and_file(filled, capsys, tmp_path):
    d = str(filled.data_dir)
    code, out, _ = run(capsys, "--data-dir", d, "stats", "export", "--format", "csv", "--from", "2025-05-01",
                       "--to", "2025-05-31")  # fmt: skip
    assert code == 0
    assert "by_language,English (en),Sessions,<5\n" in out and "overview,Sessions (visits),Count,22\n" in out
    code, _, err = run(capsys, "--data-dir", d, "stats", "export", "--month", "2025-03",
                       "--out", str(tmp_path / "m.csv"), "--suppress-below", "0")  # fmt: skip
    assert code == 0 and err == f"wrote {tmp_path / 'm.csv'}\n"
    assert "by_language,Vietnamese (vi),Sessions,1\n" in (tmp_path / "m.csv").read_text(encoding="utf-8")


def test_cli_report_and_summary(filled, capsys, tmp_path):
    d = str(filled.data_dir)
    for name in ("r.html",):  # PDF: test_pdf_report and the privacy test
        code, out, _ = run(
            capsys, "--data-dir", d, "stats", "report", "--month", "2025-05", "--out", str(tmp_path / name)
        )
        assert code == 0 and out == f"wrote {tmp_path / name}\n"
    code, out, _ = run(capsys, "--data-dir", d, "stats", "summary", "--suppress-below", "0")
    assert code == 0
    assert "Sessions (visits)             23" in out and "Vietnamese (vi)                  13" in out


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["export", "--from", "2025-13-01"], "cli.bad_argument", "--from must be a date like 2025-04-30, not "
                                                                 "'2025-13-01'."),
        (["export", "--from", "2025-05-02", "--to", "2025-05-01"], "cli.bad_argument", "--from must not be after "
                                                                                       "--to."),
        (["export", "--month", "May"], "cli.bad_argument", "--month must look like 2025-04, not 'May'."),
        (["export", "--month", "2025-05", "--from", "2025-05-01"], "cli.bad_argument",
         "Use either --month or --from/--to, not both."),
        (["report", "--out", "r.txt"], "stats.bad_report_file", "Report file must end in .html or .pdf, not 'r.txt'."),
        (["purge", "--months", "-1"], "cli.bad_argument", "--months must be from 0 (keep everything) to 1200."),
        (["push", "--to", "postgresql://u@/x", "--batch-size", "0"], "stats.bad_batch_size", "Batch size must be at "
                                                                                             "least 1."),
        (["push", "--to", "sqlite:///x.db"], "stats.bad_database",
         "Push needs a fleet database URL starting with postgresql://."),
    ],
)
def test_cli_bad_arguments(settings, capsys, args, code, message):
    exit_code, _, err = run(capsys, "--data-dir", str(settings.data_dir), "stats", *args)
    assert (exit_code, err) == (1, f"error [{code}]: {message}\n")


def test_cli_purge_uses_the_retention_setting(filled, capsys):
    save_settings(filled.replace(stats_retention_months=1))
    code, out, _ = run(capsys, "--data-dir", str(filled.data_dir), "stats", "purge")
    assert code == 0 and out == "removed 23 sessions older than 1 months\n"  # all data is from 2025
    code, out, _ = run(capsys, "--data-dir", str(filled.data_dir), "stats", "purge", "--months", "0")
    assert out == "retention is off (0 months): kept all\n"


def test_cli_help_lists_the_stats_commands(capsys):
    with pytest.raises(SystemExit):
        main(["stats", "--help"])
    out = capsys.readouterr().out
    for name in ("summary", "export", "report", "push", "purge"):
        assert name in out
