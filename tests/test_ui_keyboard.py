"""The on-screen keyboard's text editing (Kivy-free): Hangul composed as it is typed, Vietnamese
letters and tone marks on the right vowel, kana with ゛ ゜ and small kana."""

from __future__ import annotations

import pytest

from kiosk.ui.viewmodels.keyboard import BACK, SHIFT, SPACE, SWITCH, TONES, Keyboard, add_tone, kana_mark, rows


def typed(kb: Keyboard, keys) -> str:
    for key in keys:
        kb.press(key)
    return kb.text


def test_hangul_jamo_compose_into_syllables_as_they_are_typed():
    kb = Keyboard("ko")
    assert kb.layout == "hangul"
    assert [kb.press(k) for k in "ㅎㅏㄴ"] == ["ㅎ", "하", "한"]
    assert typed(kb, "ㄱㅡㄹ") == "한글"
    assert typed(kb, [SPACE, *"ㄷㅏㄹㄱ"]) == "한글 닭"  # a double final
    assert typed(kb, "ㅣ") == "한글 달기"  # the final moves to the next syllable
    assert kb.press(BACK) == "한글 닭" and kb.press(BACK) == "한글 달"
    kb.reset()
    assert typed(kb, "ㅇㅓㅂㅅㅇㅓㅇㅛ?") == "없어요?"
    kb.reset()
    assert typed(kb, "ㄱㅗㅏㅇㅜㅣ") == "과위"  # double vowels
    kb.reset()
    assert typed(kb, [SHIFT, "ㄲ", "ㅗ", "ㅊ"]) == "꽃" and not kb.shift  # shift for the tense consonant
    assert rows("hangul", shift=True)[0][:5] == ["ㅃ", "ㅉ", "ㄸ", "ㄲ", "ㅆ"]


def test_hangul_after_a_hardware_edit_starts_from_the_new_text():
    kb = Keyboard("ko")
    typed(kb, "ㅎㅏ")
    kb.reset("화장실은 ")  # Edit put a sentence in the box
    assert typed(kb, "ㅇㅓㄷㅣ") == "화장실은 어디"


@pytest.mark.parametrize(
    ("word", "tone", "expected"),
    [
        ("Vie", "á", "Vié"),
        ("tiên", "á", "tiến"),
        ("mua", "á", "múa"),
        ("toan", "á", "toán"),
        ("hoa", "à", "hoà"),
        ("tai", "á", "tái"),
        ("quy", "á", "quý"),
        ("gia", "á", "giá"),
        ("Viêt", "ạ", "Việt"),
        ("nươc", "á", "nước"),
        ("xin chao", "à", "xin chào"),
        ("được", "ã", "đưỡc"),
        ("hm", "á", "hm"),
    ],
)
def test_a_vietnamese_tone_goes_on_the_right_vowel(word, tone, expected):
    assert add_tone(word, TONES[tone]) == expected


def test_vietnamese_layout_types_letters_and_tones():
    kb = Keyboard("vi")
    assert kb.layout == "vi" and rows("vi")[0] == list("ăâđêôơưáàảãạ") and len(rows("vi")) == 5
    assert typed(kb, [SHIFT, "V", "i", "ê", "t", "ạ"]) == "Việt"
    assert typed(kb, [SPACE, "đ", "i", "à"]) == "Việt đì"  # a tone on a new word
    assert kb.switch_label() == ""  # one layout: no switch key label


def test_kana_marks_and_switching_to_latin():
    kb = Keyboard("ja")
    assert kb.layout == "kana" and len(kb.rows()) == 5 and max(len(r) for r in kb.rows()) == 12
    assert typed(kb, ["か", "゛", "つ", "小", "こ", "う"]) == "がっこう"
    assert kana_mark("は", "゜") == "ぱ" and kana_mark("あ", "゛") == "あ"  # あ takes no mark
    assert kb.switch_label() == "ABC"
    kb.press(SWITCH)
    assert kb.layout == "latin" and typed(kb, "ok") == "がっこうok"
    assert kb.switch_label() == "かな"

