"""Japanese text → kana, so espeak-ng can read it.

espeak-ng 1.51's Japanese voice reads only kana: every kanji is spoken as the
English words "Chinese letter" (``espeak-ng -v ja -x 駅`` →
``(en)tS'aIni:z(ja)l'et@``).  pykakasi gives the reading in hiragana; Latin
letters, digits and punctuation pass through unchanged (espeak-ng reads digits
in Japanese).  The converter's dictionaries take a moment to load, so one is
built lazily and kept; pykakasi is not documented as thread-safe, so calls are
serialised.
"""

from __future__ import annotations

import threading

_LOCK = threading.Lock()
_KAKASI = None


def _converter():
    global _KAKASI
    if _KAKASI is None:
        import pykakasi

        _KAKASI = pykakasi.kakasi()
    return _KAKASI


def has_kanji(text: str) -> bool:
    """True when ``text`` holds at least one CJK ideograph."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "々" for ch in text)


def to_kana(text: str) -> str:
    """The hiragana reading of ``text`` (kanji and katakana converted; other characters kept)."""
    if not text:
        return text
    with _LOCK:
        items = _converter().convert(text)
    return "".join(item["hira"] or item["orig"] for item in items)
