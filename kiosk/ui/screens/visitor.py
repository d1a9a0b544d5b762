"""Kiosk mode (unattended): one upright screen facing the visitor, all in their language.

Talk, type or pick a phrase; the FAQ; "Take it with you"; Finish.  What the kiosk
understood is shown large, the Japanese in one small line for a staff member who may read
along; there are no staff controls here (staff reach the admin screen from the start screen).

Widgets only: what to show is ``viewmodels.visitor.visitor_view``; actions go to the app.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.ui import theme
from kiosk.ui.fonts import apply_font
from kiosk.ui.screens.common import Body, list_phrases, list_topics, wrapped_button
from kiosk.ui.screens.conversation import PttButton  # noqa: F401 - used in visitor.kv
from kiosk.ui.screens.keyboard import OnScreenKeyboard
from kiosk.ui.screens.phrase_fill import PhraseFill
from kiosk.ui.screens.takeaway import FinishQuestion  # noqa: F401 - used in visitor.kv
from kiosk.ui.viewmodels.visitor import visitor_view

SIDE = "visitor"


class VisitorPanel(BoxLayout):
    """The body of the kiosk screen: talk (card + history), phrases, or the finish question."""

    lang = StringProperty("en")
    side = StringProperty(SIDE)  # for PttButton and PhraseFill, which act for a side
    typing = BooleanProperty(False)
    mode = StringProperty("talk")  # "talk" | "phrases" | "finish"
    can_take_away = BooleanProperty(False)

    def on_kv_post(self, base_widget):
        self.entry_row = self.ids.entry_row.__self__
        self.ptt_row = self.ids.ptt_row.__self__
        self.remove_widget(self.entry_row)
        self.onscreen = OnScreenKeyboard(self.ids.entry)  # an unattended kiosk has no hardware keyboard
        self.talk = self.ids.talk.__self__
        self.phrase_scroll = self.ids.phrase_scroll.__self__
        self.finish_box = self.ids.finish_box.__self__
        self.ids.body.remove_widget(self.phrase_scroll)
        self.ids.body.remove_widget(self.finish_box)

    # ------------------------------------------------------------ what is shown
    def on_mode(self, *_):
        self._show_body()

    def _show_body(self):
        """The body shows the on-screen keyboard while typing, else the talk, the phrases or the finish question."""
        body = self.ids.body
        shown = self.onscreen if self.typing else {"talk": self.talk, "phrases": self.phrase_scroll,
                                                   "finish": self.finish_box}[self.mode]
        if shown.parent is not body:
            body.clear_widgets()
            body.add_widget(shown)
            apply_font(self, self.lang)

    def on_typing(self, *_):
        """Typing: the entry box under the header and the keyboard below it, instead of push-to-talk."""
        row, ptt_row = self.entry_row, self.ptt_row
        if self.typing and row.parent is None:
            if ptt_row.parent is not None:
                self.remove_widget(ptt_row)
            self.add_widget(row, index=len(self.children) - 1)  # just under the header
            apply_font(row, self.lang)
            self.ids.entry.focus = True
        elif not self.typing and row.parent is not None:
            self.remove_widget(row)
            self.add_widget(ptt_row, index=0)
        self._show_body()

    def show(self, model) -> None:
        app = App.get_running_app()
        view = visitor_view(model, app.t, app.error_text)
        ids = self.ids
        ids.heading.text = (theme.ICON_WARN + " " if view.status == "failed" else "") + view.heading
        ids.main.text = view.main
        ids.main.base_size = app.fs(theme.TRANSLATION)
        ids.staff_line.text = view.staff_line
        ids.warning.text = (theme.ICON_WARN + " " + view.warning) if view.warning else ""
        ids.status.text = {"translating": app.t("translating", self.lang),
                           "speaking": app.t("speaking", self.lang)}.get(view.status, "")
        self.can_take_away = view.can_take_away
        if view.suggestions != getattr(self, "_shown_suggestions", None):  # closest verified phrases, one tap each
            self._shown_suggestions = view.suggestions
            ids.suggestions.clear_widgets()
            for phrase_id, text in view.suggestions:
                ids.suggestions.add_widget(wrapped_button(text, lambda btn, p=phrase_id: self.say_phrase(p)))
        if view.history != getattr(self, "_shown_history", None):
            self._shown_history = view.history
            ids.history.clear_widgets()
            for line in view.history:
                ids.history.add_widget(Body(text=line, color=theme.MUTED))
            ids.history_scroll.scroll_y = 0
        apply_font(self, self.lang)

    # ------------------------------------------------------------ talk, type
    def start_talking(self):
        App.get_running_app().session.start_speech(SIDE)

    def stop_talking(self):
        App.get_running_app().session.stop_speech(SIDE)

    def toggle_keyboard(self):
        self.mode = "talk"
        self.typing = not self.typing
        self.ids.entry.text = ""
        if self.typing:
            self.onscreen.start(self.lang)

    def send_typed(self):
        text = self.ids.entry.text.strip()
        if text:
            App.get_running_app().session.submit_text(SIDE, text)
        self.ids.entry.text = ""
        self.typing = False

    # ------------------------------------------------------------ phrases (tourism topics first)
    def toggle_phrases(self):
        self.typing = False
        self.mode = "talk" if self.mode == "phrases" else "phrases"
        if self.mode == "phrases":
            self.show_topics()

    def show_topics(self):
        list_topics(self.ids.phrase_list, self.ids.phrase_scroll, self.lang, SIDE, "kiosk", self.width,
                    self.show_phrases)

    def show_phrases(self, topic_id):
        list_phrases(self.ids.phrase_list, self.ids.phrase_scroll, self.lang, SIDE, topic_id, self.width,
                     self.show_topics, self.say_phrase)

    def say_phrase(self, phrase_id, topic_id=None, fills=None):
        app = App.get_running_app()
        if fills is None and app.phrasebook.blanks(phrase_id, self.lang):
            box = self.ids.phrase_list
            box.clear_widgets()
            box.cols = 1
            box.add_widget(PhraseFill(phrase_id=phrase_id, lang=self.lang,
                                      on_say=lambda f: self.say_phrase(phrase_id, topic_id, f),
                                      on_back=lambda: self.show_phrases(topic_id)))
            apply_font(box, self.lang)
            return
        self.mode = "talk"
        app.session.submit_phrase(SIDE, phrase_id, fills)

    # ------------------------------------------------------------ finish
    def ask_finish(self):
        self.typing = False
        self.mode = "finish"

    def clear(self):
        self.typing = False
        self.mode = "talk"
        self.ids.entry.text = ""
        self.ids.entry.reset_undo()
        self.ids.ptt.reset()
        self.ids.history.clear_widgets()
        self.ids.suggestions.clear_widgets()
        self._shown_history = self._shown_suggestions = None
        for key in ("heading", "main", "staff_line", "warning", "status"):
            self.ids[key].text = ""


class VisitorScreen(Screen):
    def panel(self) -> VisitorPanel:
        return self.ids.panel

    def refresh(self, model):
        self.ids.panel.show(model)

    def set_level(self, level):
        self.ids.panel.ids.ptt.level = level

    def stop_listening(self):
        self.ids.panel.ids.ptt.reset()

    def show_error(self, code):
        app = App.get_running_app()
        self.ids.panel.ids.heading.text = theme.ICON_WARN + " " + app.error_text(code, self.ids.panel.lang)

    def clear(self):
        self.ids.panel.clear()
