"""Staff screen: settings, language packs, statistics (behind the PIN)."""

from __future__ import annotations

import io
import logging
import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.progressbar import ProgressBar
from kivy.uix.screenmanager import Screen
from kivy.uix.textinput import TextInput

from kiosk.errors import KioskError
from kiosk.languages import LANGUAGES
from kiosk.ui import theme
from kiosk.ui.screens.common import BigButton, Body, ChoiceButton
from kiosk.ui.viewmodels import admin as vm

_LOGGER = logging.getLogger(__name__)


class AdminScreen(Screen):
    tab = StringProperty("settings")
    stats_summary = ObjectProperty(None)  # () -> kiosk.stats Summary | None, blocking (the session's stats_summary)

    def on_pre_enter(self, *a):
        self.draft = App.get_running_app().settings
        self.show(self.tab)

    def on_size(self, *a):
        if self.tab == "settings" and hasattr(self, "draft"):
            self.show("settings")

    def show(self, tab: str) -> None:
        self.tab = tab
        box = self.ids.content
        box.clear_widgets()
        {"settings": self._settings, "packs": self._packs, "stats": self._stats}[tab](box)
        self.ids.scroll.scroll_y = 1

    def t(self, key, **kw):
        app = App.get_running_app()
        return app.t(key, app.staff_language, **kw)

    # ------------------------------------------------------------ settings
    def _row(self, box, label, widgets):
        app = App.get_running_app()
        row = BoxLayout(size_hint_y=None, height=app.fs(theme.TARGET), spacing=app.fs(8))
        width = min(app.fs(300), self.width * 0.28)
        row.add_widget(Label(text=label, font_size=app.fs(theme.SMALL), text_size=(width, None),
                             size_hint_x=None, width=width, halign="left"))
        for w in widgets:
            row.add_widget(w)
        box.add_widget(row)

    def _settings(self, box):
        app, s = App.get_running_app(), self.draft
        for name, values in vm.CHOICES.items():
            buttons = []
            for value in values:
                text = LANGUAGES[value].native_name if name == "staff_language" else self.t(f"opt_{value}")
                b = ChoiceButton(text=text, group=f"admin-{name}", state="down" if getattr(s, name) == value else "normal",
                                 allow_no_selection=False)
                b.bind(on_release=lambda btn, n=name, v=value: self._edit(vm.choose, n, v))
                buttons.append(b)
            self._row(box, self.t(f"set_{name}"), buttons)
        langs = []
        for code in LANGUAGES:
            b = ChoiceButton(text=LANGUAGES[code].native_name, state="down" if code in s.languages else "normal")
            b.bind(on_release=lambda btn, c=code: self._edit(vm.toggle_language, c))
            langs.append(b)
        self._row(box, self.t("set_languages"), langs)
        for name in vm.STEPS:
            minus, plus = BigButton(text="−", size_hint_x=None, width=app.fs(80)), BigButton(text="+", size_hint_x=None, width=app.fs(80))
            minus.bind(on_release=lambda btn, n=name: self._edit(vm.step, n, -1))
            plus.bind(on_release=lambda btn, n=name: self._edit(vm.step, n, 1))
            value = Label(text=str(getattr(s, name)), font_size=app.fs(theme.BODY), bold=True)
            self._row(box, self.t(f"set_{name}"), [minus, value, plus])
        for name in ("fullscreen", "easy_japanese"):
            on = getattr(s, name)
            b = ChoiceButton(text=self.t("opt_on") if on else self.t("opt_off"), state="down" if on else "normal")
            b.bind(on_release=lambda btn, n=name: self._edit(vm.toggle, n))
            self._row(box, self.t(f"set_{name}"), [b])
        self.ids.status.text = ""

    def _edit(self, fn, *args):
        try:
            self.draft = fn(self.draft, *args)
        except (KioskError, ValueError):
            self.ids.status.text = theme.ICON_WARN + " " + self.t("invalid_setting")
            return
        self.show("settings")
        self.ids.status.text = self.t("unsaved")

    def save(self):
        app = App.get_running_app()
        app.save_settings(self.draft)
        self.show("settings")
        self.ids.status.text = theme.ICON_OK + " " + self.t("saved")

    # ------------------------------------------------------------ packs
    def _packs(self, box):
        """The coverage matrix is computed off the UI thread (it reads pack folders and asks espeak-ng)."""
        app = App.get_running_app()
        box.add_widget(Body(text=self.t("working")))

        tts = app.engines.tts if app.engines is not None else None
        self._background(lambda: vm.pack_overview(app.settings, tts), lambda result, err: self._show_packs(box, result, err))

    def _show_packs(self, box, result, err):
        if self.tab != "packs":
            return
        box.clear_widgets()
        if err is not None:
            box.add_widget(Body(text=theme.ICON_WARN + " " + err.message))
            return
        from kiosk.packs.coverage import DIRECT, MISSING

        app = App.get_running_app()
        installed, cov = result
        grid = GridLayout(cols=len(cov.languages) + 1, size_hint_y=None, spacing=2,
                          row_default_height=app.fs(48), row_force_default=True)
        grid.bind(minimum_height=grid.setter("height"))
        grid.add_widget(Label(text=self.t("from_to"), font_size=app.fs(theme.SMALL)))
        for b in cov.languages:
            grid.add_widget(Label(text=LANGUAGES[b].native_name, font_size=app.fs(theme.SMALL), bold=True))
        for a in cov.languages:
            grid.add_widget(Label(text=LANGUAGES[a].native_name, font_size=app.fs(theme.SMALL), bold=True))
            for b in cov.languages:
                how = "" if a == b else cov.route(a, b)
                text = {"": "—", DIRECT: "● " + self.t("direct"), MISSING: "× " + self.t("missing")}.get(how, "◐ " + self.t("via_english"))
                grid.add_widget(Label(text=text, font_size=app.fs(theme.SMALL)))
        for key, have in (("speech_in", lambda c: bool(cov.stt.get(c))), ("speech_out", lambda c: bool(cov.tts.get(c)))):
            grid.add_widget(Label(text=self.t(key), font_size=app.fs(theme.SMALL), bold=True))
            for c in cov.languages:
                grid.add_widget(Label(text=("● " + self.t("present")) if have(c) else ("× " + self.t("missing")),
                                      font_size=app.fs(theme.SMALL)))
        box.add_widget(Body(text=self.t("coverage")))
        box.add_widget(grid)
        box.add_widget(Body(text=self.t("installed_packs", n=len(installed))))
        for pack in installed:
            rm = BigButton(text=self.t("remove"), size_hint_x=None, width=app.fs(180), disabled=pack.system)
            rm.bind(on_release=lambda btn, p=pack.id: self._remove(p))
            self._row(box, pack.id, [Label(text=pack.kind, font_size=app.fs(theme.SMALL)), rm])
        self.path_input = TextInput(hint_text=self.t("pack_folder"), multiline=False, font_size=app.fs(theme.SMALL))
        install = BigButton(text=self.t("install"), size_hint_x=None, width=app.fs(180))
        install.bind(on_release=lambda *_: self._install(self.path_input.text.strip()))
        verify = BigButton(text=self.t("verify"), size_hint_x=None, width=app.fs(180))
        verify.bind(on_release=lambda *_: self._verify())
        self._row(box, self.t("install_from"), [self.path_input, install, verify])
        self.progress = ProgressBar(max=1, value=0, size_hint_y=None, height=app.fs(24))
        box.add_widget(self.progress)
        from kiosk.ui.screens.bench_panel import BenchPanel

        box.add_widget(BenchPanel())  # routes per direction, "Check this tablet"

    def _background(self, work, done):
        """Run pack work off the UI thread; progress and the result come back via Clock."""
        def run():
            try:
                result, err = work(), None
            except KioskError as exc:
                result, err = None, exc
            except Exception:  # noqa: BLE001 - shown as a generic failure, logged without details
                _LOGGER.exception("admin background task failed")
                result, err = None, KioskError("admin.task_failed", "Something went wrong. See the log.")
            Clock.schedule_once(lambda dt: done(result, err))
        threading.Thread(target=run, name="packs", daemon=True).start()

    def _progress(self, done_bytes, total, label):
        Clock.schedule_once(lambda dt: setattr(self.progress, "value", done_bytes / total if total else 0))

    def _install(self, path):
        if not path:
            return
        from kiosk.packs.install import Installer

        app = App.get_running_app()
        self.ids.status.text = self.t("working")

        def done(results, err):
            failed = [r for r in (results or []) if not r.ok] if err is None else [err]
            self.show("packs")
            self.ids.status.text = (theme.ICON_WARN + " " + (getattr(failed[0], "message", "") or "")) if failed else theme.ICON_OK + " " + self.t("done")
        self._background(lambda: Installer(app.settings).install([path], progress=self._progress), done)

    def _verify(self):
        from kiosk.packs.manage import verify_installed

        app = App.get_running_app()
        self.ids.status.text = self.t("working")

        def done(results, err):
            bad = [r for r in (results or []) if not getattr(r, "ok", True)]
            self.ids.status.text = (theme.ICON_WARN + " " + self.t("verify_failed", n=len(bad))) if (bad or err) else theme.ICON_OK + " " + self.t("done")
        self._background(lambda: verify_installed(app.settings, progress=self._progress), done)

    def _remove(self, pack_id):
        from kiosk.packs.manage import remove_pack

        app = App.get_running_app()
        self._background(lambda: remove_pack(app.settings, pack_id),
                         lambda r, err: (self.show("packs"), setattr(self.ids.status, "text",
                                         theme.ICON_WARN + " " + err.message if err else theme.ICON_OK + " " + self.t("done"))))

    # ------------------------------------------------------------ statistics
    def _stats(self, box):
        """Summary and charts are built off the UI thread (matplotlib, database)."""
        app = App.get_running_app()
        box.add_widget(Body(text=self.t("working")))
        summary, settings, lang = self.stats_summary, app.settings, app.staff_language
        self._background(lambda: _stats_pages(summary(), settings, lang),
                         lambda result, err: self._show_stats(box, result, err))

    def _show_stats(self, box, result, err):
        if self.tab != "stats":
            return
        box.clear_widgets()
        if err is not None or result is None:
            box.add_widget(Body(text=self.t("stats_none") if err is None else theme.ICON_WARN + " " + err.message))
            return
        from kivy.core.image import Image as CoreImage
        from kivy.uix.image import Image

        app = App.get_running_app()
        overview, pngs = result
        box.add_widget(Body(text=overview.title, bold=True))
        grid = GridLayout(cols=len(overview.headers), size_hint_y=None, row_default_height=app.fs(40),
                          row_force_default=True, spacing=2)
        grid.bind(minimum_height=grid.setter("height"))
        from kiosk.stats.tables import cell

        for row in (overview.headers, *overview.rows):
            for i, value in enumerate(row):
                grid.add_widget(Label(text=str(value) if row is overview.headers else cell(value),
                                      font_size=app.fs(theme.SMALL), bold=row is overview.headers,
                                      halign="left" if i == 0 else "right", text_size=(app.fs(400), None)))
        box.add_widget(grid)
        for name, png in pngs.items():
            img = Image(size_hint_y=None, height=app.fs(420), fit_mode="contain")
            img.texture = CoreImage(io.BytesIO(png), ext="png").texture
            box.add_widget(img)


def _stats_pages(summary, settings, lang):
    """(overview Table, {name: PNG}) in the staff language ``lang``, or None when there is nothing to show yet."""
    if summary is None:
        return None
    from kiosk.stats.charts import render_all
    from kiosk.stats.tables import tables

    pngs = render_all(summary, suppress_below=settings.stats_suppress_below, lang=lang)
    return tables(summary, lang)["overview"], pngs
