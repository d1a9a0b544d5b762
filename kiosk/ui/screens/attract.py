"""Attract screen (kiosk mode): 'touch to start' cycling slowly through the languages."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.screens.just_speak import JustSpeakButton  # noqa: F401 - used in attract.kv


class AttractScreen(Screen):
    lang = StringProperty("ja")

    def on_touch_down(self, touch):
        if self.ids.just_speak.collide_point(*touch.pos):
            return super().on_touch_down(touch)  # the microphone button: "just speak"
        if self.collide_point(*touch.pos):
            App.get_running_app().attract_touched()
            return True
        return super().on_touch_down(touch)
