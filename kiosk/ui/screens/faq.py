"""FAQ / quick answers in the visitor's language (content/faq.toml)."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.ui.fonts import apply_font
from kiosk.ui.screens.common import Body, wrapped_button


class FaqScreen(Screen):
    lang = StringProperty("en")
    flipped = BooleanProperty(False)  # opened from the visitor's half turned 180°: drawn that way too
    back_to = StringProperty("conversation")

    def show(self, lang: str, flipped: bool = False, back_to: str = "conversation") -> None:
        app = App.get_running_app()
        self.lang, self.flipped, self.back_to = lang, flipped, back_to
        box = self.ids.faq_items
        box.clear_widgets()
        self.ids.answer.text = ""
        entries = app.phrasebook.faq(lang, app.settings.mode)
        for _faq_id, question, answer in entries:
            box.add_widget(wrapped_button(question, lambda btn, a=answer, q=question: self.answer(q, a)))
        if entries:
            self.answer(entries[0][1], entries[0][2])
        else:
            box.add_widget(Body(text=app.t("faq_empty", lang)))
        apply_font(self, lang)

    def answer(self, question: str, answer: str) -> None:
        self.ids.question.text = question
        self.ids.answer.text = answer

    def clear(self) -> None:
        self.ids.faq_items.clear_widgets()
        self.ids.question.text = self.ids.answer.text = ""
