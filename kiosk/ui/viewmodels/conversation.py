"""What each half of the conversation screen shows, built from pipeline events.

``ConversationModel.apply(event)`` is called on the UI thread with each event;
``panel(side)`` says what the staff or visitor half shows.  The speaker's half
shows what was recognised and the back-translation; the listener's half shows
the translation, large.  ``wipe()`` forgets everything (Finish, idle reset).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.pipeline import events as ev

SIDES = ("staff", "visitor")


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

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "cancelled")


@dataclass(frozen=True)
class HistoryLine:
    turn_id: str
    mine: bool  # said by this side (shown as what I said) or the other (shown as translation)
    text: str
    sure: bool


@dataclass(frozen=True)
class Panel:
    """One half of the screen, in that half's language."""

    side: str
    role: str  # "idle" | "speaker" | "listener"
    status: str
    partial: str
    level: float
    said: str  # speaker: recognised / typed text
    back_translation: str  # speaker: what the listener will read, translated back
    translation: str  # listener: the translation, large
    sure: bool
    verified: bool
    reasons: tuple[str, ...]
    error_code: str
    can_edit: bool
    can_feedback: bool
    turn_id: str
    history: tuple[HistoryLine, ...]
    feedback: str = ""  # the listener's answer, shown on the speaker's half
    glossary_ids: tuple[str, ...] = ()
    not_spoken: bool = False  # translated, but the speech output failed


@dataclass
class ConversationModel:
    staff_language: str = "ja"
    visitor_language: str = "en"
    session_id: str = ""
    turns: dict[str, TurnView] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)  # turns replaced by an edit

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
            else:
                t.status = "failed"
        return t

    def feedback(self, turn_id: str, outcome: str) -> None:
        if turn_id in self.turns:
            self.turns[turn_id].feedback = outcome

    def hide(self, turn_id: str) -> None:
        """A turn replaced by a typed correction disappears from both halves."""
        self.hidden.add(turn_id)

    def wipe(self) -> None:
        self.turns.clear()
        self.hidden.clear()
        self.session_id = ""

    # ------------------------------------------------------------ views
    def visible(self) -> list[TurnView]:
        return [t for t in self.turns.values() if t.turn_id not in self.hidden]

    def latest(self) -> TurnView | None:
        vis = [t for t in self.visible() if t.status != "cancelled"]
        return vis[-1] if vis else None

    def history(self, side: str) -> tuple[HistoryLine, ...]:
        lines = []
        for t in self.visible():
            if t.status != "done" and not (t.status == "speaking" and t.translation):
                continue
            if t.side == side:
                lines.append(HistoryLine(t.turn_id, True, t.text, t.sure))
            else:
                lines.append(HistoryLine(t.turn_id, False, t.translation, t.sure))
        return tuple(lines)

    def panel(self, side: str) -> Panel:
        t = self.latest()
        hist = self.history(side)
        if t is None:
            return Panel(side, "idle", "", "", 0.0, "", "", "", True, False, (), "", False, False, "", hist)
        if t.side == side:
            return Panel(side, "speaker", t.status, t.partial, t.level, t.text, t.back_translation, "",
                         t.sure, t.verified, t.reasons, t.error_code,
                         can_edit=bool(t.text) and t.status != "failed" and t.input_kind != "phrasebook",
                         can_feedback=False, turn_id=t.turn_id, history=hist, feedback=t.feedback,
                         not_spoken=t.error_stage == "speak")
        shown = t.translation if t.status in ("speaking", "done") or t.translation else ""
        return Panel(side, "listener", t.status, "", 0.0, "", "", shown, t.sure, t.verified, t.reasons,
                     t.error_code, can_edit=False,
                     can_feedback=bool(shown) and t.status in ("speaking", "done") and not t.feedback,
                     turn_id=t.turn_id, history=hist, feedback=t.feedback, glossary_ids=t.glossary_ids,
                     not_spoken=t.error_stage == "speak")

