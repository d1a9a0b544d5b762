"""The on-screen keyboard widget (touch-only tablets): draws ``viewmodels.keyboard.Keyboard``'s
rows as buttons and writes the text it returns into the half's entry box."""

from __future__ import annotations

from kivy.app import App
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button

from kiosk.ui import theme
from kiosk.ui.fonts import apply_font
from kiosk.ui.viewmodels.keyboard import BACK, SHIFT, SPACE, SWITCH, Keyboard

WIDE = {SPACE: 3.0, BACK: 1.5, SHIFT: 1.5, SWITCH: 1.5}


class KeyButton(Button):
    pass


class OnScreenKeyboard(BoxLayout):
    def __init__(self, entry, **kw):
        super().__init__(orientation="vertical", spacing=dp(2), **kw)
        self.entry = entry
        self.model = Keyboard()
        entry.bind(text=self._typed_elsewhere)

    def start(self, language: str, text: str = "") -> None:
        self.model = Keyboard(language)
        self.model.reset(text)
        self.draw()

    def _typed_elsewhere(self, entry, text):
        if text != self.model.text:  # a hardware keyboard, or the box cleared after sending
            self.model.reset(text)

    def draw(self) -> None:
        app = App.get_running_app()
        self.clear_widgets()
        for keys in self.model.rows():
            row = BoxLayout(spacing=dp(2))
            for key in keys:
                label = {SPACE: "␣", SWITCH: self.model.switch_label()}.get(key, key)
                if not label:
                    continue
                wide = WIDE.get(key, 1.0) if self.model.layout != "kana" else 1.0  # kana: 12 keys a row
                b = KeyButton(text=label, size_hint_x=wide, font_size=app.fs(theme.BODY))
                b.key = key
                if key == SHIFT and self.model.shift:
                    b.background_color = theme.ACCENT
                b.bind(on_release=lambda btn: self.press(btn.key))
                row.add_widget(b)
            self.add_widget(row)
        apply_font(self, self.model.language)

    def press(self, key: str) -> None:
        before = (self.model.layout, self.model.shift)
        self.entry.text = self.model.press(key)
        if (self.model.layout, self.model.shift) != before:
            self.draw()
