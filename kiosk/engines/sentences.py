"""Offline sentence splitting for ja, zh, ko, vi and en (no models, no downloads).

``split_sentences(text, lang)`` is a pure function.  Rules, in short:

* Full-width enders (。！？．｡) end a sentence at once — Japanese and Chinese
  put no space after them.  ASCII ``!``/``?`` end one before a space or the
  end, and in ja/zh also directly before the next character.
* ``.`` (and ``…``) ends a sentence only before a space (or the end, or, in
  ja/zh, a CJK character), and not after a title or abbreviation ("Mr.",
  "e.g.", "TP." in Vietnamese), a single-letter initial ("J. Smith"), before a
  lower-case word ("etc. and"), or in "No. 5"; numbers like "3.5" or
  "100.000" never split because no space follows the dot.
* Closing quotes and brackets right after the ender stay with the sentence
  (``He said "Stop."`` / ``「はい。」``); nothing splits inside balanced
  brackets or curly quotes (「…」, （…）, “…”), and in ja/zh a closing quote
  followed by more text (``「はい。」と言った。``) does not end the sentence.
* Line breaks always end a sentence.  Sentences come back stripped; empty
  ones are dropped, so ``"".join``/``" ".join`` of the result loses only
  whitespace.
"""

from __future__ import annotations

import re

FULLWIDTH_ENDERS = "。！？．｡‼⁇⁈⁉"
ASCII_ENDERS = "!?"
DOT_ENDERS = ".…"
ENDERS = FULLWIDTH_ENDERS + ASCII_ENDERS + DOT_ENDERS
PAIRS = {"「": "」", "『": "』", "（": "）", "(": ")", "[": "]", "【": "】", "〔": "〕",
         "《": "》", "〈": "〉", "“": "”", "«": "»", "［": "］", "｛": "｝", "{": "}"}
OPENERS = "".join(PAIRS)
CLOSERS = "".join(PAIRS.values()) + "\"'’›"
SPACELESS = ("ja", "zh")

# lower-cased words that are (almost) never the end of a sentence when followed by "."
NEVER_END = {
    # English titles and Latin abbreviations
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "e.g", "i.e", "cf", "approx",
    "dept", "fig", "ave", "gen", "gov", "lt", "col", "sgt", "rev", "hon",
    # Vietnamese: thành phố, quận, phường, thạc sĩ, tiến sĩ, giáo sư, phó giáo sư, bác sĩ
    "tp", "q", "p", "ths", "ts", "gs", "pgs", "bs",
}
# words that are abbreviations only when a number follows ("No. 5", "Jan. 3")
BEFORE_NUMBER = {"no", "nr", "tel", "pp", "vol", "art", "ch", "p", "jan", "feb", "mar", "apr", "jun",
                 "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_WORD_BEFORE_DOT = re.compile(r"([^\W\d_](?:[\w]|\.(?=\w))*)$")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF  # kana
        or 0x3400 <= o <= 0x9FFF  # CJK ideographs
        or 0xF900 <= o <= 0xFAFF
        or 0xFF66 <= o <= 0xFF9F  # half-width kana
        or 0x20000 <= o <= 0x2FFFF
    )


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for ch in text:
        if ch in PAIRS:
            stack.append(PAIRS[ch])
        elif ch in PAIRS.values():
            if not stack or stack.pop() != ch:
                return False
    return not stack


def _dot_ends(text: str, dot: int, after: int, lang: str) -> bool:
    """Does the ``.`` at ``dot`` (with enders/closers running to ``after``) end a sentence?"""
    nxt = text[after] if after < len(text) else ""
    if nxt and not nxt.isspace():
        return lang in SPACELESS and _is_cjk(nxt)
    rest = text[after:].lstrip()
    following = rest[:1]
    if following and following.islower():
        return False  # "etc. and so on", "... and then"
    if text[dot] != "." or after - dot > 1 and text[dot + 1] == ".":
        return True  # an ellipsis before a capital ends a sentence
    m = _WORD_BEFORE_DOT.search(text[:dot])
    if not m:
        return True
    word = m.group(1)
    low = word.lower()
    if low in NEVER_END:
        return False
    if len(word) == 1 and word.isupper() and lang not in SPACELESS:
        return False  # an initial: "J. Smith"
    if low in BEFORE_NUMBER and following.isdigit():
        return False
    return True


def _split_line(line: str, lang: str) -> list[str]:
    track = _balanced(line)
    out: list[str] = []
    start = depth = 0
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if track and ch in OPENERS:
            depth += 1
        elif track and ch in PAIRS.values():
            depth = max(0, depth - 1)
        if ch not in ENDERS:
            i += 1
            continue
        # run of enders and closers: "?!", "...", "。」", ".\"", "！）"
        j, closed = i + 1, False
        while j < n and (line[j] in ENDERS or line[j] in CLOSERS):
            if track and line[j] in PAIRS.values():
                depth = max(0, depth - 1)
            closed = closed or line[j] in CLOSERS
            j += 1
        if depth > 0:
            i = j
            continue
        nxt = line[j] if j < n else ""
        if ch in DOT_ENDERS:
            ends = _dot_ends(line, i, j, lang)
        elif ch in ASCII_ENDERS:
            ends = not nxt or nxt.isspace() or (lang in SPACELESS and (_is_cjk(nxt) or nxt in OPENERS))
        else:  # full-width ender
            ends = not closed or not nxt or nxt.isspace() or nxt in OPENERS
            if ch == "．" and i > 0 and line[i - 1].isdigit() and nxt.isdigit():
                ends = False
        if ends:
            out.append(line[start:j])
            start = j
        i = j
    out.append(line[start:])
    return [s.strip() for s in out if s.strip()]


def split_sentences(text: str, lang: str) -> list[str]:
    """Split ``text`` (in language ``lang``) into sentences, offline."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(_split_line(line, lang))
    return sentences


def join_sentences(sentences: list[str], lang: str) -> str:
    """Join translated sentences the way ``lang`` writes them (no space in ja/zh)."""
    return ("" if lang in SPACELESS else " ").join(s for s in sentences if s)
