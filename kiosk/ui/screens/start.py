"""First screen: pick the visitor's language (five big buttons, each in its own script)."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.languages import LANGUAGES
from kiosk.ui.screens.common import BigButton
from kiosk.ui.fonts import font_for


class StartScreen(Screen):
    lang = StringProperty("ja")  # the title cycles through the languages

    def on_pre_enter(self, *a):
        self.rebuild()

    def rebuild(self):
        app = App.get_running_app()
        box = self.ids.buttons
        box.clear_widgets()
        for code in app.offered_languages:
            b = BigButton(text=LANGUAGES[code].native_name)
            b.font_size, b.height = app.fs(40), app.fs(96)  # after init: the BigButton kv rule sets its own sizes
            b.lang_code = code
            b.font_name = font_for(code)  # 中文 in the Simplified Chinese face, 한국어 in the Korean one
            b.bind(on_release=lambda btn: app.pick_language(btn.lang_code))
            box.add_widget(b)
