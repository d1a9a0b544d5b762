"""The "Check this tablet" panel of the staff Packs tab: which route serves each direction,
and the quick bench run off the UI thread with progress, its table in the staff language."""

from __future__ import annotations

import logging
import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.progressbar import ProgressBar

from kiosk.bench.commands import run_bench
from kiosk.bench.engines import InstalledSpeech
from kiosk.bench.measure import Bench, Plan
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.errors import KioskError
from kiosk.ui import theme
from kiosk.ui.screens.common import BigButton, Body
from kiosk.ui.viewmodels import bench_view as vm

_LOGGER = logging.getLogger(__name__)


class BenchPanel(BoxLayout):
    """Self-contained: give it nothing; it uses the running app's settings, engines and strings."""

    def __init__(self, **kw) -> None:
        super().__init__(orientation="vertical", size_hint_y=None, spacing=8, **kw)
        self.bind(minimum_height=self.setter("height"))
        app = App.get_running_app()
        self.app = app
        self.report = None
        self.plan = None  # the bench plan (None: quick, with the start-up and memory probes)
        self.routes = Body(text="")
        self.add_widget(Body(text=self.t("bench_routes")))
        self.add_widget(self.routes)
        self.button = BigButton(text=self.t("bench_check"), size_hint=(None, None), width=app.fs(360),
                                height=app.fs(64))
        self.button.bind(on_release=lambda *_: self.start())
        self.add_widget(self.button)
        self.bar = ProgressBar(max=1, value=0, size_hint_y=None, height=app.fs(24))
        self.add_widget(self.bar)
        self.status = Body(text="")
        self.add_widget(self.status)
        self.grid = GridLayout(cols=4, size_hint_y=None, spacing=2, row_default_height=app.fs(40),
                               row_force_default=True,
                               cols_minimum={0: app.fs(330), 1: app.fs(100), 2: app.fs(230), 3: app.fs(520)})
        self.grid.bind(minimum_height=self.grid.setter("height"))
        self.add_widget(self.grid)
        self._thread(self._routes, self._show_routes)

    def t(self, key: str, **fields) -> str:
        return self.app.t(key, self.app.settings.staff_language, **fields)

    # -------------------------------------------------------------- background work
    def _thread(self, work, done) -> None:
        def run():
            try:
                result, err = work(), None
            except KioskError as exc:
                result, err = None, exc
            except Exception:  # noqa: BLE001 - a generic failure, logged without details
                _LOGGER.exception("bench panel task failed")
                result, err = None, KioskError("admin.task_failed", "Something went wrong. See the log.")
            Clock.schedule_once(lambda dt: done(result, err))

        threading.Thread(target=run, name="bench", daemon=True).start()

    def _translator(self):
        engines = self.app.engines
        if engines is not None and hasattr(engines.translator, "choice"):
            return engines.translator

        return ArgosTranslator.from_settings(self.app.settings)

    def _routes(self) -> list[str]:
        return vm.route_lines(self._translator(), self.app.settings.languages, self.t)

    def _show_routes(self, lines, err) -> None:
        self.routes.text = err.message if err is not None else "\n".join(lines) or "—"

    # -------------------------------------------------------------- the quick bench
    def start(self) -> None:
        self.button.disabled = True
        self.grid.clear_widgets()
        self.bar.value = 0
        settings, engines = self.app.settings, self.app.engines
        kw = {}
        if engines is not None:  # measure the engines the app already has loaded
            kw = {"translator": engines.translator, "tts": engines.tts,
                  "speech": InstalledSpeech(settings, engines.stt)}
        bench = Bench(settings, plan=self.plan or Plan.make(quick=True), **kw)
        self._thread(lambda: run_bench(settings, quick=True, quality=False, progress=self._progress, bench=bench),
                     self.show_report)

    def _progress(self, done: int, total: int, step: str) -> None:
        Clock.schedule_once(lambda dt: self._set_progress(done, total, step))

    def _set_progress(self, done: int, total: int, step: str) -> None:
        self.bar.value = done / total if total else 0
        self.status.text = vm.progress_text(step, self.t)

    def show_report(self, report, err) -> None:
        self.button.disabled = False
        if err is not None:
            self.status.text = theme.ICON_WARN + " " + err.message
            return
        self.report = report
        self.bar.value = 1
        self.status.text = vm.summary(report, self.t)
        size = self.app.fs(theme.SMALL)
        for row in vm.table(report, self.t):
            for cell in row:
                lbl = Label(text=cell, font_size=size, shorten=True, shorten_from="right", halign="left",
                            valign="middle")
                lbl.bind(size=lambda w, s: setattr(w, "text_size", s))
                self.grid.add_widget(lbl)
