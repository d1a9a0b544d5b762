"""Staff screen: settings, language packs, statistics (behind the PIN)."""

from __future__ import annotations

import io
import logging
import os
import threading
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.image import Image as CoreImage
from kivy.metrics import dp
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.boxlayout import BoxLayout as Box
from kivy.uix.filechooser import FileChooserListView
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.progressbar import ProgressBar
from kivy.uix.screenmanager import Screen

from kiosk.errors import KioskError
from kiosk.languages import LANGUAGES
from kiosk.packs.coverage import DIRECT, MISSING
from kiosk.packs.install import Installer
from kiosk.packs.manage import remove_pack, verify_installed
from kiosk.stats.charts import render_all
from kiosk.stats.tables import cell, tables
from kiosk.ui import theme
from kiosk.ui.screens.admin_settings import SettingsForm
from kiosk.ui.screens.bench_panel import BenchPanel
from kiosk.ui.screens.common import BigButton, Body, ChoiceButton, ask, fit_buttons
from kiosk.ui.viewmodels import admin as vm
from kiosk.ui.viewmodels.settings_form import unsaved as form_unsaved

_LOGGER = logging.getLogger(__name__)


class AdminScreen(Screen):
    tab = StringProperty("settings")
    stats_summary = ObjectProperty(None)  # () -> kiosk.stats Summary | None, blocking (the session's stats_summary)

    def on_pre_enter(self, *a):
        self.draft = App.get_running_app().settings
        self.show(self.tab)

    def on_size(self, *a):
        if self.tab == "settings" and hasattr(self, "draft"):
            scroll = self.ids.scroll.scroll_y
            self.show("settings")
            self.ids.scroll.scroll_y = scroll  # a rotation keeps the place in the list

    def show(self, tab: str) -> None:
        if tab != self.tab:
            self.ids.status.text = self._message = ""  # a message belongs to the tab it came from
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
        row = BoxLayout(size_hint_y=None, height=app.row_height(theme.TARGET, theme.SMALL), spacing=app.fs(8))
        width = min(app.fs(300), self.width * 0.28)
        row.add_widget(Label(text=label, font_size=app.fs(theme.SMALL), text_size=(width, None),
                             size_hint_x=None, width=width, halign="left"))
        for w in widgets:
            row.add_widget(w)
        box.add_widget(row)

    def _settings(self, box):
        self.form = SettingsForm(self)
        self.form.build(box)
        self.ids.status.text = self.t("unsaved") if self.has_unsaved() else ""

    def has_unsaved(self) -> bool:
        return hasattr(self, "draft") and form_unsaved(self.draft, App.get_running_app().settings)

    def save(self):
        app = App.get_running_app()
        app.save_settings(self.draft)
        self.show("settings")
        self.ids.status.text = theme.ICON_OK + " " + self.t("saved")

    def close(self):
        """Back to the visitors' screens; unsaved changes are asked about first."""
        app = App.get_running_app()

        def leave():
            self.draft = app.settings
            app.go("attract" if app.mode == "kiosk" else "start")

        if not self.has_unsaved():
            leave()
            return
        self.dialog = ask(self.t("unsaved_question"), [
            ("save", theme.ICON_OK + " " + self.t("save"), lambda: (self.save(), leave())),
            ("discard", self.t("discard"), leave),
            ("cancel", self.t("cancel"), lambda: None)])

    def quit(self):
        """Quit asks first; in kiosk mode the PIN is asked again (the screen may have been left open)."""
        app = App.get_running_app()
        if app.settings.mode == "kiosk":
            app.screen("pin").ask_to_quit()
            return
        self.dialog = ask(self.t("quit_question"), [
            ("quit", self.t("yes_quit"), app.exit_app), ("cancel", self.t("cancel"), lambda: None)])

    # ------------------------------------------------------------ packs
    def _packs(self, box):
        """The coverage matrix is computed off the UI thread (it reads pack folders and asks espeak-ng)."""
        app = App.get_running_app()
        box.add_widget(Body(text=self.t("working")))

        tts = app.engines.tts if app.engines is not None else None
        self._background(
            lambda: vm.pack_overview(app.settings, tts), lambda result, err: self._show_packs(box, result, err)
        )

    def _show_packs(self, box, result, err):
        if self.tab != "packs":
            return
        box.clear_widgets()
        if err is not None:
            box.add_widget(Body(text=theme.ICON_WARN + " " + err.message))
            return

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
                text = {"": "—", DIRECT: "● " + self.t("direct"), MISSING: "× " + self.t("missing")}.get(
                    how, "◐ " + self.t("via_english")
                )
                grid.add_widget(Label(text=text, font_size=app.fs(theme.SMALL)))
        for key, have in (
            ("speech_in", lambda c: bool(cov.stt.get(c))),
            ("speech_out", lambda c: bool(cov.tts.get(c))),
        ):
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
        self._install_section(box)

    # ------------------------------------------------------------ install from a USB stick
    def _install_section(self, box):
        """Pick a mounted stick or disk (no typing on a touchscreen), optionally a folder inside it."""
        app = App.get_running_app()
        box.add_widget(Body(text=self.t("choose_folder"), bold=True))
        mounts = self.find_mounts()
        if not mounts:
            box.add_widget(Body(text=self.t("no_media")))
        for path in mounts:
            b = ChoiceButton(text=str(path), group="admin-media", state="down" if path == self.chosen else "normal")
            b.bind(on_release=lambda btn, p=path: self.choose_folder(p))
            box.add_widget(b)
        self.chosen_label = Body(text=self.t("chosen_folder", path=self.chosen) if self.chosen else "")
        box.add_widget(self.chosen_label)
        row = GridLayout(cols=4 if self.width > app.fs(900) else 2, size_hint_y=None, spacing=app.fs(8))
        row.bind(minimum_height=row.setter("height"))
        for key, action in (("refresh", lambda *_: self.show("packs")), ("browse", lambda *_: self.browse()),
                            ("install", lambda *_: self._install(str(self.chosen) if self.chosen else "")),
                            ("verify", lambda *_: self._verify())):
            b = BigButton(text=self.t(key), shorten=False, height=app.row_height(theme.TARGET, theme.BODY))
            b.disabled = key in ("install", "browse") and self.chosen is None
            b.bind(on_release=action)
            row.add_widget(b)
        fit = Clock.create_trigger(lambda dt: fit_buttons(row.children, app.fs(theme.BODY), dp(theme.SMALL)))
        for b in row.children:
            b.bind(width=fit)
        box.add_widget(row)
        self.message = Body(text=getattr(self, "_message", ""), color=theme.WARN_TEXT)
        box.add_widget(self.message)
        self.progress = ProgressBar(max=1, value=0, size_hint_y=None, height=app.fs(24))
        box.add_widget(self.progress)

        box.add_widget(BenchPanel())  # routes per direction, "Check this tablet"

    chosen = None  # the folder packs are installed from
    mount_roots = vm.MEDIA_ROOTS

    def find_mounts(self):
        try:
            with open("/proc/mounts", encoding="utf-8") as f:
                mounts_text = f.read()
        except OSError:
            mounts_text = ""
        return vm.removable_mounts(self.mount_roots, mounts_text)

    def choose_folder(self, path):
        self.chosen = path
        self.show("packs")

    def browse(self):
        """A folder chooser inside the chosen stick (Kivy's FileChooser, folders only)."""
        app = App.get_running_app()
        view = ModalView(size_hint=(0.9, 0.9), auto_dismiss=False)
        box = Box(orientation="vertical", spacing=app.fs(8), padding=app.fs(8))
        chooser = FileChooserListView(path=str(self.chosen), rootpath=str(self.chosen), dirselect=True,
                                      filters=[lambda folder, name: os.path.isdir(os.path.join(folder, name))])
        row = Box(size_hint_y=None, height=app.row_height(theme.TARGET, theme.BODY), spacing=app.fs(8))
        ok = BigButton(text=theme.ICON_OK + " " + self.t("choose_folder"), shorten=False)
        cancel = BigButton(text=self.t("cancel"))
        for b in (ok, cancel):
            b.size_hint_y = 1
            row.add_widget(b)

        def pick(*_):
            view.dismiss(animation=False)
            picked = chooser.selection[0] if chooser.selection else chooser.path
            self.choose_folder(Path(picked))

        ok.bind(on_release=pick)
        cancel.bind(on_release=lambda *_: view.dismiss(animation=False))
        box.add_widget(chooser)
        box.add_widget(row)
        view.add_widget(box)
        self.chooser = chooser
        view.open(animation=False)

    def say(self, text: str, ok: bool) -> None:
        """A pack result: whole and wrapped in the packs tab, its first line in the status bar."""
        self._message = "" if ok else text
        if getattr(self, "message", None) is not None:
            self.message.text = self._message
        self.ids.status.text = (theme.ICON_OK + " " if ok else theme.ICON_WARN + " ") + text

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

        app = App.get_running_app()
        self.ids.status.text = self.t("working")

        def done(results, err):
            if err is not None:
                lines = [vm.pack_error_text(err.code, Path(path).name, self.t)]
            else:
                lines = [vm.pack_error_text(r.code, r.source.name, self.t) for r in results or [] if not r.ok]
            self.show("packs")
            self.say("\n".join(lines) if lines else self.t("done"), not lines)
        self._background(lambda: Installer(app.settings).install([path], progress=self._progress), done)

    def _verify(self):
        app = App.get_running_app()
        self.ids.status.text = self.t("working")

        def done(results, err):
            bad = [r for r in (results or []) if not getattr(r, "ok", True)]
            self.say(self.t("verify_failed", n=len(bad) or 1) if (bad or err) else self.t("done"), not (bad or err))
        self._background(lambda: verify_installed(app.settings, progress=self._progress), done)

    def _remove(self, pack_id):
        app = App.get_running_app()
        self._background(lambda: remove_pack(app.settings, pack_id),
                         lambda r, err: (self.show("packs"), self.say(
                             vm.pack_error_text(err.code, pack_id, self.t) if err else self.t("done"), err is None)))

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

        app = App.get_running_app()
        overview, pngs = result
        box.add_widget(Body(text=overview.title, bold=True))
        grid = GridLayout(cols=len(overview.headers), size_hint_y=None, row_default_height=app.fs(40),
                          row_force_default=True, spacing=2)
        grid.bind(minimum_height=grid.setter("height"))

        for row in (overview.headers, *overview.rows):
            for i, value in enumerate(row):
                grid.add_widget(Label(text=str(value) if row is overview.headers else cell(value),
                                      font_size=app.fs(theme.SMALL), bold=row is overview.headers,
                                      halign="left" if i == 0 else "right", text_size=(app.fs(400), None)))
        box.add_widget(grid)
        for png in pngs.values():
            img = Image(size_hint_y=None, height=app.fs(420), fit_mode="contain")
            img.texture = CoreImage(io.BytesIO(png), ext="png").texture
            box.add_widget(img)


def _stats_pages(summary, settings, lang):
    """(overview Table, {name: PNG}) in the staff language ``lang``, or None when there is nothing to show yet."""
    if summary is None:
        return None

    pngs = render_all(summary, suppress_below=settings.stats_suppress_below, lang=lang)
    return tables(summary, lang)["overview"], pngs
