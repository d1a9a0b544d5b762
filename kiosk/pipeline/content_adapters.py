"""Adapters from kiosk.content (phrasebook matcher, glossary checker, recognition
vocabulary) to the small lookups the turn runner needs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from kiosk.content.faq import fill_phrase
from kiosk.content.glossary import GlossaryChecker
from kiosk.content.load import load_content
from kiosk.content.match import PhraseMatcher
from kiosk.content.recognition import phrases_for_recognition
from kiosk.errors import KioskError
from kiosk.pipeline.turn import PhraseHit

_LOGGER = logging.getLogger(__name__)


class ContentPhrases:
    """PhraseLookup over kiosk.content.match.PhraseMatcher."""

    def __init__(self, matcher, content) -> None:
        self.matcher, self.content = matcher, content

    def match(self, text: str, language: str) -> PhraseHit | None:
        m = self.matcher.match(text, language)
        if m is None:
            return None
        return PhraseHit(m.entry_id, m.similarity, dict(m.texts))

    def warm_up(self, languages: Sequence[str]) -> None:
        """Load the matcher's analysers for ``languages`` now (seconds: call off the UI thread)."""
        try:
            self.matcher.warm_up(languages)
        except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first match
            _LOGGER.warning("phrase matcher warm-up failed")

    def suggest(self, text: str, language: str, k: int = 3, speaker: str = ""):
        """Up to ``k`` verified phrases close to ``text`` below the match threshold (``match.Suggestion``),
        only those ``speaker`` ("visitor" / "staff") would say when given."""
        return self.matcher.suggest(text, language, k, speaker)

    def get(self, phrase_id: str, fills: Mapping[str, str] | None = None) -> Mapping[str, str]:
        """The phrase in every language, blanks filled from site.toml, then from ``fills`` (typed at the
        counter); content.* errors if unknown or a blank stays empty."""
        phrase = self.content.phrase(phrase_id)
        return fill_phrase(phrase.texts, self.content.site, fills, what=f"phrase {phrase_id!r}")


class ContentGlossary:
    """GlossaryLookup over kiosk.content.glossary.GlossaryChecker."""

    def __init__(self, checker) -> None:
        self.checker = checker

    def missing(self, source_text: str, source_language: str, target_text: str, target_language: str) -> list[str]:
        return [m.term.id for m in self.checker.check(source_text, source_language, target_text, target_language)]

    def terms_in(self, text: str, language: str) -> list[str]:
        return [t.id for t in self.checker.find_terms(text, language)]


class Lookups(NamedTuple):
    """What the turn runner and the recogniser look up in the content (all None without content)."""

    phrases: ContentPhrases | None = None
    glossary: ContentGlossary | None = None
    vocabulary: Callable[[str], Sequence[str]] | None = None  # language -> phrases to bias recognition


def load_lookups(settings, content_dir=None) -> Lookups:
    """The lookups from the content folder; ``Lookups()`` (all None) if it can't load."""
    try:
        content = load_content(content_dir)
    except KioskError as exc:
        _LOGGER.warning("content not loaded (%s): machine translation only", exc.code)
        return Lookups()
    matcher = PhraseMatcher(content)
    cache: dict[str, list[str]] = {}

    def vocab(lang: str) -> list[str]:
        if lang not in cache:
            cache[lang] = phrases_for_recognition(content, lang)
        return cache[lang]

    return Lookups(ContentPhrases(matcher, content), ContentGlossary(GlossaryChecker(content)), vocab)
