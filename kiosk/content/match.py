"""Match recognised or typed text against the phrasebook.

``PhraseMatcher(content).match(text, lang)`` returns the best ``PhraseMatch`` at or above the language's
threshold, or None; ``suggest(text, lang, k=3)`` the closest phrases below it (``Suggestion``).

Two scores per phrase wording (its text, ``ja_kana`` for Japanese, and the phrase's ``variants_<lang>``):

- **lemmas**: the content words in dictionary form (``kiosk.content.analyse``: Sudachi, Kiwi, jieba,
  simplemma), rewritten by the synonym table (``content/synonyms.toml`` and the glossary's aliases,
  ``kiosk.content.synonyms``), compared as sets weighted by how rare each word is in the phrasebook
  (a word the phrasebook does not know weighs most: "I lost my umbrella" is not "I lost my wallet");
- **characters**: rapidfuzz ratio on the normalised text (kanji as kana, glossary aliases replaced:
  ``normalise.match_key``), which catches recognition slips the analysers cannot.

The phrase's score is the lemma score, raised by ``CHAR_WEIGHT`` of the characters' lead when the lemma
score is at least ``LEMMA_FLOOR``.  Whatever the score, a phrase is rejected if a guard disagrees
(``_guard``; facts from ``kiosk.content.guards``): numbers, weekdays and days; negations (after synonyms:
"can not find" ~ "lose"); glossary terms said instead of others; "only"; people the phrase does not name;
mood (offer, question, statement); question words; in English the speaker; ending or cancelling
something; finding something; who is to act (a request is not asking leave); "until" a time; or one rare
word said instead of another (``similarity.substituted``).  Phrases with ``{field}`` placeholders are
matched with the city's site values filled in; if a value is missing the phrase is left out (browsable only).

Each language's index is built on first use (loading its analyser: up to a few seconds); the app calls
``warm_up`` off the UI thread when a language is picked.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kiosk.content import guards, intent
from kiosk.content import similarity as sim
from kiosk.content.analyse import NEG, lemmas
from kiosk.content.faq import fill, missing_fields
from kiosk.content.glossary import GlossaryChecker
from kiosk.content.guards import negations, numbers  # noqa: F401  (public API, re-exported)
from kiosk.content.load import Content, Phrase
from kiosk.content.synonyms import LangRules, Rewrite, build_rules, load_groups
from kiosk.languages import CODES as LANGS

_LOGGER = logging.getLogger(__name__)

# tuned on tests/data/paraphrases.tsv and the held-out set: at least 3 points above the best score of a wrong phrase
# or a hard negative that passed the guards (ja 66.7, en 68.4, vi 66.6, zh 65.2, ko 66.4), see content/README.md
THRESHOLDS: dict[str, float] = {"ja": 70.0, "en": 72.0, "vi": 70.0, "zh": 70.0, "ko": 70.0}
LEMMA_FLOOR = 50.0  # below this lemma agreement a character-level look-alike is not trusted
CHAR_WEIGHT = 0.3  # how much of the characters' lead over the lemmas counts (one word differs: chars stay high)
SUGGEST_FLOOR = 35.0
# guards a suggestion may disagree with: "toilet" alone may be offered "Where is the toilet?" to tap (a
# suggestion is read and chosen; numbers, negations, found/lost and the like still stop it)
SOFT_GUARDS = frozenset({"question word", "mood", "too vague"})
VI_TONELESS_PENALTY = 6.0  # a match found only without tone marks scores this much lower
UNKNOWN_WEIGHT = 0.8  # a word no phrase uses weighs this share of the rarest phrasebook word


# --------------------------------------------------------------------------- public results


@dataclass(frozen=True)
class MatchReason:
    """Why a phrase matched (``kiosk content match`` prints it)."""

    lang: str
    method: str  # "lemmas" | "lemmas+characters"
    wording: str  # the phrase text, kana or variant that scored best
    source: str  # "text" | "variant" | "kana" | "toneless"
    lemma_score: float
    char_score: float
    synonyms: tuple[str, ...]  # synonym groups / glossary terms that rewrote the query or the wording
    guards: tuple[str, ...]  # the guard facts that had to agree, e.g. "numbers=3", "negations=0"
    rejected: tuple[tuple[str, str], ...] = ()  # better-scoring phrases a guard stopped: (phrase id, guard)


@dataclass(frozen=True)
class PhraseMatch:
    entry_id: str
    similarity: float  # 0..100
    phrase: Phrase
    texts: Mapping[str, str] = field(hash=False)  # the phrase in every language, site values filled in
    reason: MatchReason | None = field(default=None, hash=False, compare=False)

    def text(self, lang: str) -> str:
        return self.texts[lang]


@dataclass(frozen=True)
class Suggestion:
    """A verified phrase close to what was said, for a "did you mean" list."""

    phrase_id: str
    score: float  # 0..100, below the language's threshold
    texts: Mapping[str, str] = field(hash=False)  # every language, site values filled in

    def text(self, lang: str) -> str:
        return self.texts[lang]


# --------------------------------------------------------------------------- index


class _Facts(NamedTuple):
    numbers: tuple[str, ...]
    negations: int  # regex count minus negations inside synonym expressions
    lemma_negations: int
    terms: frozenset[str]
    mood: str
    people: frozenset[str]
    only: bool
    speaker: str
    wh: frozenset[str]  # question words
    wh_asks: bool  # its question words surely ask (en, zh); ja どこか, ko 어디서 may mean "somewhere"
    cancels: bool  # ends, cancels or withdraws from something
    found: bool  # something was found or picked up
    asks: str  # "you" (asks the listener to act) | "me" (asks leave for the speaker) | ""
    until: bool  # until a time ("how late are you open")
    languages: frozenset[str]  # languages named (日本語, English, tiếng Hàn)


class _Wording(NamedTuple):
    owner: int  # index into the matcher's phrase list
    text: str
    source: str  # "text" | "variant" | "kana" (ja reading) | "toneless" (vi without tone marks)
    key: str  # characters (match_key + glossary aliases)
    lemmas: frozenset[str]
    synonyms: tuple[str, ...]
    facts: _Facts


class _Query(NamedTuple):
    key: str
    lemmas: frozenset[str]
    synonyms: tuple[str, ...]
    facts: _Facts
    alt_lemmas: frozenset[str]  # ja: of the kana reading; vi: without tone marks (compared with such wordings)


class _Candidate(NamedTuple):
    score: float
    lemma_score: float
    char_score: float
    wording: _Wording
    rejected_by: str  # "" if every guard agreed


class _LangIndex:
    def __init__(self, wordings: list[_Wording], rules: LangRules, char_rule) -> None:
        self.wordings = wordings
        self.rules = rules
        self.char_rule = char_rule
        self.keys = [w.key for w in wordings]
        df: dict[str, int] = {}
        for owner in {w.owner for w in wordings}:
            for lemma in set().union(*(w.lemmas for w in wordings if w.owner == owner)):
                df[lemma] = df.get(lemma, 0) + 1
        n = len({w.owner for w in wordings}) or 1
        self.idf = {lemma: math.log(1 + n / count) for lemma, count in df.items()}
        self.unknown_idf = math.log(1 + n)  # a word only one phrase uses
        self.unknown_weight = UNKNOWN_WEIGHT * self.unknown_idf
        self.by_lemma: dict[str, list[int]] = {}
        for i, w in enumerate(wordings):
            for lemma in w.lemmas:
                self.by_lemma.setdefault(lemma, []).append(i)

    def weight(self, lemma: str) -> float:
        return self.idf.get(lemma, self.unknown_weight)


# --------------------------------------------------------------------------- matcher


class PhraseMatcher:
    """Matches utterances to phrasebook phrases; build once, warm up a language off the UI thread."""

    def __init__(self, content: Content, site: Mapping[str, Any] | None = None,
                 thresholds: Mapping[str, float] | None = None) -> None:
        self.thresholds = dict(THRESHOLDS, **(thresholds or {}))
        self._content = content
        self._glossary = GlossaryChecker(content)
        self._groups = load_groups(content.directory)
        site = content.site if site is None else site
        self._filled: list[tuple[Phrase, dict[str, str], dict[str, tuple[str, ...]]]] = []
        skipped = 0
        for phrase in content.phrases:
            fields = {**phrase.texts, "ja_kana": phrase.ja_kana}
            if any(missing_fields(t, site, lang) for lang, t in fields.items()):
                skipped += 1
                continue
            variants = {lang: tuple(fill(v, site, lang) for v in vs) for lang, vs in phrase.variants.items()
                        if not any(missing_fields(v, site, lang) for v in vs)}
            self._filled.append((phrase, {lang: fill(t, site, lang) for lang, t in fields.items()}, variants))
        if skipped:
            _LOGGER.info("phrase matcher: %d phrases with unfilled site values left out", skipped)
        self._index: dict[str, _LangIndex] = {}
        self._term_sets: dict[str, dict[str, frozenset[str]]] = {}  # lang -> term id -> its words
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._filled)

    def warm_up(self, langs: Iterable[str] = LANGS) -> None:
        """Load the analysers and build the index of ``langs`` now (seconds for ko/zh: not on the UI thread)."""
        for lang in langs:
            if lang in LANGS:
                self._lang(lang)

    # ----------------------------------------------------------------- public API

    def match(self, text: str, lang: str) -> PhraseMatch | None:
        if lang not in LANGS:
            return None
        ranked = self._rank(text, lang)
        threshold = self.thresholds[lang]
        rejected = []
        for cand in ranked:
            if cand.score < threshold:
                break
            if cand.rejected_by:
                rejected.append((self._filled[cand.wording.owner][0].id, cand.rejected_by))
                continue
            phrase, texts, _ = self._filled[cand.wording.owner]
            return PhraseMatch(phrase.id, round(cand.score, 1), phrase, {k: texts[k] for k in LANGS},
                               self._reason(cand, text, lang, rejected))
        return None

    def suggest(self, text: str, lang: str, k: int = 3, speaker: str = "") -> list[Suggestion]:
        """Up to ``k`` phrases below the threshold that pass every guard but ``SOFT_GUARDS``, best first
        (score >= 35).
        The phrase ``match`` would return is never among them.  With ``speaker`` ("visitor" / "staff") only
        phrases that side says (or either side) are offered: a visitor asking for the toilet is not offered
        the staff's answer."""
        if lang not in LANGS or k <= 0:
            return []
        out: list[Suggestion] = []
        seen: set[int] = set()
        threshold = self.thresholds[lang]
        matched = self.match(text, lang)
        for cand in self._rank(text, lang):
            owner = cand.wording.owner
            if cand.score < SUGGEST_FLOOR or len(out) >= k:
                break
            stopped = cand.rejected_by and cand.rejected_by not in SOFT_GUARDS
            if owner in seen or stopped or cand.score >= threshold and matched is not None:
                seen.add(owner)
                continue
            seen.add(owner)
            phrase, texts, _ = self._filled[owner]
            if matched is not None and phrase.id == matched.entry_id:
                continue
            if speaker and phrase.speaker not in (speaker, "both"):
                continue
            out.append(Suggestion(phrase.id, round(min(cand.score, threshold - 0.1), 1), {x: texts[x] for x in LANGS}))
        return out

    # ----------------------------------------------------------------- scoring

    def _rank(self, text: str, lang: str) -> list[_Candidate]:
        """Every wording that shares a lemma with ``text`` or looks like it, best first (one per phrase)."""
        from rapidfuzz import fuzz, process

        index = self._lang(lang)
        query = self._query(text, lang, index)
        if not query.key and not query.lemmas:
            return []
        pool: dict[int, float] = {}
        scorer = fuzz.ratio if lang in ("ja", "zh", "ko") else sim.spaced_score
        if query.key:
            for _, score, i in process.extract(query.key, index.keys, scorer=scorer, limit=20, score_cutoff=50):
                pool[i] = score
        for lemma in query.lemmas | query.alt_lemmas:
            for i in index.by_lemma.get(lemma, ()):
                pool.setdefault(i, -1.0)
        best: dict[int, _Candidate] = {}
        for i, char in pool.items():
            w = index.wordings[i]
            mine = query.alt_lemmas if w.source in ("kana", "toneless") else query.lemmas
            lem = 100.0 * sim.dice(mine, w.lemmas, index) if mine and w.lemmas else 0.0
            if w.source == "toneless":
                lem -= VI_TONELESS_PENALTY
            if char < 0:  # characters only count from LEMMA_FLOOR on: skip the comparison below it
                char = scorer(query.key, w.key) if lem >= LEMMA_FLOOR and query.key else 0.0
            score = lem + CHAR_WEIGHT * max(0.0, char - lem) if lem >= LEMMA_FLOOR else lem
            vague = intent.vague(mine, lang) and not intent.vague(w.lemmas, lang)  # "How much is it?": which price?
            rejected = "too vague" if vague else _guard(query.facts, w.facts, mine == w.lemmas, w.lemmas,
                                                        self._term_sets[lang], mine) or (
                "substitution" if sim.substituted(mine, w.lemmas, index, lang) else "")
            cand = _Candidate(score, lem, char, w, rejected)
            old = best.get(w.owner)
            if old is None or (not cand.rejected_by, cand.score) > (not old.rejected_by, old.score):
                best[w.owner] = cand
        return sorted(best.values(), key=lambda c: (-c.score, c.wording.owner))

    def _query(self, text: str, lang: str, index: _LangIndex) -> _Query:
        key = sim.char_key(text, lang, index.char_rule)
        rewrite = index.rules.apply(lemmas(text, lang))
        facts = self._facts(text, lang, rewrite)
        alt = sim.query_alt_form(text, lang)
        alt_lemmas = sim.lemma_set(index.rules.apply(lemmas(alt, lang)).lemmas, lang) if alt else frozenset()
        return _Query(key, sim.lemma_set(rewrite.lemmas, lang), rewrite.groups, facts, alt_lemmas)

    def _facts(self, text: str, lang: str, rewrite: Rewrite) -> _Facts:
        terms = _terms_named(set(rewrite.lemmas), self._term_sets[lang])
        lems = rewrite.lemmas
        return _Facts(
            numbers=numbers(text, lang), negations=max(0, negations(text, lang) - rewrite.negations),
            lemma_negations=lems.count(NEG), terms=terms, mood=guards.mood(text, lang),
            people=guards.people(lems, lang), only=guards.has_only(lems, lang), speaker=guards.speaker(text, lang),
            wh=guards.question_words(lems, lang, text), wh_asks=lang in ("en", "zh"),
            cancels=intent.cancels(text, lems, lang), found=intent.found(lems, lang), asks=intent.asks(text, lang),
            until=intent.until(text, lang), languages=intent.languages_named(text, lang))

    def _lang(self, lang: str) -> _LangIndex:
        index = self._index.get(lang)
        if index is None:
            with self._lock:
                index = self._index.get(lang)
                if index is None:
                    index = self._index[lang] = self._build(lang)
        return index

    def _build(self, lang: str) -> _LangIndex:
        rules = build_rules(self._content, lang, self._groups)
        term_sets = {}
        for term in self._content.terms:
            words = frozenset(rules.apply(lemmas(term.text(lang), lang)).lemmas) - {NEG}
            if words and (lang != "zh" or len(words) > 1):  # one Chinese character (号) names no term
                term_sets[term.id] = words
        self._term_sets[lang] = term_sets
        char_rule = sim.alias_rule(self._content, lang)
        wordings: list[_Wording] = []
        for owner, (_, texts, variants) in enumerate(self._filled):
            sources = [(texts[lang], "text")] + [(v, "variant") for v in variants.get(lang, ())]
            if lang == "ja":
                sources.append((texts["ja_kana"], "kana"))
            if lang == "vi":
                sources.append((texts["vi"], "toneless"))
            facts = None
            for wording, source in sources:
                analysed = sim.alt_form(wording, lang) if source in ("kana", "toneless") else wording
                rewrite = rules.apply(lemmas(analysed, lang))
                if source == "text" or source == "variant":
                    facts = self._facts(wording, lang, rewrite)
                key = sim.char_key(wording, lang, char_rule)
                # kana/toneless wordings keep the written phrase's guard facts
                wordings.append(_Wording(owner, wording, source, key, sim.lemma_set(rewrite.lemmas, lang),
                                         rewrite.groups, facts))
        _LOGGER.info("phrase matcher: %s index built (%d wordings, %d synonym rules)", lang, len(wordings), len(rules))
        return _LangIndex(wordings, rules, char_rule)

    def _reason(self, cand: _Candidate, text: str, lang: str, rejected: list[tuple[str, str]]) -> MatchReason:
        w = cand.wording
        query = self._query(text, lang, self._lang(lang))
        facts = w.facts
        shown = [f"numbers={','.join(facts.numbers) or '-'}", f"negations={facts.negations}",
                 f"terms={','.join(sorted(facts.terms)) or '-'}"]
        if facts.mood or query.facts.mood:
            shown.append(f"mood={facts.mood or query.facts.mood}")
        method = "lemmas" if cand.lemma_score >= cand.char_score else "lemmas+characters"
        return MatchReason(lang, method, w.text, w.source, round(cand.lemma_score, 1), round(cand.char_score, 1),
                           tuple(dict.fromkeys(query.synonyms + w.synonyms)), tuple(shown), tuple(rejected))


def _terms_named(words: set[str], term_sets: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Glossary terms whose words (after synonyms) are all in ``words``; a term inside a longer one
    found too is left out (moving-in notification is inside moving-out notification once "in" is dropped)."""
    found = {tid: ws for tid, ws in term_sets.items() if ws <= words}
    return frozenset(tid for tid, ws in found.items() if not any(ws < other for other in found.values()))


def _other_term(query: frozenset[str], phrase: frozenset[str], phrase_lemmas: frozenset[str],
                term_sets: Mapping[str, frozenset[str]], query_lemmas: frozenset[str] = frozenset()) -> bool:
    """The query names a glossary term the phrase does not: one term instead of another (住民票 for
    戸籍謄本), or a term the phrase says nothing of ("a hospital where they speak English" is not "Do you
    speak English?").  A term whose words the phrase mostly says is no conflict (出租车乘车点 for 出租车乘车处)."""
    for term in query - phrase:
        words = term_sets.get(term, frozenset())
        if any(_says_longer(words, term_sets.get(other, frozenset()), query_lemmas) for other in phrase - query):
            continue
        if phrase - query or not phrase and len(words & phrase_lemmas) * 2 < len(words):
            return True
    return False


def _says_longer(words: frozenset[str], longer: frozenset[str], query_lemmas: frozenset[str]) -> bool:
    """The query names a term inside the phrase's longer term and says most of the rest of it too
    (con dấu đã đăng ký + giấy chứng ... for the seal registration certificate); "burnable" alone is not
    "non-burnable", nor "seal registration" alone the certificate of it."""
    extra = longer - words
    return bool(words) and words < longer and len(extra & query_lemmas) * 2 >= len(extra)


def _guard(query: _Facts, phrase: _Facts, same_words: bool = False, phrase_lemmas: frozenset[str] = frozenset(),
           term_sets: Mapping[str, frozenset[str]] | None = None, query_lemmas: frozenset[str] = frozenset()) -> str:
    """The first guard on which query and phrase disagree, or "".  The glossary-term guard is skipped
    when the words are the same once synonyms are applied (버스 타는 곳 ~ 버스 정류장)."""
    if query.numbers != phrase.numbers:
        return "numbers"
    if query.negations != phrase.negations or query.lemma_negations != phrase.lemma_negations:
        return "negation"
    if not same_words and _other_term(query.terms, phrase.terms, phrase_lemmas, term_sets or {}, query_lemmas):
        return "glossary terms"
    if not same_words and not query.terms and _other_term(phrase.terms, query.terms, query_lemmas, term_sets or {}):
        return "glossary terms"  # "How much is it?" is not "How much is the premium?"
    if guards.mood_conflict(query.mood, phrase.mood):
        return "mood"
    if query.people - phrase.people:
        return "people"
    if query.only != phrase.only:
        return "only"
    if query.speaker and phrase.speaker and query.speaker != phrase.speaker:
        return "speaker"
    if phrase.wh and not query.wh & phrase.wh:  # the phrase asks where/what/how..., the query does not
        return "question word"
    if query.wh and not phrase.wh and query.wh_asks:  # en/zh: a question word always asks
        return "question word"
    if query.cancels != phrase.cancels:
        return "cancel"
    if query.found != phrase.found:
        return "found"
    if query.asks and phrase.asks and query.asks != phrase.asks:
        return "who acts"
    if query.until != phrase.until:
        return "until"
    if query.languages and phrase.languages and query.languages != phrase.languages:
        return "language"
    return ""
