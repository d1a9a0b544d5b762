"""What each half of the conversation screen shows, built from pipeline events.

``ConversationModel.apply(event)`` is called on the UI thread with each event;
``panel(side, words)`` says what the staff or visitor half shows, down to the
heading and body text in that half's language.  The speaker's half shows what was
recognised and the back-translation; the listener's half shows the translation,
large.  ``wipe()`` forgets everything (Finish, idle reset).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from kiosk.languages import LANGUAGES
from kiosk.pipeline import events as ev
from kiosk.ui.theme import ICON_MIC, ICON_OK, ICON_WARN

NBSP = "\u00a0"  # keeps an icon on the same line as its words when text wraps

SIDES = ("staff", "visitor")
NO_ROUTE = ("mt.missing_direction",)  # no pack serves the pair: the sentence stays, marked "not translated"
RETRY_HELPS = ("audio.nothing_heard", "stt.no_speech")  # saying it again may work
# An unexpected internal failure: its own words say "try once more; if it happens again, tell the staff" (visitor)
# or "... use the phrasebook" (staff): a plain "try again" would loop on a failure that repeats.
STAFF_ONLY = ("audio.no_device",)  # what the clerk's hardware lacks is never the visitor's error
STAFF_WORDS = (*STAFF_ONLY, "pipeline.internal")  # codes whose staff half has its own advice (``*_staff`` string)


def error_for(side: str, code: str) -> str:
    """The error ``side`` is shown for ``code`` ("" for none: the visitor never sees a staff problem)."""
    return "" if side == "visitor" and code in STAFF_ONLY else code


def retry_helps(code: str) -> bool:
    """Whether "please try again" is honest advice for ``code``."""
    return code in RETRY_HELPS


def error_key(code: str, side: str) -> str:
    """The UI string for an error on ``side`` (the staff half is told what it can do: its hardware, the phrasebook)."""
    key = "error_" + code.replace(".", "_")
    return key + "_staff" if side == "staff" and code in STAFF_WORDS else key


def pair_text(pair: tuple[str, str]) -> str:
    """"Tiếng Việt → 日本語", never split across lines."""
    a, b = pair
    if a not in LANGUAGES or b not in LANGUAGES:
        return ""
    return f"{LANGUAGES[a].native_name} → {LANGUAGES[b].native_name}".replace(" ", NBSP)


@dataclass(frozen=True)
class Suggestion:
    """A verified phrase close to an untranslated sentence, in both languages of the pair."""

    phrase_id: str
    mine: str  # in the language of the half that shows it
    theirs: str  # in the other half's language


def other(side: str) -> str:
    return "visitor" if side == "staff" else "staff"


@dataclass
class TurnView:
    turn_id: str
    side: str
    source: str
    target: str
    input_kind: str = "speech"
    status: str = "listening"  # listening | translating | speaking | done | failed | cancelled
    partial: str = ""
    level: float = 0.0
    text: str = ""  # what the speaker said or typed
    confidence: float = 1.0
    translation: str = ""
    back_translation: str = ""
    verified: bool = False
    sure: bool = True
    reasons: tuple[str, ...] = ()
    glossary_ids: tuple[str, ...] = ()
    phrase_id: str = ""
    error_code: str = ""
    error_stage: str = ""
    feedback: str = ""  # "" | "understood" | "say_again"
    suggestions: tuple = ()  # untranslated: (phrase_id, {lang: text}) of the closest verified phrases

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "cancelled", "untranslated")


@dataclass(frozen=True)
class HistoryLine:
    turn_id: str
    mine: bool  # said by this side (shown as what I said) or the other (shown as translation)
    text: str
    sure: bool
    untranslated: bool = False  # kept on the speaker's side, not translated


def _no_glossary(ids: tuple[str, ...]) -> list[str]:
    return []


@dataclass(frozen=True)
class Words:
    """One half's language, handed to ``panel()`` so the text decisions need no Kivy and no files."""

    t: Callable[..., str]  # t(key, **fields): a UI string in the half's language
    error: Callable[[str], str]  # error code -> what to tell this half
    glossary: Callable[[tuple[str, ...]], list[str]] = _no_glossary  # term ids -> "term = agreed translation"


@dataclass(frozen=True)
class PanelText:
    """The words one half shows: status line, heading, main text, small heading and text below, warning."""

    status: str = ""
    heading: str = ""
    main: str = ""
    sub_heading: str = ""
    sub: str = ""
    warning: str = ""  # "not sure", a notice for staff, or "" (the warning row is hidden)
    header_note: str = ""  # "Phrasebook only", said up front beside the language name


@dataclass(frozen=True)
class Panel:
    """One half of the screen, in that half's language."""

    side: str
    role: str  # "idle" | "speaker" | "listener"
    history: tuple[HistoryLine, ...] = ()
    status: str = ""
    partial: str = ""
    level: float = 0.0
    said: str = ""  # speaker: recognised / typed text
    back_translation: str = ""  # speaker: what the listener will read, translated back
    translation: str = ""  # listener: the translation, large
    sure: bool = True
    verified: bool = False
    reasons: tuple[str, ...] = ()
    error_code: str = ""
    can_edit: bool = False
    can_feedback: bool = False
    turn_id: str = ""
    feedback: str = ""  # the listener's answer, shown on the speaker's half
    glossary_ids: tuple[str, ...] = ()
    not_spoken: bool = False  # translated, but the speech output failed (said once a visit)
    source: str = ""  # "verified" (phrasebook) | "machine" (machine translation) | ""
    suggestions: tuple[Suggestion, ...] = ()  # untranslated: the closest verified phrases, to pick with one tap
    notice: str = ""  # a UI string key for this half ("staff_no_mt": free translation is off for the pair)
    original: str = ""  # staff, listening to an untranslated sentence: what was written, as written
    phrasebook_only: bool = False  # no machine translation for the pair: said up front in the header
    pair: tuple[str, str] = ("", "")  # the turn's source and target language
    has_microphone: bool = True  # False: the idle hint says to type, not to talk
    text: PanelText = PanelText()  # the words shown (filled when panel() is given the half's Words)

    @property
    def not_sure(self) -> bool:
        return self.role != "idle" and not self.sure and self.status != "untranslated" \
            and bool(self.said or self.translation)


def turn_source(t: TurnView) -> str:
    """"verified" (phrasebook) or "machine" once a turn's translation stands (speaking or done), else ""."""
    if not t.translation or t.status not in ("speaking", "done"):
        return ""
    return "verified" if t.verified else "machine"


def mark_text(source: str, t: Callable[..., str]) -> str:
    """A phrasebook result says it is a verified phrase; a machine translation says so."""
    if source == "verified":
        return ICON_OK + NBSP + t("verified_phrase")
    return t("machine_translation") if source == "machine" else ""


def source_mark(p: Panel, t: Callable[..., str]) -> str:
    return mark_text(p.source, t)


def with_mark(heading: str, mark: str) -> str:
    """"They said · ✓ Verified phrase": a heading's colon ("They said:", "相手の発言：") goes when a mark follows."""
    if not mark or not heading:
        return heading
    return heading.rstrip().rstrip(":：").rstrip() + "  ·  " + mark


def panel_text(p: Panel, words: Words) -> PanelText:
    """What a half says for its role (idle / speaker / listener) and the turn's status, in its language."""
    t = words.t
    listening = p.status == "listening"
    if p.role == "speaker" and listening:
        status = ICON_MIC + " " + t("listening")
    elif p.role != "idle" and p.status == "translating":
        status = t("translating")
    elif p.status == "speaking":
        status = t("speaking")
    else:
        status = ""
    heading = main = sub_heading = sub = ""
    untranslated = p.status == "untranslated"
    if p.role == "speaker" and listening:
        heading, main = t("you_are_saying"), p.partial or "…"
    elif p.role == "speaker" and untranslated:  # kept, marked, editable; the closest phrases drawn under it
        heading, main = ICON_WARN + NBSP + t("not_translated"), p.said
        if p.suggestions:
            sub_heading = t("closest_phrases")
        else:
            sub = t("no_closest_phrases")
        if p.notice == "staff_no_mt":
            sub = (sub + "\n" if sub else "") + t("staff_no_mt_fix")
    elif p.role == "speaker":
        heading, main = t("you_said"), p.said
        if p.back_translation:
            sub_heading, sub = t("they_will_read"), p.back_translation
    elif p.role == "listener" and listening:
        heading = ICON_MIC + " " + t("they_are_speaking")
    elif p.role == "listener" and untranslated:
        if p.original:  # staff: what the visitor wrote, as written, and how to fix it
            heading, main, sub = t("they_typed_untranslated"), p.original, t("staff_no_mt_fix")
        else:  # the visitor waits; nothing failed on their side
            heading = t("staff_choosing")
    elif p.role == "listener" and p.translation:
        heading, main = t("they_said"), p.translation
        lines = words.glossary(p.glossary_ids)
        if lines:
            sub_heading, sub = t("glossary"), "\n".join(lines)
    elif p.role == "idle":
        heading = t("hint_press_to_talk" if p.has_microphone else "hint_type")
    if not untranslated:
        heading = with_mark(heading, source_mark(p, t))
    if p.not_spoken and heading:
        heading += "  " + ICON_WARN + NBSP + t("not_spoken")
    if p.status == "failed" and p.error_code:  # "try again" only where saying it again can help
        heading = ICON_WARN + " " + words.error(p.error_code)
        main = t("try_again") if retry_helps(p.error_code) else ""
    elif p.status == "failed":  # a failure that is not this half's business
        heading, main = t("hint_press_to_talk" if p.has_microphone else "hint_type"), ""
    if p.notice == "staff_no_mt":
        warning = ICON_WARN + NBSP + t("staff_no_mt", pair=pair_text(p.pair))
    else:
        warning = ICON_WARN + NBSP + t("not_sure") if p.not_sure else ""
    return PanelText(status=status, heading=heading, main=main, sub_heading=sub_heading, sub=sub, warning=warning,
                     header_note=t("phrasebook_only") if p.phrasebook_only else "")


@dataclass
class ConversationModel:
    staff_language: str = "ja"
    visitor_language: str = "en"
    session_id: str = ""
    turns: dict[str, TurnView] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)  # turns replaced by an edit
    phrasebook_only: bool = False  # no machine-translation route for the pair (set when the visit starts)
    first_not_spoken: str = ""  # the turn whose "could not read aloud" is shown (once a visit)
    has_microphone: bool = True  # found at start (no microphone: push-to-talk opens the keyboard)

    def language(self, side: str) -> str:
        return self.staff_language if side == "staff" else self.visitor_language

    # ------------------------------------------------------------ events
    def apply(self, event: ev.Event) -> TurnView | None:
        if isinstance(event, ev.SessionStarted):
            self.session_id = event.session_id
            return None
        if isinstance(event, ev.TurnStarted):
            t = TurnView(event.turn_id, event.side, event.source_language, event.target_language,
                         event.input_kind, status="listening" if event.input_kind == "speech" else "translating")
            self.turns[event.turn_id] = t
            return t
        t = self.turns.get(getattr(event, "turn_id", ""))
        if t is None:
            return None
        if isinstance(event, ev.AudioLevel):
            t.level = max(0.0, min(1.0, event.level))
        elif isinstance(event, ev.PartialText):
            t.partial = event.text
        elif isinstance(event, ev.FinalText):
            t.text, t.confidence, t.partial, t.level, t.status = event.text, event.confidence, "", 0.0, "translating"
        elif isinstance(event, ev.PhraseMatched):
            t.phrase_id = event.entry_id
        elif isinstance(event, ev.TranslationReady):
            t.translation, t.verified, t.sure = event.text, event.verified, event.sure
            t.reasons, t.glossary_ids = tuple(event.reasons), tuple(event.glossary_ids)
        elif isinstance(event, ev.BackTranslationReady):
            t.back_translation = event.text
        elif isinstance(event, ev.SpeechStarted):
            t.status = "speaking"
        elif isinstance(event, ev.TurnFinished):
            t.status, t.level = "done", 0.0
        elif isinstance(event, ev.TurnFailed):
            t.error_code, t.error_stage, t.level = event.code, event.stage, 0.0
            if event.code == "pipeline.cancelled":
                t.status = "cancelled"
            elif t.translation and event.stage == "speak":
                t.status = "done"  # the translation stands; only the voice is missing
                self.first_not_spoken = self.first_not_spoken or t.turn_id
            elif event.code in NO_ROUTE and t.text:
                t.status = "untranslated"  # the sentence stays with its speaker, editable
            else:
                t.status = "failed"
        return t

    def feedback(self, turn_id: str, outcome: str) -> None:
        if turn_id in self.turns:
            self.turns[turn_id].feedback = outcome

    def suggest(self, turn_id: str, suggestions) -> None:
        """The closest verified phrases for an untranslated turn: (phrase_id, {lang: text}) pairs."""
        if turn_id in self.turns:
            self.turns[turn_id].suggestions = tuple(suggestions)

    def hide(self, turn_id: str) -> None:
        """A turn replaced by a typed correction disappears from both halves."""
        self.hidden.add(turn_id)

    def wipe(self) -> None:
        self.turns.clear()
        self.hidden.clear()
        self.session_id = ""
        self.first_not_spoken = ""
        self.phrasebook_only = False

    # ------------------------------------------------------------ views
    def visible(self) -> list[TurnView]:
        return [t for t in self.turns.values() if t.turn_id not in self.hidden]

    def latest(self) -> TurnView | None:
        vis = [t for t in self.visible() if t.status != "cancelled"]
        return vis[-1] if vis else None

    def history(self, side: str) -> tuple[HistoryLine, ...]:
        lines = []
        for t in self.visible():
            if t.status == "untranslated" and t.side == side:
                lines.append(HistoryLine(t.turn_id, True, t.text, False, untranslated=True))
                continue
            if t.status != "done" and not (t.status == "speaking" and t.translation):
                continue
            if t.side == side:
                lines.append(HistoryLine(t.turn_id, True, t.text, t.sure))
            else:
                lines.append(HistoryLine(t.turn_id, False, t.translation, t.sure))
        return tuple(lines)

    def panel(self, side: str, words: Words | None = None) -> Panel:
        """What ``side`` shows; with the half's ``words``, its text too (``Panel.text``)."""
        p = self._panel(side)
        return p if words is None else replace(p, text=panel_text(p, words))

    def _suggestions(self, t: TurnView, side: str) -> tuple[Suggestion, ...]:
        mine, theirs = self.language(side), self.language(other(side))
        return tuple(Suggestion(pid, texts.get(mine, ""), texts.get(theirs, "")) for pid, texts in t.suggestions
                     if texts.get(mine))

    def _panel(self, side: str) -> Panel:
        t = self.latest()
        hist = self.history(side)
        if t is None:
            return Panel(side=side, role="idle", history=hist, phrasebook_only=self.phrasebook_only,
                         has_microphone=self.has_microphone)
        untranslated = t.status == "untranslated"
        source = turn_source(t)
        common = dict(side=side, history=hist, status=t.status, sure=t.sure, verified=t.verified, reasons=t.reasons,
                      error_code=error_for(side, t.error_code), turn_id=t.turn_id, feedback=t.feedback,
                      not_spoken=t.error_stage == "speak" and t.turn_id == self.first_not_spoken, source=source,
                      notice="staff_no_mt" if untranslated and side == "staff" else "",
                      phrasebook_only=self.phrasebook_only, pair=(t.source, t.target),
                      has_microphone=self.has_microphone)
        if t.side == side:
            return Panel(role="speaker", partial=t.partial, level=t.level, said=t.text,
                         back_translation=t.back_translation,
                         can_edit=bool(t.text) and t.status != "failed" and t.input_kind != "phrasebook",
                         suggestions=self._suggestions(t, side) if untranslated else (), **common)
        shown = t.translation if t.status in ("speaking", "done") or t.translation else ""
        return Panel(role="listener", translation=shown, glossary_ids=t.glossary_ids,
                     can_feedback=bool(shown) and t.status in ("speaking", "done") and not t.feedback,
                     original=t.text if untranslated and side == "staff" else "", **common)
