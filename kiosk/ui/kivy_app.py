"""The Kivy App: holds the settings, the view models and the pipeline ``Conversation``;
screens call its small action methods.  Pipeline events arrive on worker threads and
are marshalled to the Kivy thread with ``Clock.schedule_once``."""

from __future__ import annotations

import logging
import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.errors import KioskError
from kiosk.languages import LANGUAGES
from kiosk.pipeline import events as ev
from kiosk.fonts import extract_regional_faces
from kiosk.ui.fonts import register_fonts, register_regional
from kiosk.ui.viewmodels.admin import visitor_languages
from kiosk.ui.viewmodels.content_view import ContentView
from kiosk.ui.viewmodels.conversation import ConversationModel, other
from kiosk.ui.viewmodels.idle import attract_index, idle_status, idle_timeout
from kiosk.ui.viewmodels.layout import LINE
from kiosk.ui.viewmodels.pin import PinGate, gate_state, restore_gate
from kiosk.ui.viewmodels.strings import load_strings

_LOGGER = logging.getLogger(__name__)



class KioskApp(App):
    visitor_language = StringProperty("en")
    staff_language = StringProperty("ja")
    layout = StringProperty("face_to_face")
    ptt_mode = StringProperty("both")
    mode = StringProperty("counter")
    text_scale = NumericProperty(1.0)
    offered_languages = ListProperty(["ja", "en", "vi", "zh", "ko"])
    has_faq = BooleanProperty(False)
    idle_seconds_left = NumericProperty(0)
    busy = BooleanProperty(False)

    def __init__(self, *, settings, engines, clock, stats, content_dir, conversation_factory, microphone_factory):
        super().__init__()
        self.title = "kiosk"
        self.settings, self.engines, self.clock, self.stats = settings, engines, clock, stats
        self.content_dir, self.microphone_factory = content_dir, microphone_factory
        self.conversation_factory = conversation_factory
        self.strings = load_strings(content_dir)
        self.phrasebook = ContentView.load(content_dir)
        self.model = ConversationModel()
        self.pin_gate = PinGate()
        self.load_pin_state()
        self.conversation = None
        self.last_touch = clock()
        self.active_turns: dict[str, str] = {}  # side -> turn id while listening
        self._released: set[str] = set()
        self._pending: list = []  # actions waiting for the engines  # push-to-talk let go before the pipeline was ready
        self._exiting = False
        self._visit = False  # attract screen touched, no language picked yet
        self._ending: threading.Thread | None = None  # end_session of the last visit, off the UI thread
        self._lookups = None  # (matcher, glossary, vocabulary), loaded off the UI thread
        self._apply_settings(settings)

    # ------------------------------------------------------------ helpers for .kv
    def t(self, key: str, lang: str, **fields) -> str:
        return self.strings.get(key, lang, **fields)

    def error_text(self, code: str, lang: str) -> str:
        key = "error_" + code.replace(".", "_")
        return self.t(key if key in self.strings.table else "error_generic", lang)

    def fs(self, size: float) -> float:
        return dp(size * self.text_scale)

    def row_height(self, base: float, font: float, pad: float = 12) -> float:
        """A row's height: ``base`` dp, or taller when a line of ``font`` (dp, scaled) needs it."""
        return max(dp(base), self.fs(font) * LINE + dp(pad))

    def _apply_settings(self, settings) -> None:
        self.settings = settings
        self.staff_language, self.layout = settings.staff_language, settings.layout
        self.text_scale = settings.text_scale
        self.ptt_mode, self.mode = settings.ptt_mode, settings.mode
        self.offered_languages = visitor_languages(settings)  # never the staff language
        self.has_faq = self.phrasebook.has_faq

    # ------------------------------------------------------------ build
    def build(self):
        register_fonts()
        self._load_regional_fonts()
        from kiosk.ui.screens import KV_DIR, KV_FILES
        from kiosk.ui.screens.admin import AdminScreen
        from kiosk.ui.screens.attract import AttractScreen
        from kiosk.ui.screens.conversation import ConversationScreen
        from kiosk.ui.screens.faq import FaqScreen
        from kiosk.ui.screens.pin import PinScreen
        from kiosk.ui.screens.start import StartScreen

        for name in KV_FILES:
            path = str(KV_DIR / name)
            if path not in Builder.files:
                Builder.load_file(path)
        self.sm = ScreenManager(transition=NoTransition())
        for cls, name in ((AttractScreen, "attract"), (StartScreen, "start"), (ConversationScreen, "conversation"),
                          (FaqScreen, "faq"), (PinScreen, "pin"), (AdminScreen, "admin")):
            self.sm.add_widget(cls(name=name))
        root = FloatLayout()
        root.add_widget(self.sm)
        from kiosk.ui.screens.idle import IdleOverlay

        self.idle_overlay = IdleOverlay()
        self.root_layout = root
        Window.bind(on_touch_down=self._touched, on_touch_up=self._touched, on_request_close=self._request_close)
        Window.clearcolor = (0, 0, 0, 1)
        Clock.schedule_interval(self._tick, 0.5)
        self.sm.current = "attract" if self.settings.mode == "kiosk" else "start"
        # build the engines and load the content now, in the background, so the first visitor doesn't wait
        Clock.schedule_once(lambda dt: self._with_conversation(lambda conv: None), 0)
        return root

    def _load_regional_fonts(self) -> None:
        """Chinese/Korean faces of the CJK font: extracted once in the background, then registered."""
        cache = self.settings.cache_dir / "fonts"

        def work():
            try:
                faces = extract_regional_faces(cache)
            except Exception:  # noqa: BLE001 - the Pan-CJK base font still renders every glyph
                _LOGGER.warning("regional CJK faces unavailable; using the base font")
                return
            Clock.schedule_once(lambda dt: (register_regional(faces), self.refresh()))

        threading.Thread(target=work, name="fonts", daemon=True).start()

    # ------------------------------------------------------------ PIN lock-out (survives a restart)
    @property
    def pin_state_path(self):
        return self.settings.data_dir / "admin-lock.json"

    def load_pin_state(self) -> None:
        import json
        import time

        try:
            state = json.loads(self.pin_state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        restore_gate(state, self.clock(), time.time(), self.pin_gate)

    def save_pin_state(self) -> None:
        import json
        import os
        import time

        try:
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.pin_state_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(gate_state(self.pin_gate, self.clock(), time.time())), encoding="utf-8")
            os.replace(tmp, self.pin_state_path)
        except OSError:
            _LOGGER.warning("could not save the PIN lock-out state")

    def _request_close(self, *_):
        """Kiosk mode: the window cannot be closed except from the staff screen."""
        return self.settings.mode == "kiosk" and not self._exiting

    def go(self, name: str) -> None:
        self.sm.current = name

    def screen(self, name: str):
        return self.sm.get_screen(name)

    # ------------------------------------------------------------ idle (kiosk mode; forgotten counter conversations)
    def _touched(self, *_):
        self.last_touch = self.clock()
        if self.idle_overlay.parent is not None:
            self.root_layout.remove_widget(self.idle_overlay)
        return False

    def _tick(self, *_):
        now = self.clock()
        cur = self.sm.current
        if cur in ("attract", "start"):
            scr = self.screen(cur)
            scr.lang = self.offered_languages[attract_index(now, len(self.offered_languages))]
        timeout = idle_timeout(self.settings, cur)
        if timeout is None:
            return
        status = idle_status(self.last_touch, now, self.settings, timeout)
        if status.phase == "warning":
            self.idle_seconds_left = status.seconds_left
            if self.idle_overlay.parent is None:
                self.root_layout.add_widget(self.idle_overlay)
        elif status.phase == "reset":
            self.finish("idle_reset")

    # ------------------------------------------------------------ session
    def attract_touched(self) -> None:
        self._visit = True
        self.go("start")

    def pick_language(self, code: str) -> None:
        self._visit = False
        self.visitor_language = code
        self.model.wipe()
        self.model.staff_language, self.model.visitor_language = self.staff_language, code
        self.screen("conversation").clear()
        self.go("conversation")
        self.refresh()
        def start(conv):
            if self._ending is not None:  # the last visit's turns are still being cancelled
                self._ending.join(10)
                self._ending = None
            conv.start_session(mode=self.settings.mode, visitor_language=code, staff_language=self.staff_language)
            self._warm_up([code, self.staff_language])
        self._with_conversation(start)

    def _with_conversation(self, then) -> None:
        """Run ``then(conversation)`` now, or once the engines are ready (built off the UI thread)."""
        if self.conversation is not None:
            self._safely(then, self.conversation)
            return
        self._pending.append(then)
        if self.busy:
            return
        self.busy = True
        if self.engines is not None:
            self._engines_ready(self.engines, None)
            return

        def work():
            try:
                from kiosk.engines.factory import build_engines

                engines, err = build_engines(self.settings), None
            except KioskError as exc:
                engines, err = None, exc
            self._load_lookups()  # ~1 s (pykakasi, matcher): never on the UI thread
            Clock.schedule_once(lambda dt: self._engines_ready(engines, err))

        threading.Thread(target=work, name="build-engines", daemon=True).start()

    def _load_lookups(self):
        """Phrasebook matcher, glossary and recognition vocabulary (content is optional)."""
        lookups = (None, None, None)
        try:
            from kiosk.pipeline.content_adapters import load_lookups

            lookups = load_lookups(self.settings, self.content_dir)
        except Exception:  # noqa: BLE001 - content is optional for the conversation
            _LOGGER.warning("content lookups unavailable")
        self._lookups = lookups
        return lookups

    def _warm_up(self, languages) -> None:
        """Load the models this visit will use, in the background (first reply without model-load delay)."""
        engines = self.engines
        if engines is None:
            return
        from kiosk.engines.factory import warm_up

        threading.Thread(target=warm_up, args=(engines, list(languages)), name="warm-up", daemon=True).start()

    def _engines_ready(self, engines, err) -> None:
        self.busy = False
        pending, self._pending = self._pending, []
        if err is not None:
            self.show_error(err.code)
            return
        self.engines = engines
        factory = self.conversation_factory
        if factory is None:
            from kiosk.pipeline.conversation import Conversation as factory
        matcher, glossary, vocab = self._lookups if self._lookups is not None else self._load_lookups()
        self.conversation = factory(engines, self.settings, self.observer, matcher=matcher, glossary=glossary,
                                    microphone_factory=self.microphone_factory, recognition_phrases=vocab,
                                    clock=self.clock)
        for then in pending:
            self._safely(then, self.conversation)

    def _safely(self, fn, *args):
        try:
            return fn(*args)
        except KioskError as exc:
            _LOGGER.info("ui action failed: %s", exc.code)
            self.show_error(exc.code)
            return None

    def observer(self, event: ev.Event) -> None:
        """Called on worker threads: hand the event to the Kivy thread."""
        if callable(self.stats):
            try:
                self.stats(event)
            except Exception:  # noqa: BLE001
                _LOGGER.warning("stats observer failed on %s", event.type)
        Clock.schedule_once(lambda dt: self.on_event(event))

    def on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.SessionStarted) and self.model.session_id == "":
            self.model.apply(event)
            return
        if getattr(event, "session_id", self.model.session_id) not in (self.model.session_id, ""):
            return  # a late event from a session already finished
        turn = self.model.apply(event)
        if isinstance(event, ev.AudioLevel) and turn is not None:
            self.screen("conversation").set_level(turn.side, turn.level)
            return
        if isinstance(event, (ev.TurnFinished, ev.TurnFailed)) and turn is not None:
            if self.active_turns.get(turn.side) == turn.turn_id:
                self.active_turns.pop(turn.side, None)
                self.screen("conversation").halves()[turn.side].ids.ptt.reset()
        self.refresh()

    def refresh(self) -> None:
        self.screen("conversation").refresh(self.model)

    def show_error(self, code: str) -> None:
        self.screen("conversation").show_error(code)

    # ------------------------------------------------------------ turns
    def _langs(self, side: str) -> tuple[str, str]:
        return self.model.language(side), self.model.language(other(side))

    def start_speech(self, side: str) -> None:
        source, target = self._langs(side)

        self._released.discard(side)

        def go(conv):
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

    def submit_phrase(self, side: str, phrase_id: str, fills: dict[str, str] | None = None) -> None:
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
        self.refresh()
        return turn.text

    def feedback(self, turn_id: str, outcome: str) -> None:
        self.model.feedback(turn_id, outcome)
        if self.conversation is not None:
            self.conversation.feedback(turn_id, outcome)
        self.refresh()

    def finish(self, reason: str = "finished") -> None:
        """Wipe the conversation and go back to the start (or the attract screen)."""
        if self.idle_overlay.parent is not None:
            self.root_layout.remove_widget(self.idle_overlay)
        self.active_turns.clear()
        self._pending.clear()
        if self._visit and hasattr(self.stats, "touch"):  # a visit that never reached a conversation
            self.stats.touch(mode=self.settings.mode)
        self._visit = False
        if self.conversation is not None:
            conv = self.conversation
            self._ending = threading.Thread(target=lambda: conv.end_session(reason), name="end-session", daemon=True)
            self._ending.start()
        self.model.wipe()
        self.screen("conversation").clear()
        from kivy.cache import Cache

        for category in ("textinput.label", "textinput.width"):  # rendered typed text, kept for 60 s
            Cache.remove(category)
        self.screen("faq").clear()
        self.last_touch = self.clock()
        self.go("attract" if self.settings.mode == "kiosk" else "start")

    def open_faq(self, lang: str) -> None:
        self.screen("faq").show(lang)
        self.go("faq")

    # ------------------------------------------------------------ admin
    def save_settings(self, settings) -> None:
        from kiosk.config import save_settings

        save_settings(settings)
        self._apply_settings(settings)

    def exit_app(self) -> None:
        self._exiting = True
        self.stop()

    def on_stop(self):
        if self.conversation is not None:
            self.conversation.close()
