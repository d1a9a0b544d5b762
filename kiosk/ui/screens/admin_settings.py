"""The staff Settings tab: rows built once from ``settings_form.ROWS``; a tap edits the draft and
updates the rows in place (no rebuild, the list stays where it was scrolled)."""

from __future__ import annotations

from kivy.app import App
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.errors import KioskError
from kiosk.languages import LANGUAGES
from kiosk.ui import theme
from kiosk.ui.screens.common import BigButton, Body, ChoiceButton
from kiosk.ui.viewmodels import admin as vm
from kiosk.ui.viewmodels import settings_form as form


class SettingsForm:
    """Builds the rows into ``box`` and keeps them in step with ``screen.draft``."""

    def __init__(self, screen):
        self.screen = screen
        self.choices: dict[str, list] = {}  # name -> [(value, button)]
        self.values: dict[str, Label] = {}
        self.toggles: dict[str, ChoiceButton] = {}

    def t(self, key, **kw):
        return self.screen.t(key, **kw)

    def _row(self, box, name, widgets):
        app = App.get_running_app()
        row = BoxLayout(size_hint_y=None, height=app.row_height(theme.TARGET, theme.SMALL), spacing=app.fs(8))
        width = min(app.fs(300), self.screen.width * 0.3)
        label = Label(text=self.t(f"set_{name}"), font_size=app.fs(theme.SMALL), text_size=(width, None),
                      size_hint_x=None, width=width, halign="left")
        row.add_widget(label)
        for w in widgets:
            row.add_widget(w)
        box.add_widget(row)
        help_text = form.help_text(name, self.t)
        if help_text:
            box.add_widget(Body(text=help_text, font_size=app.fs(theme.SMALL), color=theme.MUTED))

    def build(self, box):
        app = App.get_running_app()
        self.choices, self.values, self.toggles = {}, {}, {}
        for row in form.ROWS:
            name = row.name
            if row.kind == "choice":
                pairs = []
                for value in vm.CHOICES[name]:
                    text = LANGUAGES[value].native_name if name == "staff_language" else self.t(f"opt_{value}")
                    b = ChoiceButton(text=text, group=f"admin-{name}", allow_no_selection=False)
                    b.bind(on_release=lambda btn, n=name, v=value: self.edit(vm.choose, n, v))
                    pairs.append((value, b))
                self.choices[name] = pairs
                self._row(box, name, [b for _, b in pairs])
            elif row.kind == "languages":
                pairs = []
                for code in LANGUAGES:
                    b = ChoiceButton(text=LANGUAGES[code].native_name)
                    b.bind(on_release=lambda btn, c=code: self.edit(vm.toggle_language, c))
                    pairs.append((code, b))
                self.choices[name] = pairs
                self._row(box, name, [b for _, b in pairs])
            elif row.kind == "step":
                minus = BigButton(text="−", size_hint_x=None, width=app.fs(80))
                plus = BigButton(text="+", size_hint_x=None, width=app.fs(80))
                minus.bind(on_release=lambda btn, n=name: self.edit(form.step, n, -1))
                plus.bind(on_release=lambda btn, n=name: self.edit(form.step, n, 1))
                value = Label(font_size=app.fs(theme.BODY), bold=True)
                value.bind(size=lambda w, s: setattr(w, "text_size", (s[0], None)))
                value.halign = "center"
                self.values[name] = value
                self._row(box, name, [minus, value, plus])
            else:
                b = ChoiceButton()
                b.bind(on_release=lambda btn, n=name: self.edit(vm.toggle, n))
                self.toggles[name] = b
                self._row(box, name, [b])
        self.sync()

    def sync(self):
        """Show the draft's values on the rows that exist (no widget is created or removed)."""
        s = self.screen.draft
        for name, pairs in self.choices.items():
            for value, b in pairs:
                if name == "languages":
                    b.state = "down" if value in s.languages and value != s.staff_language else "normal"
                    b.disabled = value == s.staff_language  # the staff language is never a visitor language
                else:
                    b.state = "down" if getattr(s, name) == value else "normal"
        for name, label in self.values.items():
            label.text = form.value_text(name, getattr(s, name), self.t)
        for name, b in self.toggles.items():
            on = bool(getattr(s, name))
            b.text, b.state = (self.t("opt_on"), "down") if on else (self.t("opt_off"), "normal")

    def edit(self, fn, *args):
        status = self.screen.ids.status
        try:
            self.screen.draft = fn(self.screen.draft, *args)
        except (KioskError, ValueError):
            self.sync()
            status.text = theme.ICON_WARN + " " + self.t("invalid_setting")
            return
        self.sync()
        status.text = self.t("unsaved") if self.screen.has_unsaved() else ""
