"""Phrasebook and FAQ lists for the screens, from ``kiosk.content`` (no Kivy).

Shows whatever content is there; a content folder that fails to load shows nothing
(the admin screen and ``kiosk doctor`` report why)."""

from __future__ import annotations

import logging

from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)


class ContentView:
    def __init__(self, content=None) -> None:
        self.content = content

    @classmethod
    def load(cls, content_dir=None) -> "ContentView":
        try:
            from kiosk.content.load import load_content

            return cls(load_content(content_dir))
        except KioskError as exc:
            _LOGGER.warning("content not loaded for the UI (%s)", exc.code)
            return cls(None)

    # ------------------------------------------------------------ phrasebook
    def _phrases_for(self, side: str):
        if self.content is None:
            return []
        return [p for p in self.content.phrases if p.speaker in (side, "both")]

    def topics(self, lang: str, side: str) -> list[tuple[str, str]]:
        """(topic id, name in ``lang``) of topics holding phrases this side says."""
        if self.content is None:
            return []
        used = dict.fromkeys(p.topic for p in self._phrases_for(side))
        out = []
        for topic_id in used:
            topic = self.content.topics.get(topic_id)
            out.append((topic_id, topic.name(lang) if topic else topic_id))
        return out

    def phrases(self, topic_id: str, lang: str, side: str) -> list[tuple[str, str]]:
        """(phrase id, text in ``lang``), skipping phrases with unfilled placeholders."""
        return [(p.id, p.text(lang)) for p in self._phrases_for(side)
                if p.topic == topic_id and "{" not in p.text(lang)]

    def glossary_lines(self, term_ids, lang: str, other_lang: str) -> list[str]:
        """"term in lang = term in other_lang" for the glossary cards of a turn."""
        if self.content is None:
            return []
        out = []
        for term_id in term_ids:
            try:
                term = self.content.term(term_id)
            except KioskError:
                continue
            out.append(f"{term.text(lang)} = {term.text(other_lang)}")
        return out

    # ------------------------------------------------------------------ FAQ
    def faq(self, lang: str) -> list[tuple[str, str, str]]:
        """(id, question, answer) in ``lang`` with the city's values filled in; entries
        whose values are not filled in yet are left out."""
        if self.content is None:
            return []
        from kiosk.content.faq import render, render_question

        out = []
        for answer in self.content.faq:
            try:
                out.append((answer.id, render_question(answer, self.content.site, lang),
                            render(answer, self.content.site, lang)))
            except KioskError:
                continue
        return out

    @property
    def has_faq(self) -> bool:
        return bool(self.content is not None and self.content.faq)
