"""What the visitor-facing kiosk screen shows (kiosk mode: unattended, everything upright in the
visitor's language).  No Kivy.

The visitor talks, types or picks a phrase; the kiosk shows what it understood, says the
Japanese aloud and shows it in one small line for a staff member (or any Japanese speaker)
who may read along.  Nothing on this screen is a staff control.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.languages import LANGUAGES
from kiosk.ui.viewmodels.conversation import ConversationModel, TurnView, mark_text, turn_source, with_mark


@dataclass(frozen=True)
class VisitorView:
    status: str  # "idle" | "listening" | "translating" | "speaking" | "done" | "failed" | "untranslated"
    heading: str  # in the visitor's language
    main: str  # what they are saying / said (or a reply, translated)
    staff_line: str  # the staff-language version, small ("日本語: ..."); "" when there is none
    warning: str  # "not sure" in words, or ""
    history: tuple[str, ...]  # earlier lines, in the visitor's language ("… (Not translated)" for a kept sentence)
    can_take_away: bool  # at least one finished line: the QR code has something to hold
    suggestions: tuple[tuple[str, str], ...] = ()  # untranslated: (phrase_id, text in the visitor's language)


def _staff_line(turn: TurnView, staff_lang: str) -> str:
    text = turn.translation if turn.side == "visitor" else turn.text
    return f"{LANGUAGES[staff_lang].native_name}: {text}" if text else ""


def _history_line(turn: TurnView, t: Callable[..., str], lang: str) -> str:
    """An earlier line; a sentence no pack could translate stays, marked as on a counter half's history."""
    if turn.side != "visitor":
        return f"{t('qr_staff', lang)}: {turn.translation}"
    mark = f" ({t('not_translated', lang)})" if turn.status == "untranslated" else ""
    return f"{t('history_me', lang)}: {turn.text}{mark}"


def visitor_view(model: ConversationModel, t: Callable[..., str], error_text: Callable[[str, str], str]) -> VisitorView:
    """The screen for the latest turn.  ``t(key, lang)`` gives UI strings, ``error_text(code, lang)`` a failure."""
    lang, staff = model.visitor_language, model.staff_language
    done = [x for x in model.visible() if x.status == "done" and x.text and x.translation]
    turn = model.latest()
    history = tuple(_history_line(x, t, lang) for x in model.visible() if x is not turn and (
        x in done or (x.side == "visitor" and x.status == "untranslated" and x.text)))
    if turn is None:
        return VisitorView("idle", t("kiosk_hint" if model.has_microphone else "kiosk_hint_type", lang), "", "", "",
                           history, False)
    warning = "" if turn.sure or not (turn.text or turn.translation) else t("not_sure", lang)
    mine = turn.side == "visitor"
    if turn.status == "failed":
        return VisitorView("failed", error_text(turn.error_code, lang), turn.text if mine else "", "", "",
                           history, bool(done))
    if mine and turn.status == "untranslated":  # no pack for the pair: the sentence stays, the closest phrases offered
        offered = tuple((pid, texts[lang]) for pid, texts in turn.suggestions if texts.get(lang))
        return VisitorView("untranslated", t("not_translated", lang), turn.text, "",
                           t("closest_phrases" if offered else "no_closest_phrases", lang), history, bool(done),
                           offered)
    if mine and turn.status == "listening":
        return VisitorView("listening", t("you_are_saying", lang), turn.partial or "…", "", "", history, bool(done))
    mark = mark_text(turn_source(turn), lambda key: t(key, lang))  # "✓ Verified phrase" / "Machine translation"
    if mine:
        return VisitorView(turn.status, with_mark(t("you_said", lang), mark), turn.text, _staff_line(turn, staff),
                           warning, history, bool(done))
    if turn.status == "listening":  # someone speaks Japanese into the kiosk
        return VisitorView("listening", t("they_are_speaking", lang), "", "", "", history, bool(done))
    return VisitorView(turn.status, with_mark(t("they_said", lang), mark), turn.translation,
                       _staff_line(turn, staff), warning, history, bool(done))
