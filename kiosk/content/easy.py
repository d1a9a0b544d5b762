"""Easy Japanese (やさしい日本語) display forms for phrasebook answers."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.load import Phrase
from kiosk.content.normalise import to_hiragana


@dataclass(frozen=True)
class JapaneseDisplay:
    text: str  # what to show large
    reading: str  # kana reading shown under it ("" if the text is already kana)
    easy: bool  # True when the Easy Japanese version is shown


def japanese_display(phrase: Phrase, easy_japanese: bool) -> JapaneseDisplay:
    """With ``settings.easy_japanese`` the ja_easy text (and the kana reading when it
    still has kanji, made with pykakasi); otherwise the standard ja text with its ja_kana reading."""
    if easy_japanese:
        has_kanji = any("\u4e00" <= c <= "\u9fff" for c in phrase.ja_easy)
        if not has_kanji:
            return JapaneseDisplay(phrase.ja_easy, "", True)

        return JapaneseDisplay(phrase.ja_easy, to_hiragana(phrase.ja_easy), True)
    return JapaneseDisplay(phrase.texts["ja"], phrase.ja_kana, False)
