"""Staff PIN entry (with lock-out) and PIN change (first run: the default 0000 must go)."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.errors import KioskError
from kiosk.pin import MAX_DIGITS, pin_problem


class PinScreen(Screen):
    mode = StringProperty("enter")  # "enter" | "new" | "confirm" | "quit" (kiosk mode: the PIN again to quit)
    digits = StringProperty("")
    message = StringProperty("")

    def on_pre_enter(self, *a):
        self.digits, self.message = "", ""
        if self.mode not in ("new", "confirm", "quit"):
            self.mode = "enter"

    def press(self, key: str) -> None:
        if key == "clear":
            self.digits = ""
        elif key == "ok":
            self.submit()
        elif len(self.digits) < MAX_DIGITS:
            self.digits += key

    def cancel(self) -> None:
        app = App.get_running_app()
        back = "admin" if self.mode == "quit" else "start" if app.settings.mode != "kiosk" else "attract"
        self.mode, self.digits, self.message = "enter", "", ""
        app.go(back)

    def ask_to_quit(self) -> None:
        """Kiosk mode: quitting the app needs the PIN again."""
        self.mode = "quit"
        App.get_running_app().go("pin")

    def submit(self) -> None:
        app = App.get_running_app()
        lang = app.staff_language
        pin, self.digits = self.digits, ""
        if self.mode in ("enter", "quit"):
            store = app.session.pin
            try:
                app.session.check_pin(pin)
            except KioskError as exc:
                if exc.code == "admin.pin_locked":
                    self.message = app.t("pin_locked", lang, seconds=store.seconds_locked())
                elif exc.code == "admin.bad_pin":
                    self.message = app.t("pin_wrong", lang, tries=store.tries_left())
                else:  # the PIN file is missing or damaged: locked until `kiosk admin reset-pin`
                    self.message = app.t("pin_unavailable", lang)
                return
            if self.mode == "quit":
                self.mode, self.message = "enter", ""
                app.exit_app()
                return
            if store.is_default():
                self.mode, self.message = "new", app.t("pin_change_default", lang)
                return
            self.message = ""
            app.go("admin")
        elif self.mode == "new":
            if pin_problem(pin) is not None:
                self.message = app.t("pin_rules", lang)
                return
            self._new = pin
            self.mode, self.message = "confirm", ""
        else:
            if pin != getattr(self, "_new", None):
                self.mode, self.message = "new", app.t("pin_mismatch", lang)
                return
            try:
                app.session.set_pin(pin)
            except KioskError:
                self.mode, self.message = "new", app.t("pin_rules", lang)
                return
            except OSError:  # the data dir cannot be written: the old PIN stays
                self.mode, self.message = "enter", app.error_text("output.write_failed", lang)
                return
            self._new = None
            self.mode, self.message = "enter", ""
            app.go("admin")

    def change_pin(self) -> None:
        """From the admin screen."""
        self.mode = "new"
        App.get_running_app().go("pin")
