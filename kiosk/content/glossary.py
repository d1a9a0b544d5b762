"""Glossary terms in text: find them, and check a translation keeps them.

``GlossaryChecker(content).find_terms(text, lang)`` lists the glossary terms in
``text`` (longest first, no overlaps: 印鑑登録証明書 wins over 印鑑登録).
``check(source, source_lang, target, target_lang)`` lists the terms found in the
source whose agreed target term (or an alias) is absent from the target: the
pipeline marks such a translation unsure ("glossary_term_missing") and shows
the glossary card.

Matching is on normalised text: ja on its surface (width/kana-kind/punctuation
insensitive; the kana reading counts too when 3+ kana, so 住民票 and じゅうみんひょう
both count), zh without spaces, ko without spaces but starting at a word, en/vi
on whole words with a light English plural rule ("certificates" counts).

``placeholders`` / ``restore_terms`` protect agreed terms through machine translation:
the translator (kiosk.engines.argos_mt, with kiosk.engines.terms) uses them when the
setting ``mt_protect_terms`` is on; a term the model drops is still flagged by ``check``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kiosk.content.load import Content, Term
from kiosk.content.normalise import katakana_to_hiragana, normalise, strip_punctuation

_MIN_KANA = 4  # a ja term's kana reading must be this long to be looked for (ないか from 内科 is noise)


@dataclass(frozen=True)
class MissingTerm:
    term: Term
    source: str  # the form found in the source text (as written in the glossary)
    expected: tuple[str, ...]  # accepted target forms (agreed term + aliases)


_NO_STEM = {"cans", "this", "thus", "bus", "gas", "yes", "plus", "news", "series", "always", "does", "goes",
            "has", "was", "its", "ids", "aids", "less", "us", "is", "as"}


def _en_stem(words: str) -> str:
    out = []
    for w in words.split(" "):
        if w in _NO_STEM:
            pass
        elif len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


def _key(text: str, lang: str) -> str:
    """Search form: ja on its surface (width, case, punctuation, spaces and katakana/hiragana
    differences removed; no kanji->kana, so 缶 does not turn into かん and match everywhere);
    the other languages via ``normalise`` (en also singular)."""
    if lang == "ja":
        text = strip_punctuation(unicodedata.normalize("NFKC", text).lower())
        return katakana_to_hiragana("".join(text.split()))
    key = normalise(text, lang)
    return _en_stem(key) if lang == "en" else key


def _hay(text: str, lang: str) -> tuple[str, set[int] | None]:
    """The text to search and, for Korean, the positions where a word starts (terms must
    start a word there: 절 "temple" must not match inside 절차 "procedure")."""
    if lang != "ko":
        key = _key(text, lang)
        return (f" {key} " if lang in ("en", "vi") else key), None
    words = strip_punctuation(unicodedata.normalize("NFKC", text).lower()).split()
    starts, pos = set(), 0
    for w in words:
        starts.add(pos)
        pos += len(w)
    return "".join(words), starts


def _positions(hay: str, needle: str):
    i = hay.find(needle)
    while i >= 0:
        yield i
        i = hay.find(needle, i + 1)


# a form must be at least this long (after normalising) to be *detected* in a source text;
# shorter ones (zh 罐, ko 표 / 병) are too ambiguous, but still accepted in a target text
_MIN_DETECT = {"zh": 2, "ko": 2}


class GlossaryChecker:
    def __init__(self, content: Content) -> None:
        self.terms = content.terms
        self._detect: dict[str, list[tuple[str, int, str]]] = {}  # lang -> [(needle, term index, form)] longest first
        self._accept: dict[str, list[list[str]]] = {}  # lang -> per term: accepted target keys
        for lang in ("ja", "en", "vi", "zh", "ko"):
            detect, accept = [], []
            for i, term in enumerate(self.terms):
                keys = []
                detectable = set(term.variants(lang))
                for form in term.accepted(lang):
                    key = _key(form, lang)
                    if lang == "ko":
                        key = key.replace(" ", "")
                    if not key:
                        continue
                    keys.append(f" {key} " if lang in ("en", "vi") else key)
                    if form not in detectable:
                        continue
                    if lang == "ja" and form == term.ja_kana != term.texts["ja"] and len(key) < _MIN_KANA:
                        continue
                    if len(key) < _MIN_DETECT.get(lang, 1):
                        continue
                    detect.append((keys[-1], i, form))
                accept.append(keys)
            detect.sort(key=lambda f: -len(f[0]))
            self._detect[lang], self._accept[lang] = detect, accept

    def find_terms(self, text: str, lang: str) -> list[Term]:
        """Glossary terms present in ``text``, in order of appearance."""
        return [self.terms[i] for _, i, _ in self._find(text, lang)]

    def _find(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        """(position, term index, form) for each term found, longest match wins, no overlaps."""
        hay, starts = _hay(text, lang)
        spaced = lang in ("en", "vi")
        taken = [False] * len(hay)
        found: dict[int, tuple[int, int, str]] = {}
        for needle, i, form in self._detect.get(lang, ()):
            if needle not in hay:
                continue
            for start in _positions(hay, needle):
                if starts is not None and start not in starts:
                    continue
                end = start + len(needle)
                inner = (start + 1, end - 1) if spaced else (start, end)
                if any(taken[inner[0]:inner[1]]):
                    continue
                for k in range(*inner):
                    taken[k] = True
                if i not in found:
                    found[i] = (start, i, form)
        return sorted(found.values())

    def contains(self, term: Term, text: str, lang: str) -> bool:
        """Is the agreed ``lang`` form of ``term`` (or an alias) anywhere in ``text``?
        (No word-start rule here: Korean compounds such as 후생연금 contain 연금.)"""
        hay, _ = _hay(text, lang)
        index = self.terms.index(term)
        return any(key in hay for key in self._accept[lang][index])

    def check(self, source_text: str, source_lang: str, target_text: str, target_lang: str) -> list[MissingTerm]:
        """Terms in the source whose agreed ``target_lang`` form is missing from the target."""
        found = self._find(source_text, source_lang)
        if not found:
            return []
        hay, _ = _hay(target_text, target_lang)
        missing = []
        for _, i, form in found:
            if not any(key in hay for key in self._accept[target_lang][i]):
                term = self.terms[i]
                missing.append(MissingTerm(term, form, term.accepted(target_lang)))
        return missing

    # ------------------------------------------------------------------ term protection

    def placeholders(self, text: str, lang: str, target_lang: str) -> tuple[str, dict[str, str], dict[str, str]]:
        """Replace glossary terms in ``text`` with ``<Tn>`` tokens for machine translation.

        Returns (protected text, {token: agreed ``target_lang`` term}, {token: the source surface
        replaced}).  Only surface forms that literally occur in ``text`` are replaced (NFKC-equal),
        so the rest of the sentence is untouched.  ``kiosk.engines.argos_mt`` feeds each token to
        CTranslate2 as one unknown source token, which the model copies through
        (``replace_unknowns``); ``restore_terms`` then puts the agreed terms in.
        """
        out = unicodedata.normalize("NFKC", text)
        targets: dict[str, str] = {}
        surfaces: dict[str, str] = {}
        for n, (_, i, form) in enumerate(self._find(text, lang)):
            surface = unicodedata.normalize("NFKC", form)
            pattern = re.compile(re.escape(surface), re.IGNORECASE)
            hit = pattern.search(out)
            agreed = self.terms[i].text(target_lang)
            if hit is None or not agreed:
                continue
            token = f"<T{n}>"
            surfaces[token] = hit.group(0)
            out = out[: hit.start()] + token + out[hit.end():]
            targets[token] = agreed
        return out, targets, surfaces

    def protect_terms(self, text: str, lang: str, target_lang: str) -> tuple[str, dict[str, str]]:
        """(protected text, {token: agreed target term}); see ``placeholders``."""
        out, targets, _ = self.placeholders(text, lang, target_lang)
        return out, targets

    @staticmethod
    def restore_terms(translated: str, mapping: dict[str, str]) -> str:
        """Put agreed terms back; tolerates MT adding spaces inside tokens (``< T0 >``)."""
        for token, term in mapping.items():
            n = token[2:-1]
            translated = re.sub(r"<\s*T\s*" + n + r"\s*>", term.replace("\\", "\\\\"), translated)
        return translated
