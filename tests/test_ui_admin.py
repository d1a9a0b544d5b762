"""The staff screen driven by touches: settings edited in place (no rebuild, no jump to the top),
every setting shown with its value in words, Close asks about unsaved changes, Quit asks (and
wants the PIN in kiosk mode), a pack error in the staff language is cleared when leaving the tab."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.config import load_settings
from kiosk.ui.viewmodels import settings_form as form
from kiosk.ui.viewmodels.layout import LINE
from tests.support import ui

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("ui-admin"), env={})
    app = ui.start_app(settings)
    yield app
    ui.stop_app(app)


@pytest.fixture
def app(env):
    env._apply_settings(env.settings.replace(mode="counter", text_scale=1.0, staff_language="ja"))
    ui.set_size((1280, 800))
    ui.reset(env)
    env.go("admin")
    ui.pump(3)
    yield env
    for view in list(_dialogs()):
        view.dismiss(animation=False)
    ui.pump(2)
    env.screen("admin").draft = env.settings
    env.screen("pin").mode = "enter"
    ui.reset(env)


def _dialogs():
    from kivy.core.window import Window
    from kivy.uix.modalview import ModalView

    return [w for w in Window.children if isinstance(w, ModalView)]


def _row(admin, name_key):
    """The settings row whose label is ``name_key``'s text."""
    from kivy.app import App

    label = App.get_running_app().t(name_key, "ja")
    [row] = [w for w in admin.ids.content.children if getattr(w, "children", None) and
             getattr(w.children[-1], "text", None) == label]
    return row


def test_three_taps_change_one_setting_in_place_without_scrolling(app):
    admin = app.screen("admin")
    admin.ids.scroll.scroll_y = 0  # the last rows
    ui.pump(3)
    rows_before = list(admin.ids.content.children)
    row = _row(admin, "set_stats_suppress_below")
    plus, value = row.children[0], row.children[1]
    assert value.text == app.t("value_suppress", "ja", n=5)
    for _ in range(3):
        ui.tap(plus)
    assert admin.draft.stats_suppress_below == 8 and value.text == app.t("value_suppress", "ja", n=8)
    changed = {f for f in app.settings.__dataclass_fields__ if getattr(admin.draft, f) != getattr(app.settings, f)}
    assert changed == {"stats_suppress_below"}  # three taps changed one setting
    assert list(admin.ids.content.children) == rows_before  # nothing rebuilt
    assert admin.ids.scroll.scroll_y == 0  # the list stayed where it was
    assert admin.ids.status.text == app.t("unsaved", "ja")
    admin.ids.scroll.scroll_y = 1
    ui.pump(3)
    row = _row(admin, "set_text_scale")
    for _ in range(3):
        ui.tap(row.children[0])
    assert admin.draft.text_scale == 1.3 and row.children[1].text == "130%"


def test_every_setting_has_a_row_and_thresholds_are_words(app):
    admin = app.screen("admin")
    shown = "\n".join(ui.all_texts(admin.ids.content))
    for row in form.ROWS:
        assert app.t(f"set_{row.name}", "ja") in shown, row.name
    assert app.t("set_counter_idle_timeout_s", "ja") in shown and "10 分" in shown  # the counter-mode wipe timer
    for name in form.THRESHOLDS:
        value = _row(admin, f"set_{name}").children[1].text
        assert value == app.t("level_normal", "ja") + "  ●●●○○", (name, value)
    assert "0.6" not in shown and "-1.5" not in shown and "−1.5" not in shown
    assert app.t("help_min_mt_score", "ja") in shown  # what it does, in words


def test_close_with_unsaved_changes_asks(app):
    admin = app.screen("admin")
    [side] = ui.buttons(admin.ids.content, app.t("opt_side_by_side", "ja"))
    ui.tap(side)
    ui.tap(admin.ids.close)
    [dialog] = _dialogs()
    assert app.t("unsaved_question", "ja") in ui.all_texts(dialog)
    ui.tap(dialog.question.answers["cancel"])
    assert app.sm.current == "admin" and admin.draft.layout == "side_by_side" and not _dialogs()
    ui.tap(admin.ids.close)
    ui.tap(_dialogs()[0].question.answers["discard"])
    assert app.sm.current == "start" and app.settings.layout == "face_to_face"
    assert load_settings(app.settings.data_dir, env={}).layout == "face_to_face"
    app.go("admin")
    ui.pump(2)
    assert admin.draft.layout == "face_to_face" and admin.ids.status.text == ""
    ui.tap(admin.ids.close)  # nothing changed: no question
    assert app.sm.current == "start" and not _dialogs()


def test_quit_asks_and_in_kiosk_mode_wants_the_pin(app, monkeypatch):
    quits = []
    monkeypatch.setattr(app, "exit_app", lambda: quits.append(1))
    admin = app.screen("admin")
    ui.tap(admin.ids.quit)
    [dialog] = _dialogs()
    assert app.t("quit_question", "ja") in ui.all_texts(dialog)
    ui.tap(dialog.question.answers["cancel"])
    assert quits == [] and app.sm.current == "admin"
    ui.tap(admin.ids.quit)
    ui.tap(_dialogs()[0].question.answers["quit"])
    assert quits == [1]

    app._apply_settings(app.settings.replace(mode="kiosk"))
    ui.tap(admin.ids.quit)
    pin = app.screen("pin")
    assert app.sm.current == "pin" and pin.mode == "quit" and not _dialogs()
    ui.type_pin(app, "9999")
    assert quits == [1] and app.sm.current == "pin" and pin.ids.message.text.startswith("⚠")
    ui.type_pin(app, "0000")  # the default PIN of this test's data dir
    assert quits == [1, 1]


def test_pack_error_is_in_the_staff_language_and_cleared_when_leaving_the_tab(app, tmp_path):
    (tmp_path / "media" / "stick").mkdir(parents=True)
    (tmp_path / "media" / "stick" / "photo.jpg").write_bytes(b"\xff\xd8")
    admin = app.screen("admin")
    admin.mount_roots = (str(tmp_path / "media"),)
    app._apply_settings(app.settings.replace(staff_language="vi"))
    admin.draft = app.settings
    ui.tap(admin.ids.tab_packs)
    assert ui.wait_for(lambda: ui.buttons(admin.ids.content, str(tmp_path / "media" / "stick")))
    [stick] = ui.buttons(admin.ids.content, str(tmp_path / "media" / "stick"))
    admin.ids.scroll.scroll_to(stick, animate=False)
    ui.pump(3)
    ui.tap(stick)
    assert admin.chosen == tmp_path / "media" / "stick"
    assert ui.wait_for(lambda: ui.buttons(admin.ids.content, app.t("install", "vi")))
    [install] = ui.buttons(admin.ids.content, app.t("install", "vi"))
    admin.ids.scroll.scroll_to(install, animate=False)
    ui.pump(3)
    for b in install.parent.children:  # never cut off (Install, Verify, Refresh, Pick a folder inside)
        assert b.texture_size[0] <= b.width and b.texture_size[1] <= b.height and b.font_size * LINE <= b.height
    ui.tap(install)
    assert ui.wait_for(lambda: admin.ids.status.text.startswith("⚠"))
    assert ui.wait_for(lambda: admin.message.text == "stick: " + app.t("error_pack_not_found", "vi"))
    out = Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path)
    admin.ids.scroll.scroll_y = 0
    ui.screenshot(app, out / "1280x800_admin_packs_error_vi.png")
    ui.tap(admin.ids.tab_settings)
    assert admin.ids.status.text == ""
    ui.tap(admin.ids.tab_packs)
    assert ui.wait_for(lambda: ui.buttons(admin.ids.content, app.t("install", "vi")))
    assert admin.message.text == "" and admin.ids.status.text == ""
    admin.chosen = None
