"""The Kivy App: screens, widgets and the UI thread.  Everything else about a visit (engines,
content, the conversation, statistics, idle and lock-out state) is the Kivy-free
``kiosk.session.SessionController``; the App hands it the UI thread (``Clock``), switches
screens and redraws when it says something changed."""

from __future__ import annotations

import logging
import threading

from kivy.app import App
from kivy.cache import Cache
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.audio import has_microphone
from kiosk.config import save_settings
from kiosk.fonts import extract_regional_faces
from kiosk.just_speak import JustSpeak
from kiosk.pipeline import events as ev
from kiosk.session import SessionController, run_in_thread
from kiosk.ui.fonts import register_fonts, register_regional
from kiosk.ui.screens import KV_DIR, KV_FILES
from kiosk.ui.screens.admin import AdminScreen
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.conversation import ConversationScreen
from kiosk.ui.screens.faq import FaqScreen
from kiosk.ui.screens.idle import IdleOverlay
from kiosk.ui.screens.just_speak import JustSpeakPopup
from kiosk.ui.screens.pin import PinScreen
from kiosk.ui.screens.start import StartScreen
from kiosk.ui.screens.takeaway import TakeawayOverlay
from kiosk.ui.screens.visitor import VisitorScreen
from kiosk.ui.viewmodels.admin import visitor_languages
from kiosk.ui.viewmodels.content_view import ContentView
from kiosk.ui.viewmodels.conversation import TurnView
from kiosk.ui.viewmodels.idle import attract_index
from kiosk.ui.viewmodels.just_speak import just_speak_view
from kiosk.ui.viewmodels.layout import LINE
from kiosk.ui.viewmodels.strings import load_strings
from kiosk.ui.viewmodels.takeaway import takeaway_lines, takeaway_text

_LOGGER = logging.getLogger(__name__)


def call_soon(task) -> None:
    """Run ``task`` on the Kivy thread at the next frame (safe to call from any thread)."""
    Clock.schedule_once(lambda dt: task())


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
    has_microphone = BooleanProperty(True)  # False: push-to-talk opens the keyboard (staff side says why)

    def __init__(self, *, settings, engines, clock, stats, stats_store, stats_problem, content_dir,
                 conversation_factory, microphone_factory):
        super().__init__()
        self.title = "kiosk"
        self.settings, self.clock = settings, clock
        self.strings = load_strings(content_dir)
        self.phrasebook = ContentView.load(content_dir)
        extra = {"conversation_factory": conversation_factory} if conversation_factory is not None else {}
        self.session = SessionController(
            settings, self, call_soon=call_soon, engines=engines, clock=clock, stats=stats, stats_store=stats_store,
            stats_problem=stats_problem, content_dir=content_dir, microphone_factory=microphone_factory,
            microphone_check=has_microphone if microphone_factory is not None else None, **extra)
        self.model = self.session.model
        self.just_speak = JustSpeak(self._language_detector, microphone_factory, run_in_thread, call_soon)
        self._exiting = False
        self._apply_settings(settings)

    @property
    def engines(self):
        return self.session.engines

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
        self.session.apply_settings(settings)
        self.staff_language, self.layout = settings.staff_language, settings.layout
        self.text_scale = settings.text_scale
        self.ptt_mode, self.mode = settings.ptt_mode, settings.mode
        self.offered_languages = visitor_languages(settings)  # never the staff language
        self.has_faq = self.phrasebook.has_faq

    # ------------------------------------------------------------ build
    def build(self):
        register_fonts()
        self._load_regional_fonts()

        for name in KV_FILES:
            path = str(KV_DIR / name)
            if path not in Builder.files:
                Builder.load_file(path)
        self.sm = ScreenManager(transition=NoTransition())
        for screen in (AttractScreen(name="attract"), StartScreen(name="start"),
                       ConversationScreen(name="conversation"), VisitorScreen(name="visitor"), FaqScreen(name="faq"),
                       PinScreen(name="pin"),
                       AdminScreen(name="admin", stats_summary=self.session.stats_summary)):
            self.sm.add_widget(screen)
        root = FloatLayout()
        root.add_widget(self.sm)
        self.idle_overlay = IdleOverlay()
        self.takeaway = TakeawayOverlay()
        self.root_layout = root
        Window.bind(on_touch_down=self._touched, on_touch_up=self._touched, on_request_close=self._request_close)
        Window.clearcolor = (0, 0, 0, 1)
        Clock.schedule_interval(self._tick, 0.5)
        self.sm.current = "attract" if self.settings.mode == "kiosk" else "start"
        Clock.schedule_once(lambda dt: self.session.prepare(), 0)  # engines and content load in the background
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

    def _request_close(self, *_):
        """Kiosk mode: the window cannot be closed except from the staff screen."""
        return self.settings.mode == "kiosk" and not self._exiting

    def go(self, name: str) -> None:
        self.sm.current = name

    def screen(self, name: str):
        return self.sm.get_screen(name)

    # ------------------------------------------------------------ idle (kiosk mode; forgotten counter conversations)
    def _touched(self, *_):
        self.session.touched()
        self._hide_idle_warning()
        return False

    def _hide_idle_warning(self) -> None:
        if self.idle_overlay.parent is not None:
            self.root_layout.remove_widget(self.idle_overlay)

    def _tick(self, *_):
        cur = self.sm.current
        if cur in ("attract", "start"):
            scr = self.screen(cur)
            scr.lang = self.offered_languages[attract_index(self.clock(), len(self.offered_languages))]
        status = self.session.idle(cur)
        if status is None:
            return
        if status.phase == "warning":
            self.idle_seconds_left = status.seconds_left
            if self.idle_overlay.parent is None:
                self.root_layout.add_widget(self.idle_overlay)
        elif status.phase == "reset":
            self.finish("idle_reset")

    # ------------------------------------------------------------ SessionView (called by the session, UI thread)
    def changed(self, event: ev.Event, turn: TurnView | None) -> None:
        if isinstance(event, ev.AudioLevel) and turn is not None:
            self.screen("conversation").set_level(turn.side, turn.level)
            if turn.side == "visitor":
                self.screen("visitor").set_level(turn.level)
            return
        self.refresh()

    def listening_over(self, side: str) -> None:
        self.screen("conversation").stop_listening(side)
        if side == "visitor":
            self.screen("visitor").stop_listening()

    def show_error(self, code: str) -> None:
        self.screen(self.talk_screen()).show_error(code)

    def busy_changed(self, busy: bool) -> None:
        self.busy = busy

    def microphone_checked(self, found: bool) -> None:
        """No microphone: push-to-talk opens the keyboard (the staff half says why), the idle hint says to type."""
        self.has_microphone = found
        self.refresh()

    def wiped(self) -> None:
        """The visit's text left the model: clear the widgets and Kivy's cache of rendered typed text."""
        self.takeaway.close()  # the QR code of the conversation goes with it
        self.screen("conversation").clear()
        self.screen("visitor").clear()
        for category in ("textinput.label", "textinput.width"):  # rendered typed text, kept for 60 s
            Cache.remove(category)
        self.screen("faq").clear()

    def talk_screen(self) -> str:
        """Kiosk mode: the upright visitor-facing screen; counter mode: face to face (or side by side)."""
        return "visitor" if self.settings.mode == "kiosk" else "conversation"

    def refresh(self) -> None:
        self.screen(self.talk_screen()).refresh(self.model)

    def show_takeaway(self, flipped: bool = False) -> None:
        """ "Take it with you": the conversation as a QR code, turned towards the visitor.  Made in memory now,
        dropped when closed and with every wipe."""
        take = takeaway_text(takeaway_lines(self.model), self.visitor_language, self.staff_language, self.t)
        self.takeaway.show(take.text, self.visitor_language, left_out=take.left_out, lines=take.included,
                           flipped=flipped)
        if self.takeaway.parent is None:
            self.root_layout.add_widget(self.takeaway)

    # ------------------------------------------------------------ actions from the screens
    # ------------------------------------------------------------ "just speak" (start and attract screens)
    def _language_detector(self):
        stt = self.engines.stt if self.engines is not None else None
        return stt.detector() if hasattr(stt, "detector") else None  # Whisper (None: no Whisper model)

    def just_speak_start(self) -> None:
        self.session.touched()
        if self.sm.current == "attract":
            self.session.attract_touched()  # a visit begins, as with a touch anywhere on the attract screen
        self.just_speak.start(list(self.offered_languages), self._just_spoken)

    def just_speak_stop(self) -> None:
        self.just_speak.stop()

    def _just_spoken(self, detection) -> None:
        fallback = self.screen("start").lang if self.sm.current == "start" else self.staff_language
        self.just_speak_popup = JustSpeakPopup(just_speak_view(detection, self.strings, fallback))
        self.just_speak_popup.open()

    def just_speak_other(self) -> None:
        """'Choose another': the language buttons."""
        if self.sm.current == "attract":
            self.go("start")

    def attract_touched(self) -> None:
        self.session.attract_touched()
        self.go("start")

    def pick_language(self, code: str) -> None:
        self.visitor_language = code
        self.session.pick_language(code)
        self.screen(self.talk_screen()).clear()
        self.go(self.talk_screen())
        self.refresh()

    def edit_turn(self, turn_id: str) -> str:
        """Withdraw a turn to correct it by typing; returns its text for the keyboard."""
        text = self.session.edit_turn(turn_id)
        self.refresh()
        return text

    def feedback(self, turn_id: str, outcome: str) -> None:
        self.session.feedback(turn_id, outcome)
        self.refresh()

    def finish(self, reason: str = "finished") -> None:
        """Wipe the conversation and go back to the start (or the attract screen)."""
        self._hide_idle_warning()
        self.session.end_visit(reason)
        self.go("attract" if self.settings.mode == "kiosk" else "start")

    def open_faq(self, lang: str, flipped: bool = False) -> None:
        """The FAQ in ``lang``, drawn like the half that opened it (``flipped``: the visitor's half face to face)."""
        self.screen("faq").show(lang, flipped=flipped, back_to=self.talk_screen())
        self.go("faq")

    # ------------------------------------------------------------ admin
    def save_settings(self, settings) -> None:
        save_settings(settings)
        self._apply_settings(settings)

    def exit_app(self) -> None:
        self._exiting = True
        self.stop()

    def on_stop(self):
        self.session.close()
