"""``SessionController``: one visit at the counter or the kiosk, with no Kivy.

It owns the pipeline ``Conversation``, the language pair and the conversation view model,
builds the engines and loads the content lookups off the UI thread, warms the models up,
composes the observers (UI + statistics) once, keeps the idle clock, the PIN lock-out and
the actions asked for while the engines load, and ends a visit without waiting.

Threads: every public method is called on the UI thread.  Slow work goes to
``run_in_background(task, name)``; results and pipeline events come back through
``call_soon(task)``, which runs ``task`` later on the UI thread (the Kivy App passes
``Clock.schedule_once``; tests pass a queue they drain).  The controller tells the UI what
changed through a ``SessionView``; the App only schedules, switches screens and redraws.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from kiosk.engines import factory
from kiosk.errors import KioskError
from kiosk.pin import PinStore, open_pin_store
from kiosk.pipeline import events as ev
from kiosk.pipeline.content_adapters import Lookups, load_lookups
from kiosk.pipeline.conversation import Conversation
from kiosk.stats.store import open_store  # imports SQLAlchemy only when a store is opened
from kiosk.ui.viewmodels.conversation import ConversationModel, TurnView, other
from kiosk.ui.viewmodels.idle import IdleStatus, idle_status, idle_timeout
from kiosk.warm_up import PhraseWarmUp

if TYPE_CHECKING:
    from kiosk.config import Settings
    from kiosk.stats.recorder import StatsRecorder
    from kiosk.stats.store import StatsStore
    from kiosk.stats.summary import Summary

_LOGGER = logging.getLogger(__name__)

Task = Callable[[], None]

WARM_UP_WAIT_S = 10.0  # at exit, the longest wait for an analyser still loading (systemd's stop timeout: 20 s)


def run_in_thread(task: Task, name: str) -> None:
    """The default background runner: a daemon thread per task."""
    threading.Thread(target=task, name=name, daemon=True).start()


def has_route(translator, source: str, target: str) -> bool:
    """Whether machine translation serves source→target (False: the pair is phrasebook-only)."""
    if translator is None:
        return False
    try:
        translator.route(source, target)
    except KioskError:
        return False
    return True


def closest_phrases(phrases, text: str, language: str, k: int = 3,
                    speaker: str = "") -> list[tuple[str, dict[str, str]]]:
    """(phrase id, {language: text}) of the verified phrases closest to ``text`` that the matcher did not
    accept (its ``suggest``: best first, below its threshold), only phrases ``speaker`` ("visitor" /
    "staff") says when given; [] when the matcher cannot suggest."""
    suggest = getattr(phrases, "suggest", None) or getattr(getattr(phrases, "matcher", None), "suggest", None)
    if suggest is None:
        return []
    try:
        found = suggest(text, language, k, speaker) if speaker else suggest(text, language, k)
    except KioskError:
        return []
    return [(s.phrase_id, dict(s.texts)) for s in found]


class SessionView(Protocol):
    """What the controller tells the UI; always called on the UI thread."""

    def changed(self, event: ev.Event | None, turn: TurnView | None) -> None:
        """The view model took ``event`` (about ``turn``, if any; None: the controller added to it): redraw."""

    def listening_over(self, side: str) -> None:
        """The push-to-talk turn of ``side`` ended: the button stops listening."""

    def show_error(self, code: str) -> None:
        """An action failed with a stable error code."""

    def busy_changed(self, busy: bool) -> None:
        """The engines started (True) or finished (False) loading."""

    def wiped(self) -> None:
        """The visit ended and its text left the model: forget whatever the UI still holds."""


class SessionController:
    def __init__(
        self,
        settings: Settings,
        view: SessionView,
        *,
        call_soon: Callable[[Task], None],
        run_in_background: Callable[[Task, str], None] = run_in_thread,
        engines: factory.Engines | None = None,
        clock: Callable[[], float] = time.monotonic,
        stats: StatsRecorder | None = None,
        stats_store: StatsStore | None = None,
        stats_problem: KioskError | None = None,
        content_dir=None,
        conversation_factory: Callable[..., Conversation] = Conversation,
        microphone_factory: Callable | None = None,
        microphone_check: Callable[[], bool] | None = None,
    ) -> None:
        self.settings, self.view, self.engines, self.clock = settings, view, engines, clock
        self.call_soon, self.run_in_background = call_soon, run_in_background
        self.stats, self.stats_store = stats, stats_store  # the recorder (an observer); the store the dashboard reads
        self.stats_problem = stats_problem  # why statistics are off (damaged / full / newer database), for staff
        self.content_dir = content_dir
        self.conversation_factory, self.microphone_factory = conversation_factory, microphone_factory
        self.microphone_check = microphone_check  # is there a microphone? asked once, in the background
        self.has_microphone = True
        self.observer = ev.fan_out(self._to_ui, self._to_stats)  # every pipeline and session event goes here
        self.model = ConversationModel(staff_language=settings.staff_language)
        self.conversation: Conversation | None = None
        self.busy = False  # engines and content loading in the background
        self.pin: PinStore = open_pin_store(settings, clock)  # hash + lock-out in the 0600 admin-pin.json
        self.last_touch = clock()
        self.active_turns: dict[str, str] = {}  # side -> turn id while listening
        self._released: set[str] = set()  # push-to-talk let go before the pipeline was ready
        self._pending: list[Callable[[Conversation], object]] = []  # actions waiting for the engines
        self._visit = False  # attract screen touched, no language picked yet
        self._lookups: Lookups | None = None
        self._warm_phrases = PhraseWarmUp()  # the matcher's analysers: non-daemon threads, waited for at close

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings

    # ------------------------------------------------------------ observers (worker threads)
    def _to_stats(self, event: ev.Event) -> None:
        if self.stats is not None:
            self.stats(event)

    def _to_ui(self, event: ev.Event) -> None:
        self.call_soon(lambda: self._on_event(event))

    def _on_event(self, event: ev.Event) -> None:
        """On the UI thread: the view model takes the event; a turn that ends releases its push-to-talk."""
        model = self.model
        if isinstance(event, ev.VisitAbandoned):
            return
        if getattr(event, "session_id", "") not in (model.session_id, ""):
            return  # a late event from a session already finished
        turn = model.apply(event)
        if isinstance(event, ev.TurnFailed) and turn is not None and turn.status == "untranslated":
            self._suggest(turn)
        if isinstance(event, ev.SessionStarted):
            return
        if isinstance(event, (ev.TurnFinished, ev.TurnFailed)) and turn is not None:
            if self.active_turns.get(turn.side) == turn.turn_id:
                self.active_turns.pop(turn.side, None)
                self.view.listening_over(turn.side)
        self.view.changed(event, turn)

    # ------------------------------------------------------------ engines and content (off the UI thread)
    def prepare(self) -> None:
        """Build the engines and load the content now, in the background, so the first visitor doesn't wait;
        find out whether there is a microphone (without one push-to-talk opens the keyboard)."""
        self._with_conversation(lambda conv: None)
        check = self.microphone_check
        if check is not None:
            def work() -> None:
                found = check()
                if not found:
                    _LOGGER.info("no microphone: push-to-talk opens the keyboard")
                self.call_soon(lambda: self._microphone_checked(found))

            self.run_in_background(work, "microphone")

    def _microphone_checked(self, found: bool) -> None:
        self.has_microphone = self.model.has_microphone = found
        tell = getattr(self.view, "microphone_checked", None)
        if tell is not None:
            tell(found)

    def _suggest(self, turn: TurnView) -> None:
        """An untranslated sentence: the closest verified phrases (the matcher's best below its threshold),
        looked up off the UI thread; the text stays in memory only."""
        phrases = self._lookups.phrases if self._lookups is not None else None
        if phrases is None:
            return
        text, lang, session, side = turn.text, turn.source, self.model.session_id, turn.side

        def work() -> None:
            found = closest_phrases(phrases, text, lang, speaker=side if side in ("visitor", "staff") else "")
            if found:
                self.call_soon(lambda: self._suggested(session, turn.turn_id, found))

        self.run_in_background(work, "suggest")

    def _suggested(self, session: str, turn_id: str, found) -> None:
        if session != self.model.session_id or turn_id not in self.model.turns:
            return  # the visit ended meanwhile
        self.model.suggest(turn_id, found)
        self.view.changed(None, self.model.turns[turn_id])

    def _with_conversation(self, then: Callable[[Conversation], object]) -> None:
        """Run ``then(conversation)`` now, or once the engines and content are ready."""
        if self.conversation is not None:
            self._safely(then, self.conversation)
            return
        self._pending.append(then)
        if self.busy:
            return
        self._set_busy(True)
        given = self.engines

        def work() -> None:
            engines, err = given, None
            if engines is None:
                try:
                    engines = factory.build_engines(self.settings)
                except KioskError as exc:
                    err = exc
            lookups = self._lookups or self._load_lookups()  # ~1 s (pykakasi, matcher)
            self.call_soon(lambda: self._engines_ready(engines, lookups, err))

        self.run_in_background(work, "build-engines")

    def _load_lookups(self) -> Lookups:
        """Phrasebook matcher, glossary and recognition vocabulary (content is optional)."""
        try:
            self._lookups = load_lookups(self.settings, self.content_dir)
        except Exception:  # noqa: BLE001 - content is optional for the conversation
            _LOGGER.warning("content lookups unavailable")
            self._lookups = Lookups()
        return self._lookups

    def _engines_ready(self, engines: factory.Engines | None, lookups: Lookups, err: KioskError | None) -> None:
        self._set_busy(False)
        pending, self._pending = self._pending, []
        if err is not None or engines is None:
            self.view.show_error(err.code if err is not None else "pipeline.internal")
            return
        self.engines = engines
        self._warm_phrases.start(lookups.phrases, [self.settings.staff_language])  # every visit uses it
        self.conversation = self.conversation_factory(
            engines, self.settings, self.observer, matcher=lookups.phrases, glossary=lookups.glossary,
            microphone_factory=self.microphone_factory, recognition_phrases=lookups.vocabulary, clock=self.clock,
        )
        for then in pending:
            self._safely(then, self.conversation)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.view.busy_changed(busy)

    def _warm_up(self, languages: list[str]) -> None:
        """Load the models this visit will use, in the background (first reply without model-load delay):
        the engines, and the phrase matcher's analysers of these languages only (Korean ~1.5-3.5 s and
        ~300 MB) on non-daemon threads that ``close`` waits for (``kiosk.warm_up``)."""
        self._warm_phrases.start(self._lookups.phrases if self._lookups is not None else None, languages)
        engines = self.engines
        if engines is not None:
            def warm() -> None:
                factory.warm_up(engines, languages)

            self.run_in_background(warm, "warm-up")

    def _safely(self, fn: Callable[[Conversation], object], conv: Conversation) -> None:
        try:
            fn(conv)
        except KioskError as exc:
            _LOGGER.info("ui action failed: %s", exc.code)
            self.view.show_error(exc.code)

    # ------------------------------------------------------------ the visit
    def touched(self) -> None:
        self.last_touch = self.clock()

    def idle(self, screen: str) -> IdleStatus | None:
        """Where the idle countdown stands on ``screen`` (None: that screen never times out)."""
        timeout = idle_timeout(self.settings, screen)
        return None if timeout is None else idle_status(self.last_touch, self.clock(), self.settings, timeout)

    def attract_touched(self) -> None:
        self._visit = True

    def pick_language(self, code: str) -> None:
        """The visitor picked ``code``: a new conversation (the session starts once the engines are ready)."""
        self._visit = False
        staff = self.settings.staff_language
        self.model.wipe()
        self.model.staff_language, self.model.visitor_language = staff, code

        def start(conv: Conversation) -> None:
            # the model knows its session at once: events of earlier sessions still queued are ignored
            self.model.session_id = conv.start_session(mode=self.settings.mode, visitor_language=code,
                                                       staff_language=staff)
            self._warm_up([code, staff])
            translator = self.engines.translator if self.engines is not None else None
            self.model.phrasebook_only = not (has_route(translator, code, staff) and has_route(translator, staff, code))

        self._with_conversation(start)

    def end_visit(self, reason: ev.EndReason = "finished") -> None:
        """Finish or idle reset: the model is wiped now; the session's turns end in the background."""
        self.active_turns.clear()
        self._released.clear()
        self._pending.clear()
        if self._visit:  # attract screen touched, no language picked
            self.observer(ev.VisitAbandoned(mode=self.settings.mode))
        self._visit = False
        if self.conversation is not None:
            self.run_in_background(self.conversation.detach_session(reason), "end-session")
        self.model.wipe()
        self.last_touch = self.clock()
        self.view.wiped()

    def close(self, warm_up_wait_s: float = WARM_UP_WAIT_S) -> None:
        """The app stops: end the session (waits for its turns to stop), then wait (at most
        ``warm_up_wait_s``) for an analyser still loading: that call cannot be interrupted."""
        if self.conversation is not None:
            self.conversation.close()
        if not self._warm_phrases.wait(warm_up_wait_s):
            _LOGGER.warning("phrase matcher still loading after %.0f s: the app exits when it is done",
                            warm_up_wait_s)

    # ------------------------------------------------------------ turns
    def _langs(self, side: str) -> tuple[str, str]:
        return self.model.language(side), self.model.language(other(side))

    def start_speech(self, side: str) -> None:
        source, target = self._langs(side)
        self._released.discard(side)

        def go(conv: Conversation) -> None:
            tid = conv.start_speech(side=side, source=source, target=target)
            if side in self._released:  # let go while the engines were loading
                self._released.discard(side)
                conv.stop_speech(tid)
            else:
                self.active_turns[side] = tid

        self._with_conversation(go)

    def stop_speech(self, side: str) -> None:
        tid = self.active_turns.pop(side, None)
        if tid and self.conversation is not None:
            self.conversation.stop_speech(tid)
        elif tid is None:
            self._released.add(side)

    def submit_text(self, side: str, text: str) -> None:
        source, target = self._langs(side)
        self._with_conversation(lambda conv: conv.submit_text(side=side, source=source, target=target, text=text))

    def submit_phrase(self, side: str, phrase_id: str, fills: Mapping[str, str] | None = None) -> None:
        """A phrasebook phrase; ``fills`` are the blanks site.toml leaves open, typed by staff."""
        source, target = self._langs(side)
        self._with_conversation(lambda conv: conv.submit_phrase(
            side=side, phrase_id=phrase_id, source=source, target=target, fills=fills))

    def edit_turn(self, turn_id: str) -> str:
        """Withdraw a turn to correct it by typing; returns its text for the keyboard."""
        turn = self.model.turns.get(turn_id)
        if turn is None:
            return ""
        if self.conversation is not None and not turn.finished:
            self.conversation.cancel(turn_id)
        self.model.hide(turn_id)
        return turn.text

    def feedback(self, turn_id: str, outcome: ev.Outcome) -> None:
        self.model.feedback(turn_id, outcome)
        if self.conversation is not None:
            self.conversation.feedback(turn_id, outcome)

    # ------------------------------------------------------------ staff: PIN lock-out, statistics
    def check_pin(self, pin: str) -> None:
        """Raises admin.bad_pin / admin.pin_locked / admin.pin_missing / admin.pin_broken (state saved each time)."""
        self.pin.check(pin)

    def set_pin(self, pin: str) -> None:
        """A new staff PIN (admin.weak_pin if it breaks the rules)."""
        self.pin.set_pin(pin)

    def stats_summary(self) -> Summary | None:
        """The statistics for the staff dashboard, or None when there are none yet (blocking: not on the UI thread).

        Raises the problem that keeps statistics off, so staff see why."""
        if self.stats_problem is not None:
            raise self.stats_problem
        if self.stats is not None:
            self.stats.flush(2.0)  # sessions just finished are written in the background
        if self.stats_store is not None:
            summary = self.stats_store.summary()
        elif self.settings.stats_db_path.exists():
            with open_store(self.settings) as own:
                summary = own.summary()
        else:
            return None
        return summary if summary.sessions else None
