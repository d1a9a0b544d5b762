"""Typing without a hardware keyboard: the on-screen keyboard on a conversation half, driven by
taps on its keys (Hangul composed as typed, Vietnamese tones, kana), then sent as a turn."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.config import load_settings
from tests.support import ui

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("ui-onscreen"), env={})
    app = ui.start_app(settings)
    yield app
    ui.stop_app(app)


def _start(app, code, scale=1.0, staff="ja"):
    app._apply_settings(app.settings.replace(text_scale=scale, staff_language=staff))
    ui.set_size((1280, 800))
    ui.reset(app)
    ui.pump(2)
    [b] = [b for b in app.screen("start").ids.buttons.children if b.lang_code == code]
    ui.tap(b)
    halves = app.screen("conversation").halves()
    return halves["visitor"], halves["staff"]


def _key(half, label):
    [key] = [k for k in half.onscreen.walk(restrict=True) if getattr(k, "key", None) == label]
    return key


def _type(half, keys):
    for label in keys:
        ui.tap(_key(half, label))


@pytest.mark.parametrize("scale", (1.0, 1.5))
def test_korean_visitor_types_hangul_on_screen_and_sends_it(app, scale, tmp_path):
    visitor, _ = _start(app, "ko", scale)
    ui.tap(visitor.ids.keyboard)
    assert visitor.onscreen.get_root_window() is not None and visitor.onscreen.model.layout == "hangul"
    _type(visitor, "ㅎㅏㄴㄱㅡㄹ")
    assert visitor.entry.text == "한글"
    for key in (k for k in visitor.onscreen.walk(restrict=True) if hasattr(k, "key")):
        assert key.height >= 48 and key.width >= 40, key.text
    out = Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path)
    ui.screenshot(app, out / f"1280x800_onscreen_keyboard_ko_{scale}.png")
    ui.tap(visitor.ids.send)
    assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
    assert app.model.latest().text == "한글" and not visitor.typing
    assert visitor.onscreen.model.text == "" and visitor.onscreen.model.jamo == []  # nothing typed kept


def test_vietnamese_tones_and_japanese_kana_on_screen(app):
    visitor, staff = _start(app, "vi")
    ui.tap(visitor.ids.keyboard)
    _type(visitor, ["⇧", "V", "i", "ê", "t", "ạ"])
    assert visitor.entry.text == "Việt"
    ui.tap(staff.ids.keyboard)
    assert staff.onscreen.model.layout == "kana"
    _type(staff, ["か", "゛", "つ", "小", "こ", "う"])
    assert staff.entry.text == "がっこう"
    ui.tap(_key(staff, "⇄"))  # to ABC
    assert staff.onscreen.model.layout == "latin"
    _type(staff, ["o", "k"])
    assert staff.entry.text == "がっこうok"
    ui.tap(staff.ids.finish)
    assert staff.entry.text == "" and staff.onscreen.model.text == "" and visitor.onscreen.model.text == ""
