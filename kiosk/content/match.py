"""Match recognised or typed text against the phrasebook (rapidfuzz).

``PhraseMatcher(content, site).match(text, lang)`` returns the best
``PhraseMatch`` at or above the language's threshold, or None.

- Every phrase text is normalised once (``normalise.match_key``); Japanese is
  compared both with the kana-converted ``ja`` and with ``ja_kana``.  Glossary
  aliases are replaced by the agreed term in query and phrases alike, so
  "Where's the bathroom?" meets "Where is the toilet?".
- Scores: ``fuzz.ratio`` on characters for ja/zh/ko (no reliable word
  boundaries); ``max(fuzz.ratio, fuzz.token_sort_ratio)`` for en/vi.  Vietnamese
  is also compared without tone marks, ``VI_TONELESS_PENALTY`` points lower.
- Guards: a candidate is rejected whatever its score if its numbers and
  weekdays or its count of negation words differ from the query's, or if the
  query names glossary terms and they are not exactly the phrase's ("Please sign here" never matches "Please don't sign
  here"; "counter 3" never "counter 4"; "Mondays" never "Tuesdays"; 住民票
  never 戸籍謄本; "tax assessment certificate" never "tax payment certificate").
- Phrases with ``{field}`` placeholders are matched with the city's site values
  filled in; if a value is missing the phrase is left out (browsable only).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping

from kiosk.content.faq import fill, missing_fields
from kiosk.content.load import Content, Phrase
from kiosk.content.normalise import cjk_numbers_to_digits, match_key, normalise, number_words_to_digits, strip_tones
from kiosk.languages import CODES as LANGS

_LOGGER = logging.getLogger(__name__)

# tuned on tests/test_content_match.py: lowest paraphrase score per language 80 (ja) .. 94 (vi), unrelated
# requests <= 57; false friends score up to 93 and are stopped by the guards, not the threshold
THRESHOLDS: dict[str, float] = {"ja": 78.0, "en": 80.0, "vi": 80.0, "zh": 78.0, "ko": 78.0}
VI_TONELESS_PENALTY = 6.0
_CANDIDATES = 10


@dataclass(frozen=True)
class PhraseMatch:
    entry_id: str
    similarity: float  # 0..100
    phrase: Phrase
    texts: Mapping[str, str] = field(hash=False)  # the phrase in every language, site values filled in

    def text(self, lang: str) -> str:
        return self.texts[lang]


# --------------------------------------------------------------------------- guards

_NEGATION = {
    "en": re.compile(r"\b(not|no|never|without|nothing|none|nobody|nowhere)\b"),
    "vi": re.compile(r"(?:(?<=\s)|^)(không|chưa|đừng|chẳng|chớ|cấm|chả)(?=\s|$)"),
    "zh": re.compile(r"(?<!对)不(?!好意思)|没(?!关系)|別|别|勿|禁止|无法|未"),  # not 对不起/不好意思/没关系
    "ko": re.compile(r"않|못|없|마세요|마십시오|말고|말아|금지|아니|(?:(?<=\s)|^)안(?=\s)|안돼|안 돼|안됩"),
    # on the hiragana form: ない (not 案内/少ない/危ない/汚い), ません (not すみません), なかった, 禁止, だめ
    "ja": re.compile(r"(?<!あん)(?<!すく)(?<!あぶ)(?<!きた)ない|(?<!すみ)ません|なかった|きんし|だめ"),
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


def numbers(text: str, lang: str) -> tuple[str, ...]:
    """Numbers and weekdays in ``text`` (digits, English number words, CJK numerals before a
    counter; weekdays as "wd1".."wd7"), sorted."""
    text = unicodedata.normalize("NFKC", text).lower()
    if lang == "en":
        text = number_words_to_digits(text)
    if lang in ("ja", "zh"):
        text = cjk_numbers_to_digits(text)
    found = [str(int(n)) for n in re.findall(r"\d+", text.replace(",", ""))]
    subject = normalise(text, "ja") if lang == "ja" else text
    for day, pattern in enumerate(_WEEKDAY_RE[lang], 1):
        found += [f"wd{day}"] * len(pattern.findall(subject))
    return tuple(sorted(found))


def negations(text: str, lang: str) -> int:
    """How many negation markers ``text`` holds (ja on its kana form, others on the lowercased text)."""
    if lang == "ja":
        subject = normalise(text, "ja")
    elif lang == "ko":
        subject = unicodedata.normalize("NFKC", text)
    else:
        subject = normalise(text, lang)
    return len(_NEGATION[lang].findall(subject))


# --------------------------------------------------------------------------- matcher


class PhraseMatcher:
    """Pre-normalises the phrasebook once; ``match`` is then a few rapidfuzz calls."""

    def __init__(self, content: Content, site: Mapping[str, Any] | None = None,
                 thresholds: Mapping[str, float] | None = None) -> None:
        from kiosk.content.glossary import GlossaryChecker

        self.thresholds = dict(THRESHOLDS, **(thresholds or {}))
        self._glossary = GlossaryChecker(content)
        self._synonyms = {lang: _synonym_rule(content, lang) for lang in LANGS}
        site = content.site if site is None else site
        self._filled: list[tuple[Phrase, dict[str, str]]] = []
        skipped = 0
        for phrase in content.phrases:
            fields = {**phrase.texts, "ja_kana": phrase.ja_kana}
            if any(missing_fields(t, site, lang) for lang, t in fields.items()):
                skipped += 1
                continue
            self._filled.append((phrase, {lang: fill(t, site, lang) for lang, t in fields.items()}))
        if skipped:
            _LOGGER.info("phrase matcher: %d phrases with unfilled site values left out", skipped)
        # per language: parallel lists of keys and the index into self._filled
        self._keys: dict[str, list[str]] = {}
        self._owner: dict[str, list[int]] = {}
        self._guards: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for lang in LANGS:
            keys, owner = [], []
            for i, (_, texts) in enumerate(self._filled):
                variants = [texts[lang]] + ([texts["ja_kana"]] if lang == "ja" else [])
                for v in variants:
                    keys.append(self._key(v, lang))
                    owner.append(i)
            if lang == "vi":
                self._toneless = [strip_tones(k) for k in keys]
            self._keys[lang], self._owner[lang] = keys, owner
            self._guards[lang] = [self._facts(t[lang], lang) for _, t in self._filled]

    def __len__(self) -> int:
        return len(self._filled)

    def match(self, text: str, lang: str) -> PhraseMatch | None:
        if lang not in self._keys:
            return None
        query = self._key(text, lang)
        if not query:
            return None
        threshold = self.thresholds[lang]
        scored = self._score(query, self._keys[lang], lang, threshold, 0.0)
        if lang == "vi":
            scored += self._score(strip_tones(query), self._toneless, lang, threshold, VI_TONELESS_PENALTY)
        if not scored:
            return None
        guard = self._facts(text, lang)
        best: dict[int, float] = {}
        for score, key_index in scored:
            owner = self._owner[lang][key_index]
            best[owner] = max(best.get(owner, 0.0), score)
        for owner, score in sorted(best.items(), key=lambda kv: (-kv[1], kv[0])):
            nums, negs, terms = self._guards[lang][owner]
            if (nums, negs) != guard[:2] or (guard[2] and guard[2] != terms):
                continue
            phrase, texts = self._filled[owner]
            return PhraseMatch(phrase.id, round(score, 1), phrase, {k: texts[k] for k in LANGS})
        return None

    def _key(self, text: str, lang: str) -> str:
        key = match_key(text, lang)
        rule = self._synonyms[lang]
        if rule is None:
            return key
        pattern, mapping = rule
        if lang in ("en", "vi"):
            return pattern.sub(lambda m: mapping[m.group(1)], f" {key} ").strip()
        return pattern.sub(lambda m: mapping[m.group(0)], key)

    def _facts(self, text: str, lang: str) -> tuple:
        """What must be equal between query and phrase: numbers/weekdays, negations, glossary terms."""
        terms = frozenset(t.id for t in self._glossary.find_terms(text, lang))
        return numbers(text, lang), negations(text, lang), terms

    @staticmethod
    def _score(query: str, keys: list[str], lang: str, threshold: float, penalty: float) -> list[tuple[float, int]]:
        from rapidfuzz import fuzz, process

        scorer = fuzz.ratio if lang in ("ja", "zh", "ko") else _spaced_score
        hits = process.extract(query, keys, scorer=scorer, limit=_CANDIDATES, score_cutoff=threshold + penalty)
        return [(score - penalty, index) for _, score, index in hits]


def _synonym_rule(content: Content, lang: str):
    """(pattern, {form: agreed form}) replacing glossary aliases by the agreed term (normalised)."""
    mapping: dict[str, str] = {}
    for term in content.terms:
        main = normalise(term.text(lang), lang)
        for form in term.variants(lang):
            key = normalise(form, lang)
            if len(key) >= 2 and key not in mapping:
                mapping[key] = main
    if not mapping:
        return None
    alternatives = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    if lang in ("en", "vi"):
        return re.compile(r"(?<= )(" + alternatives + r")(?= )"), mapping
    return re.compile(alternatives), mapping


def _spaced_score(a: str, b: str, **kwargs: Any) -> float:
    from rapidfuzz import fuzz

    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
