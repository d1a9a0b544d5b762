"""Widgets shared by the screens: big buttons, wrapped labels, a half turned 180°, the phrasebook lists."""

from __future__ import annotations

from kivy.app import App
from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Line, Rectangle
from kivy.graphics.transformation import Matrix
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.relativelayout import RelativeLayout
from kivy.uix.scrollview import ScrollView
from kivy.uix.togglebutton import ToggleButton

from kiosk.ui import theme
from kiosk.ui.fonts import apply_font
from kiosk.ui.viewmodels.content_view import blank_label
from kiosk.ui.viewmodels.layout import fitting_font


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

            m = m.multiply(Matrix().scale(-1, -1, 1))
        else:
            m.translate(self.x, self.y, 0)
        return super(RelativeLayout, self)._apply_transform(m, (0, 0))


class BigButton(Button):
    pass


def wrapped_button(text: str, on_release) -> BigButton:
    """A left-aligned button whose text wraps and whose height grows with it (at least one touch target)."""
    app = App.get_running_app()
    b = BigButton(text=text, shorten=False, halign="left")
    b.bind(texture_size=lambda btn, ts: setattr(btn, "height", max(app.fs(theme.TARGET), ts[1] + 16)))
    b.bind(on_release=on_release)
    return b


def fit_buttons(buttons, largest: float, smallest: float, pad: float = 20) -> None:
    """One font size for a row of buttons: ``largest`` when every label fits on one line, smaller
    when needed (never below ``smallest``: legible); a label that still does not fit wraps."""
    shown = [b for b in buttons if b.text and b.width > 0]
    sizes = []
    for b in shown:
        probe = CoreLabel(text=b.text, font_size=largest, font_name=b.font_name, bold=b.bold)
        probe.refresh()
        room = b.text_size[0] if b.text_size and b.text_size[0] else b.width - pad
        sizes.append(fitting_font(probe.texture.size[0], largest, room - 2, smallest))
    size = min(sizes, default=largest)
    for b in shown:
        b.font_size = size
        b.shorten = False  # wraps (text_size is the button's width) rather than "…"


def list_topics(box, scroll, lang: str, side: str, mode: str, width: float, on_topic) -> None:
    """The phrasebook's topics for ``side`` in ``mode`` ("kiosk": tourism first) as buttons in ``box``
    (up to three columns in ``width``); a tap calls ``on_topic(topic_id)``."""
    app = App.get_running_app()
    box.clear_widgets()
    box.cols = max(1, min(3, int(width // app.fs(360))))  # topic names are short
    for topic_id, title in app.phrasebook.topics(lang, side, mode):
        b = BigButton(text=title)
        b.bind(on_release=lambda btn, t=topic_id: on_topic(t))
        box.add_widget(b)
    if not box.children:
        box.add_widget(Body(text=app.t("phrasebook_empty", lang)))
    apply_font(box, lang)
    scroll.scroll_y = 1


def list_phrases(box, scroll, lang: str, side: str, topic_id: str, width: float, on_back, on_phrase) -> None:
    """"← Back" (calls ``on_back()``), then the phrases of ``topic_id`` for ``side`` (two columns in a wide
    ``width``), blanks shown by name; a tap calls ``on_phrase(phrase_id, topic_id)``."""
    app = App.get_running_app()
    box.clear_widgets()
    box.cols = 2 if width > app.fs(1000) else 1
    back = BigButton(text="← " + app.t("back", lang))
    back.bind(on_release=lambda *_: on_back())
    box.add_widget(back)
    label = lambda name: blank_label(name, app.strings, lang)  # noqa: E731
    for phrase_id, text in app.phrasebook.phrases(topic_id, lang, side, label):
        box.add_widget(wrapped_button(text, lambda btn, p=phrase_id, t=topic_id: on_phrase(p, t)))
    apply_font(box, lang)
    scroll.scroll_y = 1


class ChoiceButton(ToggleButton):
    pass


class Body(Label):
    """Wrapped text that grows to its content height (for scroll lists)."""


class BoxText(ScrollView):
    """Wrapped text in a fixed box: the font shrinks from ``base_size`` to fit, never below
    ``min_size`` (24 dp: legible); what still does not fit scrolls instead of overflowing."""

    text = StringProperty("")
    base_size = NumericProperty(26)
    min_size = NumericProperty(24)
    bold = BooleanProperty(False)

    def __init__(self, **kw):
        self.label = Label(size_hint_y=None, halign="left", valign="top")
        super().__init__(**kw)
        self.add_widget(self.label)
        self.bind(text=self._fit, base_size=self._fit, min_size=self._fit, bold=self._fit, size=self._fit)

    def needed(self, size: float) -> float:
        """Height of the whole text at font ``size`` in this box's width."""
        if not self.text:
            return 0.0

        probe = CoreLabel(text=self.text, font_size=size, font_name=self.label.font_name, bold=self.bold,
                          text_size=(max(1, self.width - 4), None), halign="left")
        probe.refresh()
        return float(probe.texture.size[1])

    def _fit(self, *_):
        label = self.label
        label.text, label.bold = self.text, self.bold
        label.text_size = (max(1, self.width - 4), None)
        size = self.base_size
        while True:
            label.font_size = size
            label.texture_update()
            if label.texture_size[1] <= self.height or size <= self.min_size:
                break
            size = max(self.min_size, size * 0.9)
        height = max(self.height, label.texture_size[1])
        label.text_size = (label.text_size[0], height)  # so valign "top" applies
        label.height = height
        self.scroll_y = 1


class Question(BoxLayout):
    """A question with answer buttons (a confirmation), drawn in one language."""

    def __init__(self, question: str, choices, font_name: str = "KioskSans", **kw):
        app = App.get_running_app()
        super().__init__(orientation="vertical", padding=dp(16), spacing=dp(12), **kw)
        with self.canvas.before:
            Color(*theme.PANEL)
            self._bg = Rectangle()
            Color(*theme.MUTED)
            self._edge = Line(width=2)
        self.bind(pos=self._draw, size=self._draw)
        self.add_widget(Body(text=question, font_name=font_name, bold=True, halign="center"))
        row = BoxLayout(size_hint_y=None, height=app.row_height(theme.TARGET, theme.BODY), spacing=dp(12))
        self.answers = {}
        for key, text, callback in choices:
            b = BigButton(text=text, font_name=font_name, shorten=False)
            b.size_hint_y = 1
            b.bind(on_release=lambda btn, cb=callback: cb())
            self.answers[key] = b
            row.add_widget(b)
        self.add_widget(row)
        self.size_hint_y = None
        self.bind(minimum_height=self.setter("height"))

    def _draw(self, *_):
        self._bg.pos, self._bg.size = self.pos, self.size
        self._edge.rectangle = (self.x, self.y, self.width, self.height)


def ask(question: str, choices, font_name: str = "KioskSans"):
    """A modal confirmation over the whole window (staff screens); returns the ModalView.
    ``choices``: (key, text, callback); the view closes before a callback runs."""
    view = ModalView(size_hint=(0.8, None), auto_dismiss=False, background_color=(0, 0, 0, 0.6))

    def wrap(cb):
        return lambda: (view.dismiss(animation=False), cb())

    box = Question(question, [(k, text, wrap(cb)) for k, text, cb in choices], font_name=font_name)
    box.bind(height=lambda w, h: setattr(view, "height", h))
    view.add_widget(box)
    view.question = box
    view.open(animation=False)
    return view
