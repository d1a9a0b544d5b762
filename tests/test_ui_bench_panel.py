"""The staff Packs tab's "Check this tablet" panel: routes per direction and the quick bench
run off the UI thread, its table in the staff language (headless Kivy, simulated touches,
real tiny translation packs; the bench's own logic is tested in test_bench.py)."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.bench import targets as T
from kiosk.bench.measure import Plan
from kiosk.bench.report import Line, Report
from kiosk.config import load_settings
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech
from kiosk.packs import routes
from kiosk.packs.install import Installer
from kiosk.ui.viewmodels import bench_view as vm
from kiosk.ui.viewmodels.strings import load_strings
from tests.support import ui
from tests.support.mt_fixtures import tiny_pack_archives  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def app(tmp_path_factory, tiny_pack_archives):  # noqa: F811

    root = tmp_path_factory.mktemp("ui-bench")
    stick = root / "stick"
    stick.mkdir()
    for archive in tiny_pack_archives.values():
        shutil.copy(archive, stick / archive.name)
    settings = load_settings(root / "data", env={}).replace(staff_language="ja", admin_pin_hash="")
    assert all(r.ok for r in Installer(settings).install([stick], allow_unknown=True))
    engines = Engines(FakeSpeechToText(dict(ui.SAMPLE_TEXT)), ArgosTranslator.from_settings(settings),
                      FakeTextToSpeech())
    app = ui.start_app(settings, engines=engines)
    yield app
    ui.stop_app(app)


def test_check_this_tablet_in_the_staff_language(app, tmp_path):
    from kiosk.ui.screens.bench_panel import BenchPanel

    app.go("admin")
    admin = app.screen("admin")
    assert ui.wait_for(lambda: app.sm.current == "admin")
    admin.show("packs")
    found = ui.wait_for(lambda: any(isinstance(w, BenchPanel) for w in admin.ids.content.walk()))
    assert found, ui.all_texts(admin.ids.content)
    panel = next(w for w in admin.ids.content.walk() if isinstance(w, BenchPanel))
    assert ui.wait_for(lambda: "ko→ja" in panel.routes.text)
    assert "ko→en→ja (translate-ko_en-1_0 + translate-en_ja-1_0) — 唯一のルート" in panel.routes.text
    # start-up and memory run child processes (test_bench); the fake recogniser need not wait for speaking pace
    panel.plan = replace(Plan.make(quick=True, probes=False), realtime=False)
    [check] = ui.buttons(panel, app.t("bench_check", "ja"))
    admin.ids.scroll.scroll_y = 0  # the panel is at the bottom of the Packs tab
    ui.wait_for(lambda: check.to_window(*check.center)[1] > 0)
    ui.screenshot(app, Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path) / "admin_bench_routes_ja.png")
    ui.tap(check)
    assert ui.wait_for(lambda: panel.status.text.startswith(app.t("bench_running", "ja", step="")))  # progress shown
    assert ui.wait_for(lambda: panel.report is not None, timeout=120)
    assert not check.disabled and panel.bar.value == 1
    assert panel.report.overall in ("fail", "needs_real_pack")  # the fake recogniser hears the wrong words
    assert panel.status.text == app.t(f"bench_overall_{panel.report.overall}", "ja")
    texts = ui.all_texts(panel.grid)
    assert "翻訳" in texts and "本番パックが必要" in texts and "未インストール" in texts and "ko→ja" in texts
    admin.ids.scroll.scroll_y = 0
    ui.pump(5)
    ui.screenshot(app, Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path) / "admin_bench_ja.png")


def test_view_model_labels_every_kind_and_verdict():
    strings = load_strings()
    for lang in ("ja", "en", "vi", "zh", "ko"):
        t = lambda key, lang=lang, **kw: strings.get(key, lang, **kw)  # noqa: E731
        lines = [Line(kind, "x", verdict, "") for kind in vm.KINDS for verdict in T.VERDICTS]
        report = Report(lines, True, 0.0, 1.0, T.Targets())
        for what, _subject, verdict, _measured in vm.table(report, t):
            assert not what.startswith("bench_") and not verdict.startswith("bench_"), (lang, what, verdict)
        assert vm.summary(report, t) == strings.get("bench_overall_fail", lang)
        assert "{step}" not in vm.progress_text("ko→ja", t) and "ko→ja" in vm.progress_text("ko→ja", t)
        assert all(strings.get(key, lang) != key for key in vm.ROUTE_REASONS.values())


def test_every_route_reason_has_a_string():
    assert set(vm.ROUTE_REASONS) == {routes.ONLY, routes.PINNED, routes.PUBLISHED, routes.MEASURED, routes.DIRECT}
