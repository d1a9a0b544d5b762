"""Phrasebook and FAQ lists for the screens, from ``kiosk.content`` (no Kivy).

Shows whatever content is there; a content folder that fails to load shows nothing
(the admin screen and ``kiosk doctor`` report why)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from kiosk.content.faq import fill, missing_fields, render, render_question
from kiosk.content.load import load_content
from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)

TOURISM_PREFIX = "tourism_"
BLANK_LABELS = ("place", "time", "date", "days", "fee")  # blank_<name> strings in ui_strings.toml


def tourism_first(topic_ids: Iterable[str], mode: str) -> list[str]:
    """Topic ids in their order, but in kiosk mode (an unattended tourism desk) the tourism topics come first."""
    ids = list(topic_ids)
    if mode != "kiosk":
        return ids
    return [t for t in ids if t.startswith(TOURISM_PREFIX)] + [t for t in ids if not t.startswith(TOURISM_PREFIX)]


def blank_label(name: str, strings, lang: str) -> str:
    """What a blank asks for, in ``lang`` ("場所", "time" ...): a known label, else the field name."""
    return strings.get("blank_" + name, lang) if name in BLANK_LABELS else name


def show_blanks(text: str, names: Sequence[str], label) -> str:
    """The phrase with each open blank shown as [label]: "AEDは[場所]にあります。"."""
    for name in names:
        text = text.replace("{" + name + "}", "[" + label(name) + "]")
    return text


class ContentView:
    def __init__(self, content=None) -> None:
        self.content = content

    @classmethod
    def load(cls, content_dir=None) -> ContentView:
        try:
            return cls(load_content(content_dir))
        except KioskError as exc:
            _LOGGER.warning("content not loaded for the UI (%s)", exc.code)
            return cls(None)

    # ------------------------------------------------------------ phrasebook
    def _phrases_for(self, side: str):
        if self.content is None:
            return []
        return [p for p in self.content.phrases if p.speaker in (side, "both")]

    def topics(self, lang: str, side: str, mode: str = "counter") -> list[tuple[str, str]]:
        """(topic id, name in ``lang``) of topics holding phrases this side says (kiosk mode: tourism first)."""
        if self.content is None:
            return []
        used = tourism_first(dict.fromkeys(p.topic for p in self._phrases_for(side)), mode)
        out = []
        for topic_id in used:
            topic = self.content.topics.get(topic_id)
            out.append((topic_id, topic.name(lang) if topic else topic_id))
        return out

    def phrases(self, topic_id: str, lang: str, side: str, label=None) -> list[tuple[str, str]]:
        """(phrase id, text in ``lang``): site.toml values filled in, blanks left for staff shown as [label]."""
        label = label or (lambda name: name)
        out = []
        for p in self._phrases_for(side):
            if p.topic != topic_id:
                continue
            names = self.blanks(p.id, lang)
            site = {**self.content.site, **{n: "{" + n + "}" for n in names}}  # keep open blanks as they are
            out.append((p.id, show_blanks(fill(p.text(lang), site, lang), names, label)))
        return out

    def blanks(self, phrase_id: str, lang: str = "en") -> list[str]:
        """The blanks of a phrase that site.toml does not fill ({place}, {time} ...): typed by staff."""
        if self.content is None:
            return []
        try:
            phrase = self.content.phrase(phrase_id)
        except KioskError:
            return []
        return missing_fields(phrase.text(lang), self.content.site, lang)

    def preview(self, phrase_id: str, lang: str, fills: dict[str, str], label=None) -> str:
        """The phrase in ``lang`` as it will be said with ``fills`` (blanks still empty shown as [label])."""
        label = label or (lambda name: name)
        names = self.blanks(phrase_id, lang)
        typed = {n: " ".join(fills.get(n, "").split()) for n in names}
        site = {**self.content.site, **{n: typed[n] or "{" + n + "}" for n in names}}
        text = fill(self.content.phrase(phrase_id).text(lang), site, lang)
        return show_blanks(text, [n for n in names if not typed[n]], label)

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
    def faq(self, lang: str, mode: str = "counter") -> list[tuple[str, str, str]]:
        """(id, question, answer) in ``lang`` with the city's values filled in (kiosk mode: tourism
        topics first); entries whose values are not filled in yet are left out."""
        if self.content is None:
            return []

        answers = self.content.faq
        if mode == "kiosk":
            order = {t: i for i, t in enumerate(tourism_first(dict.fromkeys(a.topic for a in answers), mode))}
            answers = sorted(answers, key=lambda a: order[a.topic])
        out = []
        for answer in answers:
            try:
                out.append((answer.id, render_question(answer, self.content.site, lang),
                            render(answer, self.content.site, lang)))
            except KioskError:
                continue
        return out

    @property
    def has_faq(self) -> bool:
        return bool(self.content is not None and self.content.faq)
