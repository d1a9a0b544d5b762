"""The on-screen keyboard for touch-only tablets, as data and text editing (no Kivy).

Layouts: ``latin`` (QWERTY), ``vi`` (QWERTY with the Vietnamese letters and the five tone
marks, put on the right vowel of the word), ``hangul`` (the standard two-set layout; jamo are
composed into syllables as they are typed: ㅎㅏㄴ → 한, with hangulpy), ``kana`` (the
gojūon table with ゛ ゜ and small kana).  ``Keyboard.press(key)`` returns the new text; the
widget only draws ``rows()`` and calls ``press``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from hangulpy.hangul_assemble import assemble

SHIFT, BACK, SPACE, SWITCH = "⇧", "←", "␣", "⇄"  # keys that do something other than type themselves

LATIN = ["qwertyuiop", "asdfghjkl", SHIFT + "zxcvbnm" + BACK, SWITCH + ",." + SPACE + "?!-"]
VI_MARKS = ["ăâđêôơư", "áàảãạ"]  # letters; tone marks shown on "a" (sắc, huyền, hỏi, ngã, nặng)
HANGUL = ["ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", SHIFT + "ㅋㅌㅊㅍㅠㅜㅡ" + BACK, SWITCH + ",." + SPACE + "?!-"]
HANGUL_SHIFT = {"ㅂ": "ㅃ", "ㅈ": "ㅉ", "ㄷ": "ㄸ", "ㄱ": "ㄲ", "ㅅ": "ㅆ", "ㅐ": "ㅒ", "ㅔ": "ㅖ"}
KANA = ["あかさたなはまやらわ" + BACK, "いきしちにひみゆりを゛", "うくすつぬふむよるん゜", "えけせてねへめ、れー小",
        "おこそとのほも。ろ？" + SWITCH + SPACE]  # five rows: keys stay ≥ 48 px on a half of a 800 px screen
SMALL_KANA = dict(zip("あいうえおつやゆよわかけ", "ぁぃぅぇぉっゃゅょゎゕゖ", strict=True))
TONES = {"á": "\u0301", "à": "\u0300", "ả": "\u0309", "ã": "\u0303", "ạ": "\u0323"}
VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
MARKED = set("ăâêôơưĂÂÊÔƠƯ")

# which layouts each language's half offers, first = shown first
LAYOUTS = {"ja": ("kana", "latin"), "ko": ("hangul", "latin"), "vi": ("vi",), "en": ("latin",), "zh": ("latin",)}
LABELS = {"latin": "ABC", "vi": "Việt", "hangul": "한글", "kana": "かな"}


def rows(layout: str, shift: bool = False) -> list[list[str]]:
    """The keys of ``layout``, row by row (what each key types, or SHIFT/BACK/SPACE/SWITCH)."""
    if layout == "hangul":
        return [[HANGUL_SHIFT.get(k, k) if shift else k for k in row] for row in HANGUL]
    if layout == "kana":
        return [list(row) for row in KANA]
    letters = [[k.upper() if shift and k.isalpha() else k for k in row] for row in LATIN]
    letters[2] = [SHIFT] + letters[2][1:-1] + [BACK]
    letters[3] = [SWITCH, ",", ".", SPACE, "?", "!", "-"]
    if layout == "vi":  # the Vietnamese letters and the five tones in one row above QWERTY
        return [[k.upper() if shift else k for k in VI_MARKS[0]] + list(VI_MARKS[1])] + letters
    return letters


def add_tone(text: str, tone: str) -> str:
    """Put a Vietnamese tone mark (one of TONES' combining marks) on the last word's vowel: the
    vowel with a hat or horn (tiến), else the first of two final vowels (múa, tái), else the
    last vowel (toán); a tone already there is replaced.  Returns NFC text."""
    base = unicodedata.normalize("NFD", text)
    for mark in TONES.values():  # one tone per word: take the old one off
        word_start = max(base.rfind(" "), -1) + 1
        base = base[:word_start] + base[word_start:].replace(mark, "")
    letters = unicodedata.normalize("NFC", base)
    start = max(letters.rfind(" "), -1) + 1
    word = letters[start:]
    spots = [i for i, c in enumerate(word) if c in VOWELS]
    low = word.lower()
    if (low.startswith("qu") or low.startswith("gi")) and len(spots) > 1 and spots[0] == 1:
        spots = spots[1:]  # the u of qu and the i of gi belong to the consonant (quý, giá)
    if not spots:
        return text
    marked = [i for i in spots if word[i] in MARKED]
    if marked:
        at = marked[-1]
    elif len(spots) >= 2 and spots[-1] == len(word) - 1 and spots[-2] == len(word) - 2:
        pair = word[spots[-2]:].lower()
        at = spots[-1] if pair in ("oa", "oe", "uy", "ie", "ye") else spots[-2]  # hoà, thuý; múa, tái
    else:
        at = spots[-1]
    accented = unicodedata.normalize("NFC", word[at] + tone)
    return letters[:start] + word[:at] + accented + word[at + 1:]


def kana_mark(text: str, key: str) -> str:
    """゛ (dakuten), ゜ (handakuten) or 小 (small) on the last kana; unchanged when it takes none."""
    if not text:
        return text
    last = text[-1]
    if key == "小":
        small = SMALL_KANA.get(last) or {v: k for k, v in SMALL_KANA.items()}.get(last)
        return text[:-1] + small if small else text
    plain = unicodedata.normalize("NFD", last)[0]  # が → か
    mark = "\u3099" if key == "゛" else "\u309a"
    composed = unicodedata.normalize("NFC", plain + mark)
    return text[:-1] + composed if len(composed) == 1 else text


@dataclass
class Keyboard:
    language: str = "en"
    text: str = ""
    layout: str = ""
    shift: bool = False
    jamo: list[str] = field(default_factory=list)  # Hangul typed since the last non-jamo key
    _prefix: str = ""  # the text before the jamo being composed

    def __post_init__(self) -> None:
        self.layout = self.layout or LAYOUTS.get(self.language, ("latin",))[0]

    def reset(self, text: str = "") -> None:
        """The text was changed outside the keyboard (a hardware keyboard, Edit): start from it."""
        self.text, self.jamo, self._prefix, self.shift = text, [], text, False

    def rows(self) -> list[list[str]]:
        return rows(self.layout, self.shift)

    def switch_label(self) -> str:
        """What the switch key changes to (empty when the language has one layout)."""
        layouts = LAYOUTS.get(self.language, ("latin",))
        if len(layouts) < 2:
            return ""
        return LABELS[layouts[(layouts.index(self.layout) + 1) % len(layouts)]]

    def press(self, key: str) -> str:
        if key == SHIFT:
            self.shift = not self.shift
            return self.text
        if key == SWITCH:
            layouts = LAYOUTS.get(self.language, ("latin",))
            self.layout = layouts[(layouts.index(self.layout) + 1) % len(layouts)] if self.layout in layouts \
                else layouts[0]
            self._commit()
            return self.text
        if key == BACK:
            if self.jamo:
                self.jamo.pop()
                self.text = self._prefix + assemble(self.jamo)
            else:
                self.text = self.text[:-1]
                self._prefix = self.text
            return self.text
        if self.layout == "hangul" and _is_jamo(key):
            if not self.jamo:
                self._prefix = self.text
            self.jamo.append(key)
            self.text = self._prefix + assemble(self.jamo)
            self.shift = False
            return self.text
        self._commit()
        if key in TONES and self.layout == "vi":
            self.text = add_tone(self.text, TONES[key])
        elif key in ("゛", "゜", "小") and self.layout == "kana":
            self.text = kana_mark(self.text, key)
        else:
            self.text += " " if key == SPACE else key
            if self.shift and self.layout != "hangul":
                self.shift = False
        self._prefix = self.text
        return self.text

    def _commit(self) -> None:
        self.jamo, self._prefix = [], self.text


def _is_jamo(key: str) -> bool:
    return len(key) == 1 and 0x3131 <= ord(key) <= 0x318E
