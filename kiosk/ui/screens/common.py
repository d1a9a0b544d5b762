"""Widgets shared by the screens: big buttons, wrapped labels, a half turned 180°."""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.relativelayout import RelativeLayout
from kivy.uix.togglebutton import ToggleButton


class Flipped(RelativeLayout):
    """A RelativeLayout drawn and touched upside down when ``flipped`` (the visitor's half
    in the face-to-face layout).  Drawing is rotated in the .kv; touches are mapped here."""

    flipped = BooleanProperty(True)

    def to_local(self, x, y, **k):
        lx, ly = x - self.x, y - self.y
        return (self.width - lx, self.height - ly) if self.flipped else (lx, ly)

    def to_parent(self, x, y, **k):
        if self.flipped:
            x, y = self.width - x, self.height - y
        return x + self.x, y + self.y

    def _apply_transform(self, m, pos=None):
        if self.flipped:
            m.translate(self.x + self.width, self.y + self.height, 0)
            from kivy.graphics.transformation import Matrix

            m = m.multiply(Matrix().scale(-1, -1, 1))
        else:
            m.translate(self.x, self.y, 0)
        return super(RelativeLayout, self)._apply_transform(m, (0, 0))


class BigButton(Button):
    pass


class ChoiceButton(ToggleButton):
    pass


class Body(Label):
    """Wrapped text that grows to its content height (for scroll lists)."""


class BoxText(Label):
    """Wrapped text filling its box, shrinking the font until it fits."""

    base_size = NumericProperty(26)

    def on_texture_size(self, *a):
        self._fit()

    def on_size(self, *a):
        self._fit()

    def on_base_size(self, *a):
        self.font_size = self.base_size
        self._fit()

    def on_text(self, *a):
        self.font_size = self.base_size

    def _fit(self):
        if not self.text or self.height <= 0:
            return
        self.texture_update()
        if self.texture_size[1] > self.height and self.font_size > 14:
            self.font_size = max(14, self.font_size * 0.9)
