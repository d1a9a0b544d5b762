"""Is this text plausibly written in the script of its language?

Each ``check_<field>(text)`` returns an error message or "" (text with
``{placeholders}`` removed first by the caller).  Rules:

- ja: has kana or kanji; no Hangul.
- ja_kana: kana only (hiragana/katakana/ー), plus digits, spaces, punctuation.
- ja_easy: has kana; at most 40% of its Japanese letters are kanji.
- ko: has Hangul, no kana, not more Chinese characters than Hangul (Latin "PIN" is fine).
- vi: Latin letters; no CJK, kana or Hangul; a text of 3 or more words must
  have Vietnamese diacritics (short ones like "OK" or "Wi-Fi" may lack them).
- zh: has Han characters; no kana or Hangul; no Traditional-only characters
  (hanzidentifier) and none of the common Japanese-only forms (険, 転, 証 ...).
- en: Latin letters; no CJK, kana or Hangul.

Quoted spans ("プラ", “ATM”, 「ゴミ」) are left out of the foreign-script checks of
en, vi, zh and ko: a sentence may quote a sign or mark as printed.
"""

from __future__ import annotations

import re
import unicodedata

# quoted spans (a sign, a mark, a label) may be in another script: “プラ” 「ゴミ」 "ATM"
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|「[^」]*」|『[^』]*』|\'[^\']*\'|‘[^’]*’')


def unquoted(text: str) -> str:
    """``text`` without quoted spans (they are not checked for script)."""
    return _QUOTED.sub(" ", text)


def _checked_part(text: str) -> str:
    """What a script check looks at: the text without quoted spans, unless that leaves nothing."""
    rest = unquoted(text)
    return rest if rest.strip() else text

# Japanese shinjitai that are not Simplified Chinese -> the Simplified form
JAPANESE_FORMS = dict(zip(
    "険転続発単図証済帳駅児歳様払売読経関齢労営変県広気戸録団両検権満楽観対応択拠効収歩沢浜実価値黒帰覚総伝乗処鉄円塩絵拡駆軽芸験厳歯釈従焼譲専戦銭捜層増蔵帯弾遅庁聴闘徳脳廃髪晩頻仏並辺弁舗豊毎訳薬頼覧欄竜緑涙暦歴込働畑枠",
    "险转续发单图证济帐站儿岁样付卖读经关龄劳营变县广气户录团两检权满乐观对应择据效收步泽滨实价值黑归觉总传乘处铁圆盐绘扩驱轻艺验严齿释从烧让专战钱搜层增藏带弹迟厅听斗德脑废发晚频佛并边办铺丰每译药赖览栏龙绿泪历历入动田框",
    strict=True,
))


def _kind(ch: str) -> str:
    o = ord(ch)
    if ch in "・･":  # katakana middle dot: punctuation in every CJK language
        return "mark"
    if 0x3041 <= o <= 0x309F:
        return "hira"
    if 0x30A0 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F:
        return "kata"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or ch in "々〆":
        return "han"
    if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if ch.isdigit():
        return "digit"
    cat = unicodedata.category(ch)
    if cat[0] == "L":
        return "latin" if "LATIN" in unicodedata.name(ch, "") else "other"
    return "mark" if cat[0] in "PSZMC" else "other"


def kinds(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for ch in text:
        k = _kind(ch)
        out[k] = out.get(k, 0) + 1
    return out


def has_vietnamese_marks(text: str) -> bool:
    if "đ" in text.lower():
        return True
    return any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", text))


def _foreign(k: dict[str, int], *names: str) -> str:
    labels = {"hira": "hiragana", "kata": "katakana", "han": "kanji/hanzi", "hangul": "Hangul", "latin": "Latin "
                                                                                                         "letters"}
    found = [labels[n] for n in names if k.get(n)]
    return ", ".join(found)


def check_ja(text: str) -> str:
    k = kinds(text)
    if not (k.get("hira") or k.get("kata") or k.get("han")):
        return "Japanese text has no kana or kanji"
    if k.get("hangul"):
        return "Japanese text contains Hangul"
    return ""


def check_ja_kana(text: str, ja: str = "") -> str:
    """Kana only; Latin words that the ja text also has as-is ("Wi-Fi", "ATM") are allowed."""
    for word in re.findall(r"[A-Za-z][A-Za-z0-9\-.]*", text):
        if word in ja:
            text = text.replace(word, " ")
    k = kinds(text)
    bad = [c for c in text if _kind(c) in ("han", "latin", "hangul", "other")]
    if bad:
        return f"ja_kana must be kana only; found {' '.join(dict.fromkeys(bad))}"
    if not (k.get("hira") or k.get("kata")):
        return "ja_kana has no kana"
    return ""


def check_ja_easy(text: str) -> str:
    k = kinds(text)
    kana = k.get("hira", 0) + k.get("kata", 0)
    if not kana:
        return "ja_easy has no kana"
    if k.get("hangul"):
        return "ja_easy contains Hangul"
    share = k.get("han", 0) / (kana + k.get("han", 0))
    if share > 0.4:
        return f"ja_easy should be mostly kana ({round(share * 100)}% kanji); use easier words or kana"
    return ""


def check_ko(text: str) -> str:
    text = _checked_part(text)
    k = kinds(text)
    if not k.get("hangul"):
        return "Korean text has no Hangul"
    if k.get("hira") or k.get("kata"):
        return "Korean text contains Japanese kana"
    if k.get("han", 0) > k["hangul"]:
        return "Korean text has more Chinese characters than Hangul"
    return ""


def check_vi(text: str) -> str:
    text = _checked_part(text)
    k = kinds(text)
    foreign = _foreign(k, "hira", "kata", "han", "hangul")
    if foreign:
        return f"Vietnamese text contains {foreign}"
    if not k.get("latin"):
        return "Vietnamese text has no Latin letters"
    if len(text.split()) >= 3 and not has_vietnamese_marks(text):
        return "Vietnamese text of 3 or more words has no Vietnamese diacritics (tone marks, ă â đ ê ô ơ ư)"
    return ""


def check_zh(text: str) -> str:
    import hanzidentifier
    from hanzidentifier import helpers

    text = _checked_part(text)

    k = kinds(text)
    if not k.get("han"):
        return "Chinese text has no Chinese characters"
    foreign = _foreign(k, "hira", "kata", "hangul")
    if foreign:
        return f"Chinese text contains {foreign}"
    trad = [
        c for c in dict.fromkeys(text) if c in helpers.TRADITIONAL_CHARACTERS and c not in helpers.SIMPLIFIED_CHARACTERS
    ]
    if trad or hanzidentifier.identify(text) in (hanzidentifier.TRADITIONAL, hanzidentifier.MIXED):
        return f"Chinese must be Simplified; Traditional characters: {' '.join(trad)}"
    jp = [c for c in dict.fromkeys(text) if c in JAPANESE_FORMS]
    if jp:
        return "Chinese uses Japanese character forms: " + " ".join(f"{c} (use {JAPANESE_FORMS[c]})" for c in jp)
    return ""


def check_en(text: str) -> str:
    text = _checked_part(text)
    k = kinds(text)
    foreign = _foreign(k, "hira", "kata", "han", "hangul")
    if foreign:
        return f"English text contains {foreign}"
    if not k.get("latin"):
        return "English text has no Latin letters"
    return ""


CHECKS = {"ja": check_ja, "ja_kana": check_ja_kana, "ja_easy": check_ja_easy, "en": check_en,
          "vi": check_vi, "zh": check_zh, "ko": check_ko}

# typical length of a text in each language relative to its English character count
LENGTH_FACTOR = {"en": 1.0, "vi": 1.1, "ja": 0.45, "zh": 0.3, "ko": 0.45}
LENGTH_TOLERANCE = 3.0  # flag a text more than 3x longer or shorter than expected
LENGTH_MIN_EN = 16  # shorter English texts are not compared (greetings, "OK")


def length_problem(texts: dict[str, str]) -> tuple[str, str] | None:
    """(lang, message) if a text is far longer or shorter than the others suggest.

    Each language is compared with the English length times ``LENGTH_FACTOR``;
    when most languages disagree with English the same way, English is blamed."""
    en = texts.get("en", "")
    if len(en) < LENGTH_MIN_EN:
        return None
    off = {}
    for lang, factor in LENGTH_FACTOR.items():
        if lang == "en" or not texts.get(lang):
            continue
        ratio = len(texts[lang]) / (len(en) * factor)
        if ratio > LENGTH_TOLERANCE or ratio < 1 / LENGTH_TOLERANCE:
            off[lang] = ratio
    if not off:
        return None
    if len(off) >= 2 and (all(r > 1 for r in off.values()) or all(r < 1 for r in off.values())):
        return (
            "en",
            f"length {len(en)} is far from what the other languages suggest; is it a translation of the same text?",
        )
    lang = next(iter(off))
    expected = round(len(en) * LENGTH_FACTOR[lang])
    return lang, (f"length {len(texts[lang])} is far from the expected ~{expected} "
                  f"(English has {len(en)}); is it a translation of the same text?")
