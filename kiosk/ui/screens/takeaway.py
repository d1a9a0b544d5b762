""""Take it with you": a QR code of the conversation over the whole screen, turned towards the
visitor (upside down for the visitor's half in the face-to-face layout).

Widgets only: the text comes from ``viewmodels.takeaway``; the code is drawn from pixels made
in memory (a texture, no image file).  ``close()`` drops the texture and the text; the app
closes the overlay with every wipe.
"""

from __future__ import annotations

from kivy.app import App
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.fonts import apply_font
from kiosk.ui.viewmodels.takeaway import qr_pixels


def qr_texture(text: str) -> Texture:
    """One texel per module, drawn scaled up without smoothing (sharp edges for the camera)."""
    side, grey = qr_pixels(text)
    rgba = bytes(v for g in grey for v in (g, g, g, 255))  # 4 bytes a texel: rows stay aligned
    tex = Texture.create(size=(side, side), colorfmt="rgba")
    tex.blit_buffer(rgba, colorfmt="rgba", bufferfmt="ubyte")
    tex.flip_vertical()  # pixel rows come from the top
    tex.mag_filter = tex.min_filter = "nearest"
    return tex


class TakeawayOverlay(FloatLayout):
    lang = StringProperty("en")
    flipped = BooleanProperty(False)
    note = StringProperty("")  # "n earlier lines are not included", or ""
    lines = NumericProperty(0)
    texture = ObjectProperty(None, allownone=True)

    def show(self, text: str, lang: str, *, left_out: int, lines: int, flipped: bool) -> None:
        app = App.get_running_app()
        self.lang, self.flipped, self.lines = lang, flipped, lines
        self.note = app.t("qr_lines_left_out", lang, n=left_out) if left_out else ""
        self.texture = qr_texture(text) if lines else None
        apply_font(self, lang)

    def close(self) -> None:
        self.texture = None
        self.note = ""
        self.lines = 0
        if self.parent is not None:
            self.parent.remove_widget(self)


class FinishQuestion(BoxLayout):
    """Finish on the visitor's side: "End the conversation?" in their language, with
    "Take it with you" (the QR code, turned like this half), "End" and "Keep talking"."""

    lang = StringProperty("en")
    flipped = BooleanProperty(False)  # the half this is shown on is turned 180°
    can_take_away = BooleanProperty(False)
    keep_action = ObjectProperty(None, allownone=True)

    def keep_talking(self) -> None:
        if self.keep_action is not None:
            self.keep_action()
