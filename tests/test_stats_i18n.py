"""Statistics tables, charts, reports and CLI in the five languages (stats_* UI strings,
Noto Sans CJK in the charts: no tofu boxes)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.errors import KioskError
from kiosk.languages import CODES
from kiosk.stats.charts import chart_font, font_context, render, render_all, to_png
from kiosk.stats.export import report
from kiosk.stats.store import open_store
from kiosk.stats.tables import as_text, labels, suppressed, tables, width
from kiosk.ui.viewmodels.strings import load_strings
from tests.test_stats_reports import CHARTS, fill, png_size

STATS = Path(__file__).resolve().parent.parent / "kiosk" / "stats"
NO_FONT = (("/nonexistent/NotoSansCJK-Regular.ttc", "/nonexistent/NotoSansCJK-Bold.ttc"),)


@pytest.fixture(scope="module")
def may(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("data"), env={})
    with open_store(settings) as store:
        fill(store)
        summary = store.summary(dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    summary.by_mode = {**summary.by_mode, "roaming": 1}  # a mode with no translated name stays as recorded
    return summary, settings


@pytest.fixture(scope="module")
def cjk_font():
    family = chart_font("ja")
    if family is None:
        pytest.skip("fonts-noto-cjk is not installed")
    return family


def test_japanese_tables_are_worded_in_japanese(may):
    t = tables(may[0], "ja")
    assert set(t) == CHARTS | {"overview"}
    assert t["overview"].title == "概要" and t["overview"].headers == ("項目", "件数")
    assert dict(t["overview"].rows)["利用回数（訪問）"] == 22
    assert t["outcomes"].rows == (("理解できた", 44), ("もう一度", 10))
    assert t["by_language"].title == "来訪者の言語別の利用回数"
    assert t["by_language"].rows[:2] == (("ベトナム語 (vi)", 12), ("韓国語 (ko)", 6))
    assert t["by_staff_language"].rows == (("日本語 (ja)", 22),)
    assert [r[0] for r in t["by_weekday"].rows] == ["月", "火", "水", "木", "金", "土", "日"]
    assert dict(t["by_mode"].rows) == {"窓口": 18, "無人キオスク": 4, "roaming": 1}
    assert [r[0] for r in t["by_input"].rows] == ["音声", "文字入力", "定型文"]
    assert t["failures"].rows == (("翻訳パックが壊れている", 4),)  # in words, not codes (mt.bad_pack)
    assert t["failures"].headers[0] == "うまくいかなかったこと"
    assert t["latency"].headers == ("処理段階", "利用回数", "p50（ミリ秒）", "p90（ミリ秒）")
    assert t["latency"].rows[0][0] == "音声認識"
    overview = dict(suppressed(t["overview"], 50).rows)  # exempt rows are found by their translated label
    assert overview["タブレット台数"] == 1 and overview["利用回数（訪問）"] == "<50"


def test_every_language_words_every_table_its_own_way(may):
    english = tables(may[0])
    assert english["overview"].rows[0][0] == "Sessions (visits)"  # default stays English
    for lang in ("ja", "vi", "zh", "ko"):
        t = tables(may[0], lang)
        assert all(t[n].title and t[n].title != english[n].title for n in t), lang
        assert tables(may[0], lang)["by_language"].rows[0][1] == 12
    assert tables(may[0], "ko")["outcomes"].rows[1][0] == "다시 말하기"
    assert tables(may[0], "vi")["by_language"].rows[0][0] == "Tiếng Việt (vi)"
    assert tables(may[0], "zh")["by_weekday"].rows[0][0] == "周一"


def test_an_unknown_language_is_refused(may):
    with pytest.raises(KioskError) as err:
        tables(may[0], "fr")
    assert (err.value.code, err.value.message) == (
        "mt.unsupported_language", "Unknown language code 'fr'. Use one of: ja, en, vi, zh, ko.")  # fmt: skip


def test_every_stats_key_exists_in_all_five_languages():
    table = load_strings().table
    keys = {k for k in table if k.startswith("stats_")}
    assert len(keys) > 60
    for key in keys:
        assert all(str(table[key].get(c, "")).strip() for c in CODES), key
    used = set()
    for path in STATS.glob("*.py"):  # t("x") / text("x") in the stats code
        used |= set(re.findall(r"""\b(?:t|text)\(\s*["']([a-z0-9_]+)["']\s*[,)]""", path.read_text(encoding="utf-8")))
    used |= {f"weekday_{d}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    used |= {f"lang_{c}" for c in (*CODES, "und")} | {"stage_stt", "stage_mt", "stage_tts"}
    used |= {"mode_counter", "mode_kiosk", "input_speech", "input_typed", "input_phrasebook"}
    assert len(used) > 60
    assert sorted(k for k in used if "stats_" + k not in table) == []


def test_cjk_text_lines_up_in_the_terminal(may):
    lines = as_text(tables(may[0], "ja")["outcomes"]).splitlines()
    assert lines[:2] == ["「理解できた」と「もう一度」", "-" * 28]
    assert lines[2:] == ["結果        件数", "理解できた    44", "もう一度      10"]


def test_japanese_and_korean_charts_render_without_missing_glyphs(may, cjk_font):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        for lang in ("ja", "ko"):
            pngs = render_all(may[0], lang=lang, suppress_below=5)
            assert set(pngs) == CHARTS
            assert all(png_size(p) == (800, 420) for p in pngs.values()), lang
    assert (
        cjk_font == "Noto Sans CJK JP"
        and chart_font("ko") == "Noto Sans CJK KR"
        and chart_font("zh") == "Noto Sans CJK SC"
    )


def test_the_chart_font_has_every_glyph_the_charts_show(may, cjk_font):
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    chars = set()
    for lang in CODES:
        text = labels(lang)
        for t in tables(may[0], lang).values():
            chars |= set(t.title) | {c for h in t.headers for c in h} | {c for r in t.rows for c in str(r[0])}
        for key in ("no_data", "median", "seconds"):
            chars |= set(text(key))
        chars |= set(text("all_below", n=5)) | set(text("not_drawn", n=5))
    for lang in ("ja", "ko", "zh"):
        path = findfont(FontProperties(family=chart_font(lang)), fallback_to_default=False)
        assert "NotoSansCJK" in path, lang
        font = FT2Font(path)
        tofu = sorted(c for c in chars if not c.isspace() and font.get_char_index(ord(c)) == 0)
        assert tofu == [], lang


def test_without_the_cjk_font_the_default_font_is_used():
    assert chart_font("ja", NO_FONT) is None
    with font_context("ja", NO_FONT):  # no error: the charts fall back to matplotlib's default font
        pass


def test_a_chart_drawn_in_the_default_font_would_show_tofu(may):
    """The warning the chart test relies on is real: Japanese in DejaVu Sans has missing glyphs."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with font_context("ja", NO_FONT):
            to_png(render(tables(may[0], "ja")["by_language"], lang="ja"))
    assert any("missing from font" in str(w.message) for w in caught)


def test_japanese_reports(may, tmp_path, cjk_font):
    path = report(may[0], tmp_path / "r.html", suppress_below=5, lang="ja")
    text = path.read_text(encoding="utf-8")
    assert '<html lang="ja">' in text
    assert "<title>翻訳キオスクの利用状況（2025-05-01から2025-05-31まで）</title>" in text
    assert "5未満の件数は「&lt;5」と表示しています。" in text
    assert 'alt="グラフ：来訪者の言語別の利用回数。下の表に同じ数値があります。"' in text
    assert '<th scope="row">英語 (en)</th><td class="n">&lt;5</td>' in text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = report(may[0], tmp_path / "r.pdf", suppress_below=5, lang="ko").read_bytes()
    assert data.startswith(b"%PDF-") and b"NotoSansCJK" in data


def test_cli_lang_option(may, capsys, tmp_path):
    d = str(may[1].data_dir)
    assert main(["--data-dir", d, "stats", "summary", "--lang", "ja", "--suppress-below", "0"]) == 0
    out = capsys.readouterr().out
    assert "\n利用回数（訪問）         23\n" in out and "\nベトナム語 (vi)              13\n" in out
    overview = out.split("\n\n")[0].splitlines()[2:]
    assert len({width(line) for line in overview}) == 1  # columns line up in a terminal
    assert main(["--data-dir", d, "stats", "report", "--month", "2025-05", "--lang", "zh",
                 "--out", str(tmp_path / "r.html")]) == 0  # fmt: skip
    assert "<title>翻译终端使用情况（2025-05-01至2025-05-31）</title>" in (tmp_path / "r.html").read_text(
        encoding="utf-8"
    )
    with pytest.raises(SystemExit):
        main(["--data-dir", d, "stats", "summary", "--lang", "fr"])
    assert "invalid choice: 'fr'" in capsys.readouterr().err

