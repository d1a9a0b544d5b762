"""Match recognised or typed text against the phrasebook (rapidfuzz).

``PhraseMatcher(content, site).match(text, lang)`` returns the best
``PhraseMatch`` at or above the language's threshold, or None.

- Every phrase text is normalised once (``normalise.match_key``); Japanese is
  compared both with the kana-converted ``ja`` and with ``ja_kana``.
- Scores: ``fuzz.ratio`` on characters for ja/zh/ko (no reliable word
  boundaries); ``max(fuzz.ratio, fuzz.token_sort_ratio)`` for en/vi.  Vietnamese
  is also compared without tone marks, ``VI_TONELESS_PENALTY`` points lower.
- Guards: a candidate whose numbers or count of negation words differ from the
  query is rejected whatever its score ("Please sign here" never matches
  "Please don't sign here"; "counter 3" never matches "counter 4").
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
from kiosk.content.normalise import match_key, normalise, number_words_to_digits, strip_tones
from kiosk.languages import CODES as LANGS

_LOGGER = logging.getLogger(__name__)

# tuned on tests/test_content_match.py (paraphrases that must match, false friends that must not)
THRESHOLDS: dict[str, float] = {"ja": 80.0, "en": 82.0, "vi": 82.0, "zh": 78.0, "ko": 80.0}
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

_CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_NUMBER = re.compile(r"([〇零一二两三四五六七八九十百千]+)(?=[号號番階阶楼樓层層点時时分元円日月年歳岁個个人枚回次位歳])")
_NEGATION = {
    "en": re.compile(r"\b(not|no|never|without|nothing|none|nobody|nowhere)\b"),
    "vi": re.compile(r"(?:(?<=\s)|^)(không|chưa|đừng|chẳng|chớ|cấm|chả)(?=\s|$)"),
    "zh": re.compile(r"不|没|別|别|勿|禁止|无法|未"),
    "ko": re.compile(r"않|못|없|마세요|마십시오|말고|말아|금지|아니|(?:(?<=\s)|^)안(?=\s)|안돼|안 돼|안됩"),
    # on the hiragana form: ない (not 案内/少ない/危ない), ません, なかった, 禁止, だめ
    "ja": re.compile(r"(?<!あん)(?<!すく)(?<!あぶ)(?<!きた)ない|ません|なかった|きんし|だめ|いけ"),
}


def _cjk_to_int(s: str) -> int:
    total, current = 0, 0
    for ch in s:
        if ch in _CJK_DIGITS:
            current = current * 10 + _CJK_DIGITS[ch] if current else _CJK_DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def numbers(text: str, lang: str) -> tuple[str, ...]:
    """The numbers in ``text`` (digits, English number words, CJK numerals before a counter), sorted."""
    text = unicodedata.normalize("NFKC", text).lower()
    if lang == "en":
        text = number_words_to_digits(text)
    found = re.findall(r"\d+", text.replace(",", ""))
    if lang in ("ja", "zh"):
        found += [str(_cjk_to_int(m)) for m in _CJK_NUMBER.findall(text)]
    return tuple(sorted(str(int(n)) for n in found))


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
        self.thresholds = dict(THRESHOLDS, **(thresholds or {}))
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
                    keys.append(match_key(v, lang))
                    owner.append(i)
            if lang == "vi":
                self._toneless = [strip_tones(k) for k in keys]
            self._keys[lang], self._owner[lang] = keys, owner
            self._guards[lang] = [(numbers(t[lang], lang), negations(t[lang], lang)) for _, t in self._filled]

    def __len__(self) -> int:
        return len(self._filled)

    def match(self, text: str, lang: str) -> PhraseMatch | None:
        if lang not in self._keys:
            return None
        query = match_key(text, lang)
        if not query:
            return None
        threshold = self.thresholds[lang]
        scored = self._score(query, self._keys[lang], lang, threshold, 0.0)
        if lang == "vi":
            scored += self._score(strip_tones(query), self._toneless, lang, threshold, VI_TONELESS_PENALTY)
        if not scored:
            return None
        guard = (numbers(text, lang), negations(text, lang))
        best: dict[int, float] = {}
        for score, key_index in scored:
            owner = self._owner[lang][key_index]
            best[owner] = max(best.get(owner, 0.0), score)
        for owner, score in sorted(best.items(), key=lambda kv: (-kv[1], kv[0])):
            if self._guards[lang][owner] != guard:
                continue
            phrase, texts = self._filled[owner]
            return PhraseMatch(phrase.id, round(score, 1), phrase, {k: texts[k] for k in LANGS})
        return None

    @staticmethod
    def _score(query: str, keys: list[str], lang: str, threshold: float, penalty: float) -> list[tuple[float, int]]:
        from rapidfuzz import fuzz, process

        scorer = fuzz.ratio if lang in ("ja", "zh", "ko") else _spaced_score
        hits = process.extract(query, keys, scorer=scorer, limit=_CANDIDATES, score_cutoff=threshold + penalty)
        return [(score - penalty, index) for _, score, index in hits]


def _spaced_score(a: str, b: str, **kwargs: Any) -> float:
    from rapidfuzz import fuzz

    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
