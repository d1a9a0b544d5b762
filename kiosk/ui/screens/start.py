"""First screen: pick the visitor's language (big buttons, each in its own script)."""

from __future__ import annotations

from kivy.app import App
from kivy.metrics import dp
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.languages import LANGUAGES
from kiosk.ui import theme
from kiosk.ui.fonts import font_for
from kiosk.ui.screens.common import BigButton
from kiosk.ui.screens.just_speak import JustSpeakButton  # noqa: F401 - used in start.kv
from kiosk.ui.viewmodels.layout import start_grid


class StartScreen(Screen):
    lang = StringProperty("ja")  # the title cycles through the languages

    def on_kv_post(self, base_widget):
        self.ids.buttons.bind(size=lambda *_: self.fit())

    def on_pre_enter(self, *a):
        self.rebuild()

    def rebuild(self):
        app = App.get_running_app()
        box = self.ids.buttons
        box.clear_widgets()
        for code in app.offered_languages:
            b = BigButton(text=LANGUAGES[code].native_name)
            b.lang_code = code
            b.font_name = font_for(code)  # 中文 in the Simplified Chinese face, 한국어 in the Korean one
            b.bind(on_release=lambda btn: app.pick_language(btn.lang_code))
            box.add_widget(b)
        self.fit()

    def fit(self):
        """Buttons as big as fit above the Staff button at any text size (``start_grid``)."""
        app = App.get_running_app()
        box = self.ids.buttons
        grid = start_grid(len(box.children), box.width - box.padding[0] - box.padding[2],
                          box.height - box.padding[1] - box.padding[3], spacing=box.spacing[1],
                          target=dp(theme.TARGET), tallest=app.fs(96), largest_font=app.fs(40))
        box.cols = grid.cols
        for b in box.children:  # after init: the BigButton kv rule sets its own sizes
            b.height, b.font_size = grid.button_height, grid.font_size
