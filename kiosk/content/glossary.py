"""Glossary terms in text: find them, and check a translation keeps them.

``GlossaryChecker(content).find_terms(text, lang)`` lists the glossary terms in
``text`` (longest first, no overlaps: 印鑑登録証明書 wins over 印鑑登録).
``check(source, source_lang, target, target_lang)`` lists the terms found in the
source whose agreed target term (or an alias) is absent from the target: the
pipeline marks such a translation unsure ("glossary_term_missing") and shows
the glossary card.

Matching is on normalised text (``normalise.normalise``): ja on its kana form
(so 住民票 and じゅうみんひょう both count), zh/ko without spaces, en/vi on whole
words with a light English plural rule ("certificates" counts for "certificate").

``protect_terms`` / ``restore_terms`` are an experiment (term protection with
placeholders before MT); they are not wired into the pipeline: see content/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.content.load import Content, Term
from kiosk.content.normalise import normalise

_MIN_KANA = 3  # a ja term's kana form must be this long to be searched as kana (avoid "こせき" noise)


@dataclass(frozen=True)
class MissingTerm:
    term: Term
    source: str  # the form found in the source text (as written in the glossary)
    expected: tuple[str, ...]  # accepted target forms (agreed term + aliases)


def _en_stem(words: str) -> str:
    out = []
    for w in words.split(" "):
        if len(w) > 3 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


def _key(text: str, lang: str) -> str:
    key = normalise(text, lang)
    if lang == "en":
        key = _en_stem(key)
    return key


class GlossaryChecker:
    def __init__(self, content: Content) -> None:
        self.terms = content.terms
        # lang -> [(key, term index, form)] longest key first
        self._forms: dict[str, list[tuple[str, int, str]]] = {}
        for lang in ("ja", "en", "vi", "zh", "ko"):
            forms = []
            for i, term in enumerate(self.terms):
                for form in term.variants(lang):
                    key = _key(form, lang)
                    if not key or (lang == "ja" and form == term.ja_kana and len(key) < _MIN_KANA):
                        continue
                    forms.append((key, i, form))
            forms.sort(key=lambda f: -len(f[0]))
            self._forms[lang] = forms

    def find_terms(self, text: str, lang: str) -> list[Term]:
        """Glossary terms present in ``text``, in order of appearance."""
        return [self.terms[i] for _, i, _ in self._find(text, lang)]

    def _find(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        """(position, term index, form) for each term found, longest match wins, no overlaps."""
        hay = _key(text, lang)
        spaced = lang in ("en", "vi")
        if spaced:
            hay = f" {hay} "
        taken = [False] * len(hay)
        found: dict[int, tuple[int, int, str]] = {}
        for key, i, form in self._forms.get(lang, ()):
            needle = f" {key} " if spaced else key
            for m in re.finditer(re.escape(needle), hay):
                start, end = m.start(), m.end()
                inner = (start + 1, end - 1) if spaced else (start, end)
                if any(taken[inner[0]:inner[1]]):
                    continue
                for k in range(*inner):
                    taken[k] = True
                if i not in found:
                    found[i] = (start, i, form)
        return sorted(found.values())

    def contains(self, term: Term, text: str, lang: str) -> bool:
        hay = _key(text, lang)
        for form in term.variants(lang):
            key = _key(form, lang)
            if key and (f" {key} " in f" {hay} " if lang in ("en", "vi") else key in hay):
                return True
        return False

    def check(self, source_text: str, source_lang: str, target_text: str, target_lang: str) -> list[MissingTerm]:
        """Terms in the source whose agreed ``target_lang`` form is missing from the target."""
        missing = []
        for _, i, form in self._find(source_text, source_lang):
            term = self.terms[i]
            if not self.contains(term, target_text, target_lang):
                missing.append(MissingTerm(term, form, term.variants(target_lang)))
        return missing

    # ------------------------------------------------------------------ experiment

    def protect_terms(self, text: str, lang: str, target_lang: str) -> tuple[str, dict[str, str]]:
        """EXPERIMENT (not wired in): replace glossary terms in ``text`` with ``<Tn>`` tokens.

        Returns the protected text and {token: agreed target term}; after MT,
        ``restore_terms`` puts the agreed terms back.  Only surface forms that
        literally occur in ``text`` are replaced (NFKC-equal), so the rest of the
        sentence is untouched.
        """
        import unicodedata

        out = unicodedata.normalize("NFKC", text)
        mapping: dict[str, str] = {}
        for n, (_, i, form) in enumerate(self._find(text, lang)):
            surface = unicodedata.normalize("NFKC", form)
            pattern = re.compile(re.escape(surface), re.IGNORECASE)
            if not pattern.search(out):
                continue
            token = f"<T{n}>"
            out = pattern.sub(token, out, count=1)
            mapping[token] = self.terms[i].text(target_lang)
        return out, mapping

    @staticmethod
    def restore_terms(translated: str, mapping: dict[str, str]) -> str:
        """Put agreed terms back; tolerates MT adding spaces inside tokens (``< T0 >``)."""
        for token, term in mapping.items():
            n = token[2:-1]
            translated = re.sub(r"<\s*T\s*" + n + r"\s*>", term, translated)
        return translated
