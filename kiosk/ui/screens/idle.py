"""'Are you still there?' overlay with a countdown (kiosk mode); any touch dismisses it."""

from __future__ import annotations

from kivy.uix.floatlayout import FloatLayout


class IdleOverlay(FloatLayout):
    def on_touch_down(self, touch):
        super().on_touch_down(touch)
        return True  # the touch only says "still here"; nothing underneath reacts
