"""Attract screen (kiosk mode): 'touch to start' cycling slowly through the languages."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen


class AttractScreen(Screen):
    lang = StringProperty("ja")

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos):
            App.get_running_app().attract_touched()
            return True
        return super().on_touch_down(touch)
