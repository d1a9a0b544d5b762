"""Staff PIN entry (with lock-out) and PIN change (first run: the default 0000 must go)."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.errors import KioskError
from kiosk.ui.viewmodels.pin import hash_pin, is_default, valid_new_pin


class PinScreen(Screen):
    mode = StringProperty("enter")  # "enter" | "new" | "confirm"
    digits = StringProperty("")
    message = StringProperty("")

    def on_pre_enter(self, *a):
        self.digits, self.message = "", ""
        if self.mode not in ("new", "confirm"):
            self.mode = "enter"

    def press(self, key: str) -> None:
        if key == "clear":
            self.digits = ""
        elif key == "ok":
            self.submit()
        elif len(self.digits) < 8:
            self.digits += key

    def cancel(self) -> None:
        self.mode, self.digits, self.message = "enter", "", ""
        App.get_running_app().go("start" if App.get_running_app().settings.mode != "kiosk" else "attract")

    def submit(self) -> None:
        app = App.get_running_app()
        lang = app.staff_language
        pin, self.digits = self.digits, ""
        if self.mode == "enter":
            gate = app.session.pin_gate
            try:
                app.session.check_pin(pin)
            except KioskError as exc:
                if exc.code == "admin.pin_locked":
                    self.message = app.t("pin_locked", lang, seconds=gate.seconds_locked(app.clock()))
                else:
                    self.message = app.t("pin_wrong", lang, tries=gate.max_failures - gate.failures)
                return
            if is_default(app.settings.admin_pin_hash):
                self.mode, self.message = "new", app.t("pin_change_default", lang)
                return
            self.message = ""
            app.go("admin")
        elif self.mode == "new":
            if not valid_new_pin(pin):
                self.message = app.t("pin_rules", lang)
                return
            self._new = pin
            self.mode, self.message = "confirm", ""
        else:
            if pin != getattr(self, "_new", None):
                self.mode, self.message = "new", app.t("pin_mismatch", lang)
                return
            app.save_settings(app.settings.replace(admin_pin_hash=hash_pin(pin)))
            self._new = None
            self.mode, self.message = "enter", ""
            app.go("admin")

    def change_pin(self) -> None:
        """From the admin screen."""
        self.mode = "new"
        App.get_running_app().go("pin")
