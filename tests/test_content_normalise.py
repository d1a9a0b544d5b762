"""Per-script normalisation used for matching."""

from __future__ import annotations

import pytest

from kiosk.content.normalise import match_key, normalise, placeholders, strip_tones, to_hiragana


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("転入届を出してください。", "ja", "てんにゅうとどけをだしてください"),
        ("テンニュウトドケ", "ja", "てんにゅうとどけ"),
        ("てんにゅう とどけ", "ja", "てんにゅうとどけ"),
        ("ｶｰﾄﾞ", "ja", "かーど"),  # half-width katakana
        ("「住民票」、ください！", "ja", "じゅうみんひょうください"),
        ("三番窓口", "ja", "3ばんまどぐち"),
        ("３番窓口", "ja", "3ばんまどぐち"),
        ("Please DON'T sign here!", "en", "please do not sign here"),
        ("Where's counter three?", "en", "where is counter 3"),
        ("I can't", "en", "i can not"),
        ("ＡＢＣ１２３", "en", "abc123"),
        ("Vui lòng ký vào đây.", "vi", "vui lòng ký vào đây"),
        ("请 在 这里 签名。", "zh", "请在这里签名"),
        ("三号窗口", "zh", "3号窗口"),
        ("여기에 서명해 주세요.", "ko", "여기에서명해주세요"),
        ("여기에서명해  주세요", "ko", "여기에서명해주세요"),
    ],
)
def test_normalise(text, lang, expected):
    assert normalise(text, lang) == expected


def test_kanji_and_kana_spellings_meet():
    assert normalise("転入届", "ja") == normalise("てんにゅうとどけ", "ja") == normalise("テンニュウトドケ", "ja")
    assert normalise("住民票", "ja") == normalise("じゅうみんひょう", "ja")


@pytest.mark.parametrize(
    "a,b,lang",
    [
        ("Could you sign here, please?", "Please sign here.", "en"),
        ("Xin ký tên vào đây ạ.", "Vui lòng ký tên vào đây.", "vi"),
        ("麻烦您在这里签名", "请在这里签名。", "zh"),
        ("えーと、こちらに署名してください", "ここに署名して。", "ja"),
        ("저기 여기에 서명해 주세요", "여기에 서명해 주세요", "ko"),
    ],
)
def test_match_key_drops_politeness_and_fillers(a, b, lang):
    assert match_key(a, lang) == match_key(b, lang)


def test_match_key_keeps_words_that_look_like_fillers():
    assert match_key("申请", "zh") == "申请"  # 请 inside 申请 stays
    assert match_key("please", "en") == "please"  # nothing left -> the full form


def test_tones_and_placeholders():
    assert strip_tones("Đây là giấy chứng nhận cư trú") == "Day la giay chung nhan cu tru"
    assert placeholders("{counter_name} 〜 {opening_hours}, {bad-name}") == ["{counter_name}", "{opening_hours}"]
    assert to_hiragana("カード") == "かーど"
    assert to_hiragana("在留カード、です") == "ざいりゅうかーど、です"
