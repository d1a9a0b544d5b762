"""A phrase with blanks ({place}, {time} ...) that site.toml does not fill: one field per blank,
a live preview of the sentence, and "Say it".  Shown inside the phrasebook panel of a half.

Widgets only: the labels, the preview and the check of what was typed come from
``ContentView`` and ``kiosk.content.faq.clean_fill``."""

from __future__ import annotations

from kivy.app import App
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.textinput import TextInput

from kiosk.content.faq import clean_fill
from kiosk.errors import KioskError
from kiosk.ui import theme
from kiosk.ui.screens.common import BigButton, Body
from kiosk.ui.viewmodels.content_view import blank_label


class PhraseFill(BoxLayout):
    """``on_say(fills)`` is called with {blank: typed text} once every blank is filled."""

    def __init__(self, *, phrase_id: str, lang: str, on_say, on_back, **kw):
        app = App.get_running_app()
        super().__init__(orientation="vertical", size_hint_y=None, spacing=app.fs(8), **kw)
        self.phrase_id, self.lang, self.on_say = phrase_id, lang, on_say
        self.label = lambda name: blank_label(name, app.strings, lang)
        self.fields: dict[str, TextInput] = {}
        self.preview = Body(text="", font_size=app.fs(theme.BODY + 4), bold=True)
        self.add_widget(self.preview)
        for name in app.phrasebook.blanks(phrase_id, lang):
            row = BoxLayout(size_hint_y=None, height=app.fs(theme.TARGET), spacing=app.fs(8))
            row.add_widget(Body(text=self.label(name), size_hint_x=0.3))
            field = TextInput(multiline=False, font_size=app.fs(theme.BODY), write_tab=False)
            field.bind(text=lambda *_: self.update())
            field.bind(on_text_validate=lambda *_: self.say())
            row.add_widget(field)
            self.fields[name] = field
            self.add_widget(row)
        buttons = BoxLayout(size_hint_y=None, height=app.fs(theme.TARGET), spacing=app.fs(8))
        back = BigButton(text="← " + app.t("back", lang))
        back.bind(on_release=lambda *_: on_back())
        self.say_button = BigButton(text=app.t("say_it", lang))
        self.say_button.bind(on_release=lambda *_: self.say())
        buttons.add_widget(back)
        buttons.add_widget(self.say_button)
        self.add_widget(buttons)
        self.error = Body(text="", color=theme.ACCENT, font_size=app.fs(theme.SMALL))
        self.add_widget(self.error)
        hint = app.t("fill_in_blanks", lang) + " " + app.t("fill_in_note", lang)
        self.add_widget(Body(text=hint, color=theme.MUTED, font_size=app.fs(theme.SMALL)))
        self.bind(minimum_height=self.setter("height"))
        self.update()
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.focus = True

    def typed(self) -> dict[str, str]:
        return {name: field.text for name, field in self.fields.items()}

    def update(self) -> None:
        app = App.get_running_app()
        self.preview.text = app.phrasebook.preview(self.phrase_id, self.lang, self.typed(), self.label)
        self.error.text = ""

    def say(self) -> None:
        try:
            fills = {name: clean_fill(text) for name, text in self.typed().items()}
        except KioskError as exc:
            self.error.text = theme.ICON_WARN + " " + App.get_running_app().error_text(exc.code, self.lang)
            return
        self.on_say(fills)

    def clear(self) -> None:
        for field in self.fields.values():
            field.text = ""
