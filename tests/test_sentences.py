"""Offline sentence splitting for the five languages (kiosk.engines.sentences)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.engines.sentences import join_sentences, split_sentences

CASES = [
    # English: abbreviations, numbers, initials, quotes
    ("en", "Hello Mr. Smith. How are you? I am fine!", ["Hello Mr. Smith.", "How are you?", "I am fine!"]),
    ("en", "It costs 3.5 dollars, e.g. in Tokyo. Next one.", ["It costs 3.5 dollars, e.g. in Tokyo.", "Next one."]),
    ("en", 'He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
    ("en", "He said “Stop. Now.” Then he left.", ["He said “Stop. Now.”", "Then he left."]),
    ("en", "Apples, pears, etc. and more. OK... Fine.", ["Apples, pears, etc. and more.", "OK...", "Fine."]),
    ("en", "Ask J. Smith at window No. 5. Thanks.", ["Ask J. Smith at window No. 5.", "Thanks."]),
    ("en", "We open at 8:30 a.m. Please wait.", ["We open at 8:30 a.m.", "Please wait."]),
    ("en", "Really?! Yes.", ["Really?!", "Yes."]),
    ("en", "(See p. 5.) Done.", ["(See p. 5.)", "Done."]),
    ("en", "Visit example.com today. Bye.", ["Visit example.com today.", "Bye."]),
    ("en", "An unbalanced “quote. Next one.", ["An unbalanced “quote.", "Next one."]),
    # Japanese: no spaces, full-width enders, 「」 quotes
    ("ja", "こんにちは。元気ですか？はい！", ["こんにちは。", "元気ですか？", "はい！"]),
    ("ja", "「はい。」と言った。次です。", ["「はい。」と言った。", "次です。"]),
    ("ja", "「はい。そうです。」と言った。本当?うん。", ["「はい。そうです。」と言った。", "本当?", "うん。"]),
    ("ja", "身長は1．5メートルです。重さは3.5kgです。", ["身長は1．5メートルです。", "重さは3.5kgです。"]),
    ("ja", "トイレはどこですか？　ありがとう。", ["トイレはどこですか？", "ありがとう。"]),
    # Chinese: “” quotes, full-width enders
    ("zh", "你好！你叫什么名字？我叫李明。", ["你好！", "你叫什么名字？", "我叫李明。"]),
    ("zh", "你好。“谢谢。”他说。“不客气。”“再见！”", ["你好。", "“谢谢。”他说。", "“不客气。”", "“再见！”"]),
    ("zh", "价格是3.5元。请稍等。", ["价格是3.5元。", "请稍等。"]),
    # Korean: spaces, ASCII enders, quotes glued to particles
    ("ko", "안녕하세요. 화장실은 어디에 있습니까? "
           "감사합니다!", ["안녕하세요.", "화장실은 어디에 있습니까?", "감사합니다!"]),
    ("ko", '그는 "안녕."이라고 말했다. 3.5킬로그램입니다.', ['그는 "안녕."이라고 말했다.', "3.5킬로그램입니다."]),
    # Vietnamese: diacritics, "TP." abbreviation, thousands separators
    ("vi", "Xin chào. Tôi sống ở TP. Hồ Chí Minh. Giá là 100.000 đồng.",
     ["Xin chào.", "Tôi sống ở TP. Hồ Chí Minh.", "Giá là 100.000 đồng."]),
    ("vi", "Bạn khỏe không? Tôi khỏe! Ông Nam đến lúc "
           "8.30.", ["Bạn khỏe không?", "Tôi khỏe!", "Ông Nam đến lúc 8.30."]),
]


@pytest.mark.parametrize("lang,text,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_split(lang, text, expected):
    assert split_sentences(text, lang) == expected


@pytest.mark.parametrize("lang", ["ja", "en", "vi", "zh", "ko"])
def test_empty_and_whitespace(lang):
    assert split_sentences("", lang) == []
    assert split_sentences("  \n \t ", lang) == []


@pytest.mark.parametrize("lang", ["ja", "en", "vi", "zh", "ko"])
def test_no_ender_is_one_sentence(lang):
    assert split_sentences("  where is the station  ", lang) == ["where is the station"]


def test_line_breaks_end_sentences():
    assert split_sentences("line one\nline two. and more", "en") == ["line one", "line two. and more"]


@pytest.mark.parametrize("lang,text", [(c[0], c[1]) for c in CASES])
def test_nothing_but_whitespace_is_lost(lang, text):
    parts = split_sentences(text, lang)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_join_per_language():
    assert join_sentences(["こんにちは。", "元気ですか？"], "ja") == "こんにちは。元気ですか？"
    assert join_sentences(["你好。", "再见。"], "zh") == "你好。再见。"
    assert join_sentences(["Hello.", "", "Bye."], "en") == "Hello. Bye."
    assert join_sentences(["안녕하세요.", "감사합니다."], "ko") == "안녕하세요. 감사합니다."


def test_no_import_of_heavy_modules():
    code = ("import sys, kiosk.engines.sentences; "
            "print(any(m.split('.')[0] in ('argostranslate','minisbd','stanza','ctranslate2') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
