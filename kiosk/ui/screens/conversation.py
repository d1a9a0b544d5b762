"""The face-to-face (or side-by-side) conversation screen: one half per person.

Widgets only: what to show, down to the words, comes from ``ConversationModel.panel(side, words)``; what to do
is asked of the app and its session controller (``kiosk.session``)."""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView
from kivy.utils import escape_markup

from kiosk.ui import theme
from kiosk.ui.fonts import apply_font
from kiosk.ui.screens.common import BigButton, Body, fit_buttons, list_phrases, list_topics
from kiosk.ui.screens.keyboard import OnScreenKeyboard
from kiosk.ui.screens.phrase_fill import PhraseFill
from kiosk.ui.screens.takeaway import FinishQuestion
from kiosk.ui.viewmodels.conversation import NBSP, Words, error_for, error_key
from kiosk.ui.viewmodels.layout import LINE, split_card
from kiosk.ui.viewmodels.ptt import PushToTalk
from kiosk.ui.viewmodels.takeaway import takeaway_lines


class PttButton(Button):
    """Push-to-talk: hold or tap (Settings.ptt_mode); shows the live level as a bar."""

    level = NumericProperty(0.0)
    listening = BooleanProperty(False)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.ptt = PushToTalk()

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos) or self.disabled:
            return False
        app = App.get_running_app()
        touch.grab(self)
        if not app.has_microphone:  # no microphone: this button opens the keyboard (it says so), on release
            return True
        self.ptt.mode = app.settings.ptt_mode
        self._act(self.ptt.press(app.clock()))
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        if not App.get_running_app().has_microphone:
            if not self.half.typing:
                self.half.toggle_keyboard()
            return True
        self._act(self.ptt.release(App.get_running_app().clock()))
        return True

    def _act(self, action):
        half = self.half
        if action == "start":
            self.listening = True
            half.start_talking()
        elif action == "stop":
            self.listening = False
            half.stop_talking()

    def reset(self):
        self.ptt.reset()
        self.listening = False
        self.level = 0.0


class ConversationHalf(BoxLayout):
    side = StringProperty("staff")
    lang = StringProperty("ja")
    typing = BooleanProperty(False)
    browsing = BooleanProperty(False)
    role = StringProperty("idle")
    turn_id = StringProperty("")
    header_note = StringProperty("")  # "Phrasebook only" beside the language name

    def on_kv_post(self, base_widget):
        self.phrase_scroll = ScrollView(do_scroll_x=False, bar_width=8)
        self.phrase_list = GridLayout(cols=1, size_hint_y=None, spacing=8)
        self.phrase_list.bind(minimum_height=self.phrase_list.setter("height"))
        self.phrase_scroll.add_widget(self.phrase_list)
        # ids are weak references: keep the widgets that come and go alive
        self.entry_row, self.entry, self.talk = (self.ids[k].__self__ for k in ("entry_row", "entry", "talk"))
        self.warning_row = self.ids.warning_row.__self__
        self.ptt_row = self.ids.ptt_row.__self__
        self.remove_widget(self.entry_row)
        self.ids.card.remove_widget(self.warning_row)
        self.ids.card.bind(size=lambda *_: self.fit_card())  # at once: an overflowing text box would take touches
        self._refit = Clock.create_trigger(lambda dt: self.fit_card())  # again once the new rows are laid out
        self.ids.warning.bind(width=self._refit)
        self._fit_buttons_later = Clock.create_trigger(lambda dt: self.fit_buttons())
        for w in (self.ids.keyboard, self.ids.phrasebook, self.ids.faq, self.ids.finish):
            w.bind(width=self._fit_buttons_later, text=self._fit_buttons_later)
        App.get_running_app().bind(text_scale=self._fit_buttons_later)
        self.onscreen = OnScreenKeyboard(self.entry)  # touch-only tablets: no hardware keyboard needed
        self.suggest_scroll = ScrollView(do_scroll_x=False, bar_width=8, size_hint_y=None, height=0)
        self.suggest_list = GridLayout(cols=1, size_hint_y=None, spacing=dp(6))
        self.suggest_list.bind(minimum_height=self.suggest_list.setter("height"))
        self.suggest_scroll.add_widget(self.suggest_list)
        self._shown_suggestions = None

    def fit_buttons(self):
        """Header and answer buttons: every word on screen, smaller font rather than "…" (narrow halves)."""
        app, ids = App.get_running_app(), self.ids
        fit_buttons([ids.keyboard, ids.phrasebook, ids.faq, ids.finish], app.fs(theme.SMALL), dp(theme.SMALL))
        fit_buttons([b for b in ids.actions.children if isinstance(b, Button)], app.fs(theme.SMALL), dp(theme.SMALL))

    def on_typing(self, *_):
        """Typing: the entry box under the header and the keyboard below it, instead of push-to-talk."""
        row, ptt_row = self.entry_row, self.ptt_row
        if self.typing and row.parent is None:
            if ptt_row.parent is not None:
                self.remove_widget(ptt_row)
            self.add_widget(row, index=1)
            apply_font(row, self.lang)
        elif not self.typing and row.parent is not None:
            self.remove_widget(row)
            self.add_widget(ptt_row, index=0)
        self._show_body()

    def on_browsing(self, *_):
        self._show_body()

    def _show_body(self):
        """The body shows the on-screen keyboard while typing, the phrasebook while browsing, else the talk."""
        body = self.ids.body
        shown = self.onscreen if self.typing else self.phrase_scroll if self.browsing else self.talk
        if shown.parent is not body:
            body.clear_widgets()
            body.add_widget(shown)

    # ------------------------------------------------------------ actions
    def start_talking(self):
        App.get_running_app().session.start_speech(self.side)

    def stop_talking(self):
        App.get_running_app().session.stop_speech(self.side)

    def toggle_keyboard(self, text=""):
        self.typing = not self.typing
        self.browsing = False
        self.entry.text = text if self.typing else ""
        if self.typing:
            self.onscreen.start(self.lang, self.entry.text)
            self.entry.focus = True

    def send_typed(self):
        text = self.entry.text.strip()
        if text:
            App.get_running_app().session.submit_text(self.side, text)
        self.entry.text = ""
        self.entry.focus = False
        self.typing = False

    def edit(self):
        text = App.get_running_app().edit_turn(self.turn_id)
        self.typing = False
        self.toggle_keyboard(text)

    def feedback(self, outcome):
        App.get_running_app().feedback(self.turn_id, outcome)

    def toggle_phrasebook(self):
        self.browsing = not self.browsing
        self.typing = False
        if self.browsing:
            self.show_topics()

    def show_topics(self):
        app = App.get_running_app()
        list_topics(self.phrase_list, self.phrase_scroll, self.lang, self.side, app.settings.mode, self.width,
                    self.show_phrases)

    def show_phrases(self, topic_id):
        list_phrases(self.phrase_list, self.phrase_scroll, self.lang, self.side, topic_id, self.width,
                     self.show_topics, self.say_phrase)

    def say_phrase(self, phrase_id, topic_id=None, fills=None):
        app = App.get_running_app()
        if fills is None and app.phrasebook.blanks(phrase_id, self.lang):
            self.fill_phrase(phrase_id, topic_id)
            return
        self.browsing = False
        app.session.submit_phrase(self.side, phrase_id, fills)

    def ask_finish(self):
        """Finish on the visitor's half: "End the conversation?" in their language, with "Take it with you"."""
        app = App.get_running_app()
        self.typing = self.browsing = False
        body = self.ids.body
        body.clear_widgets()
        body.add_widget(FinishQuestion(lang=self.lang, flipped=app.layout == "face_to_face",
                                       can_take_away=bool(takeaway_lines(app.model)), keep_action=self.on_browsing))
        apply_font(body, self.lang)

    def fill_phrase(self, phrase_id, topic_id):
        """A phrase with blanks: fields to fill in, then say it."""
        box = self.phrase_list
        box.clear_widgets()
        box.cols = 1
        box.add_widget(PhraseFill(phrase_id=phrase_id, lang=self.lang,
                                  on_say=lambda fills: self.say_phrase(phrase_id, topic_id, fills),
                                  on_back=lambda: self.show_phrases(topic_id) if topic_id else self.show_topics()))
        apply_font(box, self.lang)
        self.phrase_scroll.scroll_y = 1

    # ------------------------------------------------------------ display
    def words(self) -> Words:
        """This half's language for the view model: strings, failure texts, glossary cards."""
        app = App.get_running_app()
        lang, other_lang = self.lang, app.model.language("visitor" if self.side == "staff" else "staff")
        side = self.side
        return Words(t=lambda key, **kw: app.t(key, lang, **kw),
                     error=lambda code: app.t(error_key(code, side) if error_key(code, side) in app.strings.table
                                              else "error_generic", lang),
                     glossary=lambda ids: app.phrasebook.glossary_lines(ids, lang, other_lang))

    def show(self, panel):
        """Show one ``Panel`` from the view model (its words come from ``panel.text``)."""
        app = App.get_running_app()
        t = lambda key, **kw: app.t(key, self.lang, **kw)  # noqa: E731
        self.role, self.turn_id = panel.role, panel.turn_id
        ids, text = self.ids, panel.text
        ids.ptt.level = panel.level if panel.role == "speaker" and panel.status == "listening" else 0.0
        ids.status.text, self.header_note = text.status, text.header_note
        ids.heading.text, ids.sub_heading.text, ids.sub.text = text.heading, text.sub_heading, text.sub
        ids.main.text = text.main
        listener = panel.role == "listener"
        ids.main.base_size = app.fs(theme.TRANSLATION if listener else theme.BODY + 4)
        ids.main.min_size = app.fs(theme.BODY) * 1.2 if listener else app.fs(theme.SMALL)  # larger than body text
        ids.warning.text = text.warning
        card, row = ids.card, self.warning_row
        if text.warning and row.parent is None:
            card.add_widget(row, index=len(card.children))  # on top of the card
        elif not text.warning and row.parent is not None:
            card.remove_widget(row)
        self._suggestions(panel)
        self._actions(panel, t)
        self._history(panel, t)
        apply_font(self, self.lang)
        self.fit_card()
        self._refit()

    def fit_card(self):
        """The translation first: the glossary / back-translation (or the closest phrases) get what is left."""
        app = App.get_running_app()
        ids = self.ids
        card, main, sub_heading = ids.card, ids.main, ids.sub_heading
        sub = self.suggest_scroll if self.suggest_scroll.parent is not None else ids.sub
        if self.warning_row.parent is not None:  # at most 40 % of the card: its words shrink rather than overflow
            label, size = ids.warning, app.fs(theme.SMALL)
            while True:
                label.font_size = size
                label.texture_update()
                if label.texture_size[1] + dp(8) <= card.height * 0.4 or size <= dp(16):
                    break
                size = max(dp(16), size * 0.9)
        flexible = (main, ids.sub, sub_heading, self.suggest_scroll)
        fixed = sum(c.height for c in card.children if c not in flexible)
        available = card.height - card.padding[1] - card.padding[3] - card.spacing * (len(card.children) - 1) - fixed
        head = app.row_height(0, theme.SMALL, 0) if sub_heading.text else 0.0
        if sub is self.suggest_scroll:  # the main text is the sentence, small: the phrases get the room
            sub_needed, sub_min = self.suggest_list.height + head, head + dp(48)  # one touch target at least
        else:
            sub_needed = sub.needed(sub.min_size) + head if sub.text else 0.0
            sub_min = head + sub.min_size * LINE
        main_needed = main.needed(main.min_size) if sub is not self.suggest_scroll else main.min_size * LINE
        main_h, sub_h = split_card(available, main_needed, sub_needed, sub_min)
        main.height = max(0.0, main_h)
        sub_heading.height, sub_heading.opacity = (head, 1) if sub_h else (0, 0)
        sub.height, sub.opacity = (max(0.0, sub_h - head), 1) if sub_h else (0, 0)
        if sub is not ids.sub:
            ids.sub.height, ids.sub.opacity = 0, 0

    def _suggestions(self, panel):
        """Untranslated: the closest verified phrases, each in both languages, one tap says it."""
        if panel.suggestions == self._shown_suggestions:
            return
        self._shown_suggestions = panel.suggestions
        app, box, scroll, card = App.get_running_app(), self.suggest_list, self.suggest_scroll, self.ids.card
        box.clear_widgets()
        for s in panel.suggestions:
            small = int(app.fs(theme.SMALL))
            b = BigButton(text=f"{escape_markup(s.mine)}\n[size={small}]{escape_markup(s.theirs)}[/size]",
                          markup=True, shorten=False, halign="left")
            b.bind(texture_size=lambda btn, ts: (setattr(btn, "height", max(app.fs(theme.TARGET), ts[1] + dp(16))),
                                                 self._refit()))
            b.phrase_id = s.phrase_id
            b.bind(on_release=lambda btn: self.say_phrase(btn.phrase_id))
            box.add_widget(b)
        if panel.suggestions and scroll.parent is None:
            card.add_widget(scroll, index=card.children.index(self.ids.sub))  # just under "Closest phrases"
        elif not panel.suggestions and scroll.parent is not None:
            card.remove_widget(scroll)
        apply_font(box, self.lang)

    def _actions(self, panel, t):
        box = self.ids.actions
        box.clear_widgets()
        if panel.can_feedback:
            for key, outcome in (("understood", "understood"), ("say_again", "say_again")):
                b = BigButton(text=(theme.ICON_OK + NBSP if outcome == "understood" else "") + t(key), shorten=False,
                              font_size=App.get_running_app().fs(theme.SMALL))
                b.size_hint_y = 1  # as tall as the push-to-talk row (after init: the kv rule sets a height)
                b.outcome = outcome
                b.bind(on_release=lambda btn: self.feedback(btn.outcome))
                b.bind(width=self._fit_buttons_later)
                box.add_widget(b)
        elif panel.role == "listener" and panel.feedback:
            box.add_widget(Body(text=theme.ICON_OK + " " + t("thanks")))
        if panel.role == "speaker":
            if panel.feedback:
                key = "they_understood" if panel.feedback == "understood" else "they_ask_again"
                box.add_widget(Body(text=(theme.ICON_OK if panel.feedback == "understood" else "？") + " " + t(key)))
            if panel.can_edit:
                b = BigButton(text=t("edit"), size_hint_x=None, width=App.get_running_app().fs(200))
                b.size_hint_y = 1  # as tall as the push-to-talk row
                b.bind(on_release=lambda *_: self.edit())
                box.add_widget(b)

    def _history(self, panel, t):
        if panel.history == getattr(self, "_shown_history", None):
            return  # partial-text updates come several times a second: keep the list as it is
        self._shown_history = panel.history
        box = self.ids.history
        box.clear_widgets()
        for line in panel.history:
            prefix = t("history_me") if line.mine else t("history_them")
            mark = f" ({t('not_translated')})" if line.untranslated else "" if line.sure else " " + theme.ICON_WARN
            box.add_widget(Body(text=f"{prefix}: {line.text}{mark}", color=theme.MUTED if line.mine else theme.TEXT))
        self.ids.history_scroll.scroll_y = 0

    def clear(self):
        self.typing = self.browsing = False
        self.on_browsing()  # back to the talk view (also from the finish question)
        self.entry.text = ""
        self.entry.reset_undo()  # the undo history holds what was typed
        self.ids.ptt.reset()
        self.ids.history.clear_widgets()
        self._shown_history = None
        for key in ("heading", "main", "sub_heading", "sub", "warning", "status"):
            self.ids[key].text = ""
        if self.warning_row.parent is not None:
            self.ids.card.remove_widget(self.warning_row)
        self.ids.actions.clear_widgets()
        self.suggest_list.clear_widgets()
        if self.suggest_scroll.parent is not None:
            self.ids.card.remove_widget(self.suggest_scroll)
        self._shown_suggestions, self.header_note = None, ""


class ConversationScreen(Screen):
    def halves(self):
        return {"staff": self.ids.staff_half, "visitor": self.ids.visitor_half}

    def refresh(self, model):
        for side, half in self.halves().items():
            half.show(model.panel(side, half.words()))

    def show_error(self, code):
        """An action failed: each half is told what is its business (``error_for``), in its language."""
        app = App.get_running_app()
        for side, half in self.halves().items():
            shown = error_for(side, code)
            if shown:
                key = error_key(shown, side)
                half.ids.heading.text = theme.ICON_WARN + " " + app.t(
                    key if key in app.strings.table else "error_generic", half.lang)

    def set_level(self, side, level):
        self.halves()[side].ids.ptt.level = level

    def stop_listening(self, side):
        """The turn of ``side`` is over: its push-to-talk button goes back to rest."""
        self.halves()[side].ids.ptt.reset()

    def clear(self):
        for half in self.halves().values():
            half.clear()
