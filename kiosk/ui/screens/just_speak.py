""""Just speak" on the start and attract screens: the microphone button and the answer.

Hold the button (or tap it: it listens for up to 3 s) and say anything; the
popup then asks in the detected language ("Tiếng Việt?" ✓ / choose another),
or offers the two most likely languages, or says nothing was heard.  The
decisions are in ``kiosk.ui.viewmodels.just_speak``; this file only draws.
"""

from __future__ import annotations

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView

from kiosk.ui import theme
from kiosk.ui.fonts import font_for
from kiosk.ui.screens.common import BigButton
from kiosk.ui.viewmodels.just_speak import JustSpeakView


class JustSpeakButton(BigButton):
    listening = BooleanProperty(False)

    def on_press(self):
        App.get_running_app().just_speak_start()

    def on_release(self):
        App.get_running_app().just_speak_stop()


class JustSpeakPopup(ModalView):
    def __init__(self, view: JustSpeakView, **kw) -> None:
        super().__init__(size_hint=(0.7, 0.6), auto_dismiss=True, **kw)
        app = App.get_running_app()
        self.view = view
        font = font_for(view.language)
        box = BoxLayout(orientation="vertical", padding=dp(24), spacing=dp(16))
        box.add_widget(Label(text=view.question, font_name=font, font_size=app.fs(theme.TITLE),
                             halign="center", valign="middle"))
        row = BoxLayout(spacing=dp(16), size_hint_y=None, height=app.fs(theme.TARGET))
        for choice in view.choices:
            b = BigButton(text=choice.label, font_name=font_for(choice.code))
            b.bind(on_release=lambda _b, code=choice.code: self.choose(code))
            row.add_widget(b)
        other = BigButton(text=view.other, font_name=font)
        other.bind(on_release=lambda _b: self.other())
        row.add_widget(other)
        box.add_widget(row)
        self.add_widget(box)

    def other(self) -> None:
        self.dismiss()
        App.get_running_app().just_speak_other()

    def choose(self, code: str) -> None:
        self.dismiss()
        App.get_running_app().pick_language(code)
