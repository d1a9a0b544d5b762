"""Facts a phrase and an utterance must share before the phrase may replace machine translation.

- ``numbers``: digits, number words, CJK numerals before a counter, weekdays, days ("counter 3" never
  "counter 4", "today" never "tomorrow");
- ``negations``: how many negation markers ("Please sign here" never "Please don't sign here"; 有没有 asks);
- ``mood``: offer, request, question, statement, plain (写真を撮ってもいいですよ is permission given, not
  asked; ～てください never answers どこに出しますか);
- ``people``, ``has_only``, ``speaker``: who the sentence is about, "only", the English speaker;
- ``question_words``: what is asked, by meaning (how = what, 何曜日 = いつ).

What a sentence wants beyond that (cancel, found, who acts, until, languages, vagueness) is in ``intent``;
glossary terms are compared by ``match._other_term``.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.content.normalise import cjk_numbers_to_digits, normalise, number_words_to_digits, strip_tones

_NEGATION = {
    "en": re.compile(r"\b(not|no|never|without|nothing|none|nobody|nowhere)\b"),
    "vi": re.compile(r"(?:(?<=\s)|^)(không|chưa|đừng|chẳng|chớ|cấm|chả)(?=\s|$)"),
    # not 对不起/不好意思/没关系/别的
    "zh": re.compile(r"(?<!对)不(?!好意思)|没(?!关系)|別(?!の)|别(?!的)|勿|禁止|无法|未"),
    "ko": re.compile(r"않|못|없|마세요|마십시오|말고|말아|금지|아니|(?:(?<=\s)|^)안(?=\s)|안돼|안 돼|안됩"),
    # on the hiragana form: ない (not 案内/少ない/危ない/汚い), ません (not すみません), なかった, 禁止, だめ
    # (not げんきんしか: 現金しか)
    "ja": re.compile(r"(?<!あん)(?<!すく)(?<!あぶ)(?<!きた)ない|(?<!すみ)ません|なかった|(?<!げん)きんし|だめ"),
}

_WEEKDAYS = {
    "en": [r"\bmondays?\b", r"\btuesdays?\b", r"\bwednesdays?\b", r"\bthursdays?\b", r"\bfridays?\b",
           r"\bsaturdays?\b", r"\bsundays?\b"],
    "ja": ["げつよう", "かよう", "すいよう", "もくよう", "きんよう", "どよう", "にちよう"],  # on the kana form
    "zh": [f"(?:星期|周|礼拜){d}" for d in "一二三四五六"] + ["(?:星期|周|礼拜)[日天]"],
    "ko": ["월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"],
    "vi": ["thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy", "chủ nhật"],
}
_WEEKDAY_RE = {lang: [re.compile(p) for p in pats] for lang, pats in _WEEKDAYS.items()}
# days counted from today: "open today" is not "open tomorrow" (d0 today, d1 tomorrow, d-1 yesterday)
_DAYS = {
    "en": {"d0": r"\btoday\b|\btonight\b", "d1": r"\btomorrow\b", "d-1": r"\byesterday\b"},
    "ja": {"d0": r"今日|本日|きょう|こんにち(?!は)", "d1": r"明日|あした|あす", "d-1": r"昨日|きのう"},
    "zh": {"d0": r"今天|今日", "d1": r"明天|明日", "d-1": r"昨天"},
    "ko": {"d0": r"오늘", "d1": r"내일", "d-1": r"어제"},
    "vi": {"d0": r"hôm nay|hom nay|tối nay", "d1": r"ngày mai|ngay mai|\bmai\b", "d-1": r"hôm qua|hom qua"},
}
_DAY_RE = {lang: {k: re.compile(v) for k, v in pats.items()} for lang, pats in _DAYS.items()}
_KO_NUMBERS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9, "십": 10}
# 이번 means "this time": 이 alone is not read as 2
_KO_NUMBER_RE = re.compile(r"(?<![가-힣])([일삼사오육칠팔구]|십[일이삼사오육칠팔구]?)(?=\s*(?:번|층|호))")


# not counts: もう一回 / 一度 / 再说一次 (once), 一番近い (nearest), 慢一点 (a little slower)
_ONCE = re.compile(r"(?:もう|再说|再讲|再)?(?<![0-9零一二三四五六七八九十百千])(?:一|1)(?:回|度|次|遍)(?!目)|"
                   r"(?<=[慢快大小多少早晚近远高低轻重好])一点")
_SUPERLATIVE = re.compile(r"一番(?=[近遠安高良早大小多少速便いおよ])")
_ZH_ARTICLE = re.compile(r"(?<![0-9零一二三四五六七八九十百两])一(?=[个张份封件本只])")  # 一个通知: a notice, not one
_JA_KANA_DIGITS = ["いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう", "じゅう"]
_JA_KANA_NUMBER = re.compile(r"(?<![ぁ-ん])(いち|さん|よん|ろく|なな|はち|きゅう|じゅう)(?=ばん|ごう|かい)"
                             r"(?!ばんちか|ばんとお|ばんやす|ばんはや)")  # いちばんちかい: nearest, not number 1


def numbers(text: str, lang: str) -> tuple[str, ...]:
    """Numbers and days in ``text`` (digits, English number words, CJK numerals before a counter,
    Sino-Korean numerals before 번/층/호; weekdays as "wd1".."wd7"; today/tomorrow/yesterday as
    "d0"/"d1"/"d-1"), sorted."""
    text = unicodedata.normalize("NFKC", text).lower()
    if lang == "en":
        text = number_words_to_digits(text)
    if lang == "zh":
        text = _ZH_ARTICLE.sub("", zh_a_not_a(text))
    if lang in ("ja", "zh"):
        text = _ONCE.sub("", _SUPERLATIVE.sub("", text))
        text = cjk_numbers_to_digits(text)
    text = number_words(text, lang)
    found = [str(int(n)) for n in re.findall(r"\d+", text.replace(",", ""))]
    subject = normalise(text, "ja") if lang == "ja" else text
    for day, pattern in enumerate(_WEEKDAY_RE[lang], 1):
        found += [f"wd{day}"] * len(pattern.findall(subject))
    for day, pattern in _DAY_RE[lang].items():
        found += [day] * min(1, len(pattern.findall(text)))
    return tuple(sorted(found))


_VI_DIGITS = ["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]
_VI_NUMBER_RE = re.compile(r"\b((?:số|quầy|tầng|cửa) )(" + "|".join(_VI_DIGITS) + r")\b", re.IGNORECASE)


def number_words(text: str, lang: str) -> str:
    """Number words where they count something as digits: 일번 -> 1번, quầy số một -> quầy số 1,
    いちばん -> 1ばん (the analysers then see the same token as for a written digit)."""
    if lang == "ko":
        return _KO_NUMBER_RE.sub(lambda m: str(_ko_int(m.group(1))), text)
    if lang == "vi":
        return _VI_NUMBER_RE.sub(lambda m: m.group(1) + str(_VI_DIGITS.index(m.group(2).lower()) + 1), text)
    if lang == "ja":
        return _JA_KANA_NUMBER.sub(lambda m: str(_JA_KANA_DIGITS.index(m.group(1)) + 1), text)
    return text


def _ko_int(s: str) -> int:
    return 10 + _KO_NUMBERS.get(s[1:], 0) if s.startswith("십") else _KO_NUMBERS[s]


# Vietnamese yes/no questions end in không / chưa ("... được không", "có ... không"): not a negation
VI_QUESTION_END = re.compile(r"\s(?:không|chưa|khong|chua)"
                             r"(?:\s(?:ạ|vậy|nhỉ|hả|ha|nha|nhé|anh|chị|em|bạn|cô|chú|ông|bà))*$")


_ZH_A_NOT_A = re.compile(r"(\w)[不没]\1")
_JA_ASKING_NEG = re.compile(r"(?:もらえ|もらい|くれ|いただけ)ませんか")  # 呼んでもらえませんか: please call


def zh_a_not_a(text: str) -> str:
    """有没有 / 能不能 / 是不是 asks a yes-no question: read as 有 / 能 / 是, not as a negation."""
    return _ZH_A_NOT_A.sub(r"\1", text)


def negations(text: str, lang: str) -> int:
    """How many negation markers ``text`` holds (ja on its kana form, others on the lowercased text)."""
    if lang == "ja":
        subject = _JA_ASKING_NEG.sub("", normalise(text, "ja"))
        if "しか" in subject:  # 少ししかわかりません: only a little, not a negation
            subject = re.sub(r"しか.*", "しか", subject)
    elif lang == "zh":
        subject = normalise(zh_a_not_a(text), "zh")
    elif lang == "ko":
        subject = unicodedata.normalize("NFKC", text)
    else:
        subject = normalise(text, lang)
        if lang == "vi":
            subject = VI_QUESTION_END.sub("", subject)
    return len(_NEGATION[lang].findall(subject))


_OFFER = {
    "en": re.compile(r"^(?:shall (?:i|we)|should i|do you want me to|would you like me to|let me)\b"),
    "ja": re.compile(r"ましょうか$|ましょう$"),
    "zh": re.compile(r"要我|要不要我|我帮您|我帮你|我来帮"),
    "ko": re.compile(r"(?:드릴까요|줄까요)$"),  # 드릴게요 (I will ...) promises, it does not offer
    "vi": re.compile(r"^để tôi|giúp (?:quý khách|bạn|anh|chị) nhé$"),
}
_EN_QUESTION = re.compile(r"^(?:is|are|am|was|were|do|does|did|can|could|may|might|will|would|shall|should|have|has|"
                          r"where|what|when|who|why|how|which)\b")
_EN_MODAL_YOU = re.compile(r"^(?:can|could|would|will) you\b")
_EN_ASKS_LATER = re.compile(r"\b(?:is there|are there|can i|could i|can we|do you|can you|could you)\b")
_EN_WH = re.compile(r"\b(?:where|what|when|who|why|how|which)\b")
_EN_STATEMENT = re.compile(r"^(?:i|you|we|they|it|he|she|there|this|that|my|your|our)\b")


_JA_WH = re.compile(r"どこ|何処|なに|何|なん|いつ|だれ|誰|どう|いくら|どれ|どの|どちら|どんな|なぜ")
_JA_REQUEST = re.compile(r"(?<!おしえて)(?:ください|くださいませ|ねがいします|ねがいいたします|ねがいできますか|"
                         r"てほしい|でほしい|[てで](?:もらえ|いただけ|くれ)(?:ます|ません)か)$")


def mood(text: str, lang: str) -> str:
    """"offer" (Shall I ...? / 呼びましょうか), "request" (ja ～てください / ～てもらえますか; not 教えてください),
    "ask" ("Can you ...": a question or a request), "question" ("wh-question" in Japanese when it asks
    どこ, 何, いつ ...), "statement", "plain" (zh/vi without a question word) or "" (not shown by the words).
    Recognised speech has no punctuation: only a question mark, English word order and Japanese endings
    (か / よ, ね) count, so many sentences are ""."""
    stripped = unicodedata.normalize("NFKC", text).strip()
    plain = normalise(stripped, lang)
    if _OFFER[lang].search(plain if lang != "ja" else normalise(re.sub(r"[。.？?！!]+$", "", stripped), "ja")):
        return "offer"
    if lang == "ja" and _JA_REQUEST.search(normalise(re.sub(r"[。.？?！!]+$", "", stripped), "ja")):
        return "request"
    if stripped.endswith("?"):
        return "question"
    if lang == "en":
        if _EN_MODAL_YOU.match(plain):
            return "ask"  # "can you ..." / "could you ...": a question or a request
        if _EN_QUESTION.match(plain):
            return "question"
        if _EN_STATEMENT.match(plain) and not _EN_WH.search(plain) and not _EN_ASKS_LATER.search(plain):
            return "statement"  # not "i want ... which counter do i go to", "my phone's dead is there ..."
    if lang == "ja":
        if plain.endswith(("か", "かな")):
            return "wh-question" if _JA_WH.search(stripped) else "question"
        if plain.endswith(("よ", "よね", "ですね")):
            return "statement"
    if lang in _QUESTION_WORDS:  # spoken Chinese and Vietnamese questions carry a question word or particle
        return "question" if _QUESTION_WORDS[lang].search(plain) else "plain"
    return ""


_QUESTION_WORDS = {
    "zh": re.compile(r"[吗呢么嘛哪几谁]|什么|怎么|多少|为什么|是不是|能不能|可不可以|有没有|行不行|好不好|对不对"),
    # không / chưa ask only at the end ("... được không"); inside a sentence they negate
    "vi": re.compile(r"(?:^|\s)(?:gì|đâu|nào|sao|bao nhiêu|bao lâu|mấy|ai|à|hả|chứ|nhỉ|dau|gi|nao|may)(?=\s|$)|"
                     + VI_QUESTION_END.pattern),
}


def mood_conflict(query: str, phrase: str) -> bool:
    """An offer only matches an offer; a request never a question or a statement ("Do I need to evacuate?"
    is not "Please evacuate"); a statement never a question (when both are known); a Chinese or
    Vietnamese sentence without any question word never matches a question ("这里可以拍照" is not
    "可以拍照吗")."""
    if "offer" in (query, phrase):
        return query != phrase
    if "ask" in (query, phrase):  # "can you ...": a question or a request, never a statement
        return "statement" in (query, phrase)
    if "request" in (query, phrase):  # 領収書もらえますか may ask for it; どこに出しますか does not
        return bool(query and phrase and query != phrase and {query, phrase} & {"wh-question", "statement"})
    query, phrase = (m.replace("wh-question", "question") for m in (query, phrase))
    if "plain" in (query, phrase):
        return query == "plain" and phrase == "question"
    return bool(query and phrase and query != phrase)


# words for one's child are the same person ("うちの子" = 子ども, "bé" = "trẻ em" = "con")
_CHILD = {
    "en": {"child", "children", "kid", "son", "daughter", "boy", "girl"},
    "ja": {"子供", "子", "息子", "娘"},
    "zh": {"孩子", "儿子", "女儿", "小孩"},
    "ko": {"아이", "아들", "딸", "애", "자녀"},
    "vi": {"con", "bé", "trẻ"},
}

# people a sentence may be about: "my son has a fever" is not "I have a fever"
PEOPLE = {
    "en": _CHILD["en"] | {"baby", "husband", "wife", "mother", "father", "mom", "dad", "friend", "parent", "family"},
    "ja": _CHILD["ja"] | {"赤ちゃん", "赤ん坊", "夫", "妻", "主人", "母", "父", "友達", "家族"},
    "zh": _CHILD["zh"] | set("宝宝 婴儿 丈夫 妻子 老公 老婆 妈妈 爸爸 朋友 家人".split()),
    "ko": _CHILD["ko"] | {"아기", "남편", "아내", "엄마", "아빠", "친구", "가족"},
    "vi": _CHILD["vi"] | {"chồng", "vợ", "mẹ", "bố", "ba", "gia đình"},
}


# restrictive words: "cash only" is not "can I pay in cash"
ONLY = {
    "en": {"only", "just"},
    "ja": {"のみ", "だけ", "しか"},
    "zh": {"只", "仅", "只有", "只能", "只收", "仅限"},
    "ko": {"만"},
    "vi": {"chỉ"},
}




def people(lemmas: tuple[str, ...], lang: str) -> frozenset[str]:
    """The people of ``PEOPLE`` a lemma sequence names (Chinese: within its characters); any word for a
    child is "child"."""
    if lang == "zh":
        joined = "".join(lemmas)
        found = {w for w in PEOPLE["zh"] if w in joined}
    else:
        found = set(PEOPLE[lang].intersection(lemmas))
    return frozenset("child" if w in _CHILD[lang] else w for w in found)


def has_only(lemmas: tuple[str, ...], lang: str) -> bool:
    if lang == "zh":
        return any(w.startswith(("只", "仅")) for w in lemmas)
    return bool(ONLY[lang].intersection(lemmas))


_EN_FIRST = re.compile(r"^(?:(?:sorry|excuse me|so|well|um|uh|ok|okay) )*(i|we|my|our|you|your)\b")


def speaker(text: str, lang: str) -> str:
    """English only: who the sentence is about when it starts with a pronoun ("i" for I/we/my,
    "you" for you/your); "" otherwise.  "You need to enroll" is not "I want to enroll"."""
    if lang != "en":
        return ""
    m = _EN_FIRST.match(normalise(text, "en"))
    if not m:
        return ""
    return "i" if m.group(1) in ("i", "we", "my", "our") else "you"


# question words, compared as lemmas: "Where can I buy tickets?" is not "Tickets are sold here",
# 洗手间能用吗 is not 洗手间在哪里
WH = {
    "en": {"where", "what", "when", "how", "who", "which", "why"},
    "ja": {"何処", "何", "いつ", "どう", "誰", "どれ", "幾ら", "いくら", "何時", "どの", "どんな", "何故", "なぜ",
           "何曜"},
    "zh": {"哪", "几", "谁", "什", "怎"},
    "ko": {"어디", "무엇", "뭐", "언제", "어떻다", "누구", "몇", "얼마", "어느", "왜", "어떤", "무슨"},
    "vi": {"đâu", "gì", "nào", "mấy", "ai", "sao", "bao", "dau", "gi", "nao", "may"},
}


# question words that ask the same thing ("how do I ..." = "what should I do", 何曜日 = いつ, 几岁 = 多大)
_WH_SAME = {
    "en": {"how": "what"},
    "ja": {"何曜": "いつ", "何時": "いつ"},
    "zh": {"多少": "几"},
    "ko": {"어떤": "무슨", "뭐": "무엇"},
    "vi": {"nào": "gì", "nao": "gi", "bao": "mấy"},
}
_ZH_YES_NO = re.compile(r"吗[?？。!！]*$|" + _ZH_A_NOT_A.pattern)
_ZH_HOW_MUCH = ("多少", "多久", "多大", "多长", "多远")
_EN_WH_WORD = re.compile(r"\b(where|what|when|who|why|how|which)\b")
# a relative clause: "a place where I can ...", "the hospital where the doctors ..." (not a question)
_EN_RELATIVE = re.compile(r"\b(?:a|an|any|some|the)\s+(?:\w+\s+)?\w+\s+(where|which|who|when)\s+"
                          r"(?:i|you|we|they|he|she|it|the|my|your|there)\b")


def question_words(lemmas: tuple[str, ...], lang: str, text: str = "") -> frozenset[str]:
    """The question words asked, by meaning (_WH_SAME).  English leaves out a relative clause ("a place where
    I can ...")."""
    found = set(WH[lang].intersection(lemmas))
    if lang == "en" and text:  # leave out a word only ever used in a relative clause
        plain = normalise_keep_stops(text)
        relative = {m.group(1) for m in _EN_RELATIVE.finditer(plain)}
        asking = {m.group(1) for m in _EN_WH_WORD.finditer(plain)} - relative
        found -= relative - asking
    if lang == "zh" and any(w in "".join(lemmas) for w in _ZH_HOW_MUCH):
        found.add("多少")
    if lang == "zh" and text and _ZH_YES_NO.search(unicodedata.normalize("NFKC", text).strip()):
        found = set()  # 你有没有哪里受伤 / 对什么药过敏吗: "anywhere", "anything" in a yes-no question
    found = {_WH_SAME[lang].get(w, w) for w in found}
    if lang == "vi":  # typed without tone marks: đâu = dau

        found = {strip_tones(w) for w in found}
    return frozenset(found)

def normalise_keep_stops(text: str) -> str:
    """English text lowercased, "where's" / "wheres" as "where is" (for the question words)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    text = re.sub(r"\b(where|what|when|who|how)'?s\b", r"\1 is", text)
    return re.sub(r"[^\w\s.?!']", " ", text)
