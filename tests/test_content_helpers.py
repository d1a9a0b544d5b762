"""Loader lookups, FAQ templates, Easy Japanese, recognition phrase lists, search, CLI extras."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.easy import japanese_display
from kiosk.content.faq import fill, render
from kiosk.content.load import default_content_dir, load_content
from kiosk.content.recognition import phrases_for_recognition
from kiosk.content.search import search
from kiosk.errors import KioskError
from tests.support.content_fixture import write_content

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    return load_content(write_content(tmp_path_factory.mktemp("content")))


def test_lookups(content):
    assert content.phrase("procedure.sign_here").text("ko") == "여기에 서명해 주세요."
    assert [p.id for p in content.phrases_in("residence")] == ["residence.moving_in", "residence.show_card"]
    assert content.term("juminhyo").variants("ja") == ("住民票", "じゅうみんひょう")
    assert content.term("madoguchi").accepted("en") == ("counter", "desk")
    assert content.topics["tax"].name("vi") == "Thuế"
    assert content.unreviewed() == {"phrases": 16, "terms": 12, "faq": 2}
    with pytest.raises(KioskError) as exc:
        content.phrase("procedure.nope")
    assert (exc.value.code, exc.value.message) == ("content.missing", "No phrase with id 'procedure.nope' in the "
                                                                      "phrasebook.")


def test_reviewed_field(tmp_path):
    root = write_content(tmp_path / "c")
    path = root / "phrasebook" / "tax.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('reviewed = "no"', 'reviewed = "Tanaka 2026-11-30"'),
                    encoding="utf-8")
    content = load_content(root)
    assert content.phrase("tax.pay_by_deadline").is_reviewed
    assert content.unreviewed()["phrases"] == 15


def test_default_content_dir(monkeypatch, tmp_path):
    assert default_content_dir(env={}) == REPO / "content"
    assert default_content_dir(env={"KIOSK_CONTENT_DIR": str(tmp_path)}) == tmp_path
    write_content(tmp_path / "c")
    monkeypatch.setenv("KIOSK_CONTENT_DIR", str(tmp_path / "c"))
    assert len(load_content().phrases) == 16


def test_faq_render_fills_site_values(content):
    answer = content.answer("opening_hours")
    assert render(answer, content.site, "en") == "Our hours are weekdays from 9 a.m. to 5 p.m."
    assert render(answer, content.site, "zh") == "受理时间为工作日上午9点至下午5点。"
    assert render(content.answer("call_us"), content.site, "ko") == "전화번호는 012-345-6789입니다."


def test_faq_render_missing_field_is_a_clear_error(content):
    with pytest.raises(KioskError) as exc:
        render(content.answer("call_us"), {}, "ja")
    assert (exc.value.code, exc.value.message) == (
        "content.missing", "FAQ answer 'call_us' needs {phone} for ja; fill it in content/site.toml.")
    with pytest.raises(KioskError) as exc:
        fill("{a} {b} {a}", {"a": "x", "b": {"ja": "y"}}, "en")
    assert exc.value.message == "text needs {b} for en; fill it in content/site.toml."
    assert fill("{a}{b}", {"a": "x", "b": {"ja": "語"}}, "ja_kana") == "x語"  # ja_kana falls back to ja


def test_real_faq_renders_in_every_language_with_the_example_site_values():
    real = load_content()
    for answer in real.faq:
        for lang in ("ja", "en", "vi", "zh", "ko"):
            text = render(answer, real.site, lang)
            assert "{" not in text and text.strip(), (answer.id, lang)


def test_easy_japanese_display(content):
    phrase = content.phrase("residence.moving_in")
    normal = japanese_display(phrase, easy_japanese=False)
    assert (normal.text, normal.reading, normal.easy) == ("転入届を出してください。", "てんにゅうとどけを "
                                                                                      "だしてください。", False)
    easy = japanese_display(phrase, easy_japanese=True)
    assert (easy.text, easy.reading, easy.easy) == ("ひっこして きた ひとは、この かみを だして ください。", "", True)
    kanji_easy = japanese_display(content.phrase("procedure.sign_here").__class__(
        **{**content.phrase("procedure.sign_here").__dict__, "ja_easy": "名前を 書いて ください。"}), True)
    assert kanji_easy.reading == "なまえを かいて ください。"


def test_phrases_for_recognition(content):
    en = phrases_for_recognition(content, "en")
    assert "please sign here" in en
    assert "where is the toilet" in en
    assert "the counter is open" in en  # placeholder dropped
    assert "certificate of residence" in en and "restroom" in en  # glossary terms and aliases
    assert "desk" not in en  # accept-only forms are not recognition hints
    vi = phrases_for_recognition(content, "vi")
    assert "vui lòng ký tên vào đây" in vi
    ja = phrases_for_recognition(content, "ja")
    assert "ここに署名してください" in ja and "住民票" in ja and "じゅうみんひょう" not in ja
    zh = phrases_for_recognition(content, "zh")
    assert "请在这里签名" in zh and "洗手间在哪里" in zh
    ko = phrases_for_recognition(content, "ko")
    assert "여기에 서명해 주세요" in ko
    assert len(ko) == len(set(ko))


def test_search(content):
    hits = search(content, "residence", "en")
    assert [h.id for h in hits][:2] == ["juminhyo", "zairyu_card"]  # terms first on equal score
    assert {h.id for h in hits} >= {"certificates.need_juminhyo", "residence.show_card"}
    assert search(content, "署名", "ja")[0].id == "procedure.sign_here"
    assert search(content, "しょめい", "ja")[0].id == "procedure.sign_here"
    assert [h.id for h in search(content, "在留卡", "zh", topic="residence")] == ["zairyu_card", "residence.show_card"]
    assert search(content, "", "en") == []


def test_cli_stats_search_match(tmp_path, capsys):
    root = write_content(tmp_path / "c")
    assert main(["content", "stats", "--dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "procedure" in out and "unreviewed: 16 phrases, 12 terms, 2 FAQ answers" in out
    assert main(["content", "search", "toilet", "--lang", "en", "--dir", str(root)]) == 0
    assert "tourism_facilities.where_toilet" in capsys.readouterr().out
    assert main(["content", "match", "where's the toilet", "--lang", "en", "--dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "tourism_facilities.where_toilet  similarity 100.0 (threshold 72)"
    assert (
        out.splitlines()[1]
        == "  why: lemmas (lemmas 100.0, characters 100.0) against the en text: Where is the toilet?"
    )
    assert "  guards agreed: numbers=-; negations=0; terms=toilet; mood=question" in out
    assert "  ja: トイレはどこですか。" in out
    assert main(["content", "match", "where is the toilet", "--lang", "en", "--suggest", "--dir", str(root)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "no close phrases below the threshold"
    assert main(["content", "match", "please don't sign here", "--lang", "en", "--suggest", "--dir", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "no verified phrase matches (threshold 72; machine translation would be used)"
    assert main(["content", "match", "hello", "--lang", "xx", "--dir", str(root)]) == 1
    assert capsys.readouterr().err.strip() == (
        "error [cli.bad_argument]: --lang must be one of ja, en, vi, zh, ko (got 'xx').")


def test_nothing_heavy_at_import():
    code = ("import sys, kiosk.content, kiosk.content.load, kiosk.content.match, kiosk.content.glossary, "
            "kiosk.content.validate, kiosk.content.commands, kiosk.content.search, kiosk.content.recognition, "
            "kiosk.content.analyse, kiosk.content.synonyms, kiosk.content.guards, kiosk.content.match_eval; "
            "print(sorted(m for m in ('pykakasi', 'rapidfuzz', 'hanzidentifier', 'kivy', 'sudachipy', 'kiwipiepy', "
            "'jieba', 'simplemma') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert out.strip() == "[]"
