"""Scoring helpers of the phrase matcher: lemma sets, weighted overlap, substitutions, character keys."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Protocol

from kiosk.content.analyse import NEG
from kiosk.content.guards import WH
from kiosk.content.load import Content
from kiosk.content.normalise import match_key, normalise, strip_tones, to_hiragana

RARE = 0.7  # a lemma weighing this share of an unknown word's weight is "rare" (few phrases use it)


class Weights(Protocol):
    unknown_idf: float
    idf: dict[str, float]

    def weight(self, lemma: str) -> float: ...


def lemma_set(seq: tuple[str, ...], lang: str) -> frozenset[str]:
    """The lemma set compared: negation marks left out (a guard compares them); Chinese comes as
    characters (``analyse``)."""
    return frozenset(x for x in seq if x != NEG)


def alt_form(text: str, lang: str) -> str:
    """The second form analysed: Japanese as hiragana (kana input meets kana readings), Vietnamese
    without tone marks (typed or mis-recognised without diacritics); "" for other languages."""
    if lang == "ja":
        return to_hiragana(unicodedata.normalize("NFKC", text))
    if lang == "vi":
        return strip_tones(text)
    return ""


def query_alt_form(text: str, lang: str) -> str:
    """The query's second form, only where it helps: Japanese written without kanji (then compared with
    the phrases' kana readings), Vietnamese typed without any tone mark."""
    if lang == "ja" and not any(is_kanji(c) for c in text):
        return alt_form(text, lang)
    if lang == "vi" and strip_tones(text) == text:
        return text
    return ""


def is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "々"


def substituted(q: frozenset[str], p: frozenset[str], index: Weights, lang: str) -> bool:
    """One rare word said instead of another (found/lost, first/last, bank/station, umbrella/wallet):
    both sides keep a lemma the other lacks (not even a close spelling) that few phrases use."""
    from rapidfuzz import fuzz


    def rare_unmatched(a: frozenset[str], b: frozenset[str]) -> bool:
        for x in a - b:
            if (x not in index.idf or index.weight(x) >= RARE * index.unknown_idf) and not any(
                    len(x) >= 4 and len(y) >= 4 and fuzz.ratio(x, y) >= 80 for y in b - a):
                return True
        return False

    wh = WH[lang]  # question words are compared by their own guard
    return rare_unmatched(q - wh, p - wh) and rare_unmatched(p - wh, q - wh)


def dice(q: frozenset[str], p: frozenset[str], index: Weights) -> float:
    """Weighted Dice of two lemma sets; a lemma missing from the other side counts by its closest
    spelling there (>= 80 % alike, 4+ letters: "thanks" ~ "thank", a recognition slip) times that likeness."""
    from rapidfuzz import fuzz

    shared = sum(index.weight(x) for x in q & p)
    for x in q - p:
        if len(x) >= 4:
            best = max((fuzz.ratio(x, y) for y in p - q if len(y) >= 4), default=0.0)
            if best >= 80:
                shared += index.weight(x) * best / 100
    total = sum(index.weight(x) for x in q) + sum(index.weight(x) for x in p)
    return min(1.0, 2 * shared / total) if total else 0.0


def char_key(text: str, lang: str, rule) -> str:
    key = match_key(text, lang)
    if rule is None:
        return key
    pattern, mapping = rule
    if lang in ("en", "vi"):
        return pattern.sub(lambda m: mapping[m.group(1)], f" {key} ").strip()
    return pattern.sub(lambda m: mapping[m.group(0)], key)


def alias_rule(content: Content, lang: str):
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


def spaced_score(a: str, b: str, **kwargs: Any) -> float:
    from rapidfuzz import fuzz

    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
