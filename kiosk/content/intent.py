"""What a sentence wants, beyond its words: facts a phrase and an utterance must share (``match._guard``).

- ``cancels``: ending, cancelling or withdrawing from something ("cancel my seal registration" is not
  "register my seal");
- ``found``: something found or picked up ("I found my wallet" is not "I lost my wallet");
- ``asks``: who is to act, the listener ("could you take a photo of us") or the speaker ("may I take photos");
- ``until``: until a time ("how late are you open" asks for the closing time);
- ``languages_named``: the languages a sentence names ("Can you speak Korean?" is not "Do you speak English?");
- ``vague``: only question and quantity words ("How much is it?" says no price).

The older facts (numbers, negations, mood, people, "only", speaker, question words) are in ``guards``.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.content.guards import WH
from kiosk.content.normalise import normalise

# ending something: "I want to cancel my seal registration" is not "I want to register my seal"
CANCEL = {
    "en": {"cancel", "stop", "quit", "withdraw", "withdrawal", "terminate", "unsubscribe", "deregister"},
    "ja": {"やめる", "とりけす", "とりやめる", "脱退", "解約", "キャンセル", "廃止", "取り消し", "取消", "退会",
           "中止"},
    "zh": {"取消", "注销", "退出", "停止", "解约", "退保"},
    "ko": {"취소", "해지", "그만두다", "탈퇴", "폐지", "중지", "해약"},
    "vi": {"hủy", "huỷ", "ngừng", "rút", "dừng", "chấm dứt"},
}


_ZH_CANCEL = re.compile("|".join(sorted(CANCEL["zh"] | {"退掉", "停掉", "不要了", "退会"}, key=len, reverse=True)))


def cancels(text: str, lemmas: tuple[str, ...], lang: str) -> bool:
    """Whether the words end, cancel or withdraw from something (Chinese: in the text)."""
    if lang == "zh":
        return bool(_ZH_CANCEL.search(text))
    return bool(CANCEL[lang].intersection(lemmas))


# finding: "I found my wallet" is not "I lost my wallet" (after synonyms: "can not find" is already "lose")
FOUND = {
    "en": {"find", "found"},
    "ja": {"みつかる", "みつける", "ひろう"},
    "zh": {"找到", "捡到", "拾到", "找着"},
    "ko": {"찾다", "줍다"},
    "vi": {"thấy", "nhặt"},
}


def found(lemmas: tuple[str, ...], lang: str) -> bool:
    """Whether something was found or picked up; "where can I find ..." (a question word) asks for a place."""
    if WH[lang].intersection(lemmas):
        return False
    if lang == "zh":
        joined = "".join(lemmas)
        return any(w in joined for w in FOUND["zh"])
    return bool(FOUND[lang].intersection(lemmas))


# who is to act: "could you take a photo of us" (the listener) is not "may I take photos" (the speaker)
_ASK_YOU = {
    "en": re.compile(r"^(?:(?:please|excuse me|sorry|hi|hello) )*(?:can|could|would|will) you\b|"
                     r"\b(?:picture|photo) of (?:me|us)\b"),
    "ja": re.compile(r"[てで](?:もらえ|もらい|もらって|くれ|くださ|下さ|いただけ|いただき|頂け|頂き)"),
    "zh": re.compile(r"帮我|帮我们|给我们拍|给我拍|请你|请您帮|能不能帮|可以帮"),
    "ko": re.compile(r"(?:아|어|여|해|워|와|줘) ?주(?:세요|실|시겠|시|겠|십|세)|(?:아|어|여|해) ?줘"),
    "vi": re.compile(r"(?:giúp|giùm|hộ) (?:tôi|em|chúng tôi|mình)"),
}
_ASK_ME = {
    "en": re.compile(r"^(?:(?:please|excuse me|sorry|hi|hello) )*(?:can|could|may) (?:i|we)\b|"
                     r"\b(?:is it|is that|it is|it's) (?:ok|okay|alright|allowed|fine)\b|"
                     r"\b(?:i|we) (?:am|are) allowed\b"),
    "ja": re.compile(r"[てで]も(?:いい|よい|良い|よろしい|大丈夫|かまわ|構わ)"),
    "zh": re.compile(r"我(?:们)?(?:可以|能)|^(?:请问)?(?:可以|能)(?!帮|给我|请)"),
    "ko": re.compile(r"(?:아|어|여|해|워|와)도 ?(?:돼|되|됩|될|괜찮)"),
    "vi": re.compile(r"(?:^|\s)(?:tôi|em|chúng tôi|mình) (?:có thể|được)"),
}


def asks(text: str, lang: str) -> str:
    """"you" when the sentence asks the listener to do something (撮ってもらえますか, 찍어 주세요), "me" when
    it asks leave for the speaker (撮ってもいいですか, 찍어도 돼요), "" when the words do not say or say both."""
    subject = unicodedata.normalize("NFKC", text).lower().strip()
    if lang in ("en", "vi"):
        subject = normalise(subject, lang)
    you, me = bool(_ASK_YOU[lang].search(subject)), bool(_ASK_ME[lang].search(subject))
    return "you" if you and not me else "me" if me and not you else ""


# until a time: "until what time are you open" asks when it closes, not when it opens
_UNTIL = {
    "en": re.compile(r"\b(?:until|till|til)\b|\bhow late\b"),
    "ja": re.compile(r"(?:何時|時|なんじ|じ|いつ|何日|なんにち)まで"),
    "zh": re.compile(r"到几点|几点为止|到什么时候"),
    "ko": re.compile(r"(?:시|때|언제|며칠)\s?까지"),
    "vi": re.compile(r"(?:đến|tới|den|toi) (?:mấy giờ|may gio|khi nào|khi nao|lúc nào|luc nao)"),
}


def until(text: str, lang: str) -> bool:
    subject = unicodedata.normalize("NFKC", text).lower()
    return bool(_UNTIL[lang].search(normalise(subject, lang) if lang in ("en", "vi") else subject))




# languages named: "Can you speak Korean?" is not "Do you speak English?"
_LANGUAGE_RE = {
    "en": [("ja", r"\bjapanese\b"), ("en", r"\benglish\b"), ("zh", r"\b(?:chinese|mandarin)\b"),
           ("ko", r"\bkorean\b"), ("vi", r"\bvietnamese\b"), ("pt", r"\bportuguese\b"), ("es", r"\bspanish\b")],
    "ja": [("ja", r"日本語"), ("en", r"英語"), ("zh", r"中国語"), ("ko", r"韓国語"), ("vi", r"ベトナム語"),
           ("pt", r"ポルトガル語"), ("es", r"スペイン語")],
    "zh": [("ja", r"日语|日文"), ("en", r"英语|英文"), ("zh", r"中文|汉语|普通话"), ("ko", r"韩语|韩文|朝鲜语"),
           ("vi", r"越南语|越语"), ("pt", r"葡萄牙语"), ("es", r"西班牙语")],
    "ko": [("ja", r"일본어"), ("en", r"영어"), ("zh", r"중국어"), ("ko", r"한국어"), ("vi", r"베트남어"),
           ("pt", r"포르투갈어"), ("es", r"스페인어")],
    "vi": [("ja", r"tiếng nhật|tieng nhat"), ("en", r"tiếng anh|tieng anh"),
           ("zh", r"tiếng trung|tiếng hoa|tieng trung|tieng hoa"), ("ko", r"tiếng hàn|tieng han"),
           ("vi", r"tiếng việt|tieng viet"), ("pt", r"tiếng bồ"), ("es", r"tiếng tây ban nha")],
}


def languages_named(text: str, lang: str) -> frozenset[str]:
    """The languages a sentence names (日本語, "English", tiếng Hàn ...), as codes."""
    subject = unicodedata.normalize("NFKC", text).lower()
    return frozenset(code for code, pattern in _LANGUAGE_RE[lang] if re.search(pattern, subject))


# how much / how many: with only these and question words a sentence does not say what it asks about
_QUANTITY = {"en": {"much", "many", "cost", "price"}, "ja": {"値段"}, "zh": {"多", "少", "钱"},
             "ko": {"얼마", "얼마나"}, "vi": {"bao", "nhiêu", "tiền"}}


def vague(lemmas: frozenset[str], lang: str) -> bool:
    """Only question and quantity words ("how much", 多少, 얼마): too vague to stand for a phrase."""
    return bool(lemmas) and not lemmas - WH[lang] - _QUANTITY[lang]
