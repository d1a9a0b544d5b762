"""Per-script text normalisation for matching (never for display).

``normalise(text, lang)``: NFKC (full/half width), lowercase, punctuation and
symbols to spaces (incl. 。、！？「」・), whitespace collapsed, then per language:

- ja: kanji and katakana to hiragana with pykakasi (転入届 == てんにゅうとどけ), spaces removed
- zh, ko: spaces removed (spacing varies between recognisers and writers)
- en: "n't" -> " not", "cannot" -> "can not"; words kept
- vi: words kept; ``strip_tones`` gives the diacritic-insensitive form used as a fallback

``match_key(text, lang)`` additionally drops politeness/filler words that do not
change what is asked ("please", "vui lòng", "请", "ください" ...) so that
"Could you sign here?" and "Please sign here." compare on what matters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi  # ~1 s to load its dictionaries: only when Japanese is first normalised

    return pykakasi.kakasi()


def strip_punctuation(text: str) -> str:
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "PSZ" and ch != "'" or cat == "Cc":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def katakana_to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def to_hiragana(text: str) -> str:
    """Japanese text (kanji, katakana, hiragana) as hiragana; other characters unchanged."""
    if not any(_is_kanji(c) for c in text):
        return katakana_to_hiragana(text)
    return "".join(item["hira"] for item in _kakasi().convert(text))


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "々"


def strip_tones(text: str) -> str:
    """Vietnamese without diacritics (đ -> d): 'Vui lòng' -> 'Vui long'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


_CJK_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CJK_NUMBER = re.compile(
    r"([〇零一二两三四五六七八九十百千]+)(?=[号號番階阶楼樓层層点時时分元円日月年歳岁個个人枚回次位]|つ目)"
)


def cjk_to_int(s: str) -> int:
    """一 -> 1, 十五 -> 15, 二十 -> 20, 三百 -> 300 (simple numerals, no 万)."""
    total, current = 0, 0
    for ch in s:
        if ch in _CJK_DIGITS:
            current = current * 10 + _CJK_DIGITS[ch] if current else _CJK_DIGITS[ch]
        else:
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
    return total + current


def cjk_numbers_to_digits(text: str) -> str:
    """Chinese/Japanese numerals before a counter as digits: 三号窗口 -> 3号窗口, 二階 -> 2階."""
    return CJK_NUMBER.sub(lambda m: str(cjk_to_int(m.group(1))), text)


def normalise(text: str, lang: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    if lang in ("ja", "zh"):
        text = cjk_numbers_to_digits(text)
    if lang == "en":
        text = (
            text.replace("’", "'")
            .replace("can't", "can not")
            .replace("won't", "will not")
            .replace("n't", " not")
            .replace("cannot", "can not")
        )
        text = re.sub(
            r"\b(i|you|we|they|it|he|she|that|there|here|what|where|who|how)'(s|re|m|ll|ve|d)\b", _expand, text
        )
    text = strip_punctuation(text).replace("'", " ")
    text = _SPACES.sub(" ", text).strip()
    if lang == "en":
        text = number_words_to_digits(text)
    if lang == "ja":
        text = to_hiragana(text.replace(" ", ""))
        # pykakasi keeps a few marks it does not know; drop what is not a letter/digit
        text = "".join(c for c in text if unicodedata.category(c)[0] in "LN")
    elif lang in ("zh", "ko"):
        text = text.replace(" ", "")
    return text


_EN_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_NUMBER_RE = re.compile(r"\b(" + "|".join(w for w in _EN_NUMBERS if w != "one") + r")\b")


# "one" is a number only next to what is counted ("counter one", "one ticket"), not in "one moment"
_EN_ONE_RE = re.compile(r"\b((?:counter|number|window|floor|exit|platform|gate|room|line|bus|no) )one\b|"
                        r"\bone(?= (?:o'clock|minutes?|hours?|days?|weeks?|months?|years?|cop(?:y|ies)|tickets?|"
                        r"persons?|people|adults?|child|yen|dollars?|am|pm|a m|p m)\b)")


def number_words_to_digits(text: str) -> str:
    """English number words zero..twenty as digits ("counter three" -> "counter 3"); lowercase input.
    "one" only where it counts something ("counter one", "one ticket"; not "one moment")."""
    text = _EN_ONE_RE.sub(lambda m: f"{m.group(1) or ''}1", text)
    return _EN_NUMBER_RE.sub(lambda m: _EN_NUMBERS[m.group(1)], text)


_CONTRACTIONS = {"s": "is", "re": "are", "m": "am", "ll": "will", "ve": "have", "d": "would"}


def _expand(m: re.Match) -> str:
    return f"{m.group(1)} {_CONTRACTIONS[m.group(2)]}"


# words that make a request polite or fill a pause but do not change what is asked
_WORDS = {
    "en": ("could you", "can you", "would you", "will you", "please", "kindly", "just", "um", "uh", "er",
           "excuse me", "sorry", "ok", "okay", "so"),
    "vi": ("vui lòng", "làm ơn", "xin mời", "xin", "ạ", "nhé", "nhe", "ơi", "à", "ừ", "dạ",
           "vui long", "lam on", "xin moi"),  # also without tone marks (typed or mis-recognised)
    "ko": ("좀", "저기요", "저기", "음", "그"),
}


def _word_re(words) -> re.Pattern:
    alts = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(r"(?:(?<=\s)|^)(?:" + alts + r")(?=\s|$)")


_FILLER_RE: dict[str, re.Pattern] = {lang: _word_re(words) for lang, words in _WORDS.items()}
_FILLER_RE["zh"] = re.compile(r"麻烦您|麻烦你|^麻烦|请您|(?<![申邀聘])请|一下|一会儿|一会|吧|呢|啊|嗯")
_FILLER_RE["ja"] = re.compile(
    r"^(?:えーと|えっと|ええと|あのー|あの|すみませんが)+|くださいませ|ください|おねがいします|おねがいいたします|(?:を|して)$")
# Korean sentence endings differ by politeness level only (있습니까 / 있어요 / 있나요): drop them
_KO_ENDING = re.compile(r"(?:습니까|습니다|입니까|입니다|이에요|예요|어요|아요|나요|세요|십시오|니까|니다|요)$")
# demonstratives: the polite and plain forms mean the same place
_JA_PLACES = (("こちら", "ここ"), ("そちら", "そこ"), ("あちら", "あそこ"), ("どちら", "どこ"))


def match_key(text: str, lang: str) -> str:
    """``normalise`` minus politeness/filler words (falls back to ``normalise`` if nothing is left)."""
    full = normalise(text, lang)
    if lang == "ko":  # fillers are words: drop them before the spaces go
        base = _SPACES.sub(" ", strip_punctuation(unicodedata.normalize("NFKC", text).lower())).strip()
        key = _KO_ENDING.sub("", normalise(_FILLER_RE["ko"].sub(" ", base), lang))
    elif lang == "ja":
        key = _FILLER_RE["ja"].sub("", _FILLER_RE["ja"].sub("", full))
        for polite, plain in _JA_PLACES:
            key = key.replace(polite, plain)
    elif lang == "zh":
        key = _FILLER_RE["zh"].sub("", full)
    else:
        key = _SPACES.sub(" ", _FILLER_RE[lang].sub(" ", full)).strip()
    return key or full


def placeholders(text: str) -> list[str]:
    """The ``{field}`` placeholders in order of appearance."""
    return _PLACEHOLDER.findall(text)
