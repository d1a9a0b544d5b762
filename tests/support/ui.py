"""Headless helpers for the Kivy UI tests: build the app once per process in a temp data
dir with fake engines, simulate touches on real widget coordinates, save screenshots.

Kivy has one Window per process, so tests share one app (a module-scoped fixture) and
reset it between tests with ``reset(app)``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from kiosk.ui.launch import build_app

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # leave the root logger (and pytest caplog) alone

LANGS = ("ja", "en", "vi", "zh", "ko")
SAMPLE_TEXT = {  # what each language's fake recogniser "hears"
    "ja": "住民票がほしいです",
    "en": "I would like a certificate of residence",
    "vi": "Tôi muốn lấy giấy chứng nhận cư trú",
    "zh": "我想开住民票",
    "ko": "주민표를 떼고 싶습니다",
}


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fake_engines(confidence: float = 0.9, score: float = -0.3):
    pairs = {(a, b) for a in LANGS for b in LANGS if a != b}
    return Engines(FakeSpeechToText(dict(SAMPLE_TEXT), confidence=confidence),
                   FakeTranslator(pairs=pairs, score=score), FakeTextToSpeech())


def start_app(settings, engines=None, clock=None, size=(1280, 800)):
    """Build the app and put it on the (offscreen) window without entering the main loop."""
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    app = build_app(settings, engines=engines or fake_engines(), clock=clock or FakeClock())
    app._run_prepare()
    set_size(size)
    assert wait_for(lambda: app.session.conversation is not None, timeout=60)  # engines + content, in the background
    return app


def stop_app(app) -> None:
    from kivy.base import EventLoop

    if app.session.conversation is not None:
        app.session.conversation.end_session("app_closed")
    app.stop()
    EventLoop.window.remove_widget(app.root)


def set_size(size) -> None:
    from kivy.core.window import Window

    Window.size = size
    pump(4)


def pump(frames: int = 2) -> None:
    from kivy.base import EventLoop

    for _ in range(frames):
        EventLoop.idle()


def wait_for(condition, timeout: float = 15.0) -> bool:
    """Run frames until ``condition()`` holds (the timeout only guards against hanging)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pump(1)
        if condition():
            return True
    return condition()


def window_pos(widget, at=(0.5, 0.5)):
    """Window coordinates of a point of ``widget`` (fractions of its size), through any flips."""
    x = widget.x + widget.width * at[0]
    y = widget.y + widget.height * at[1]
    return widget.to_window(x, y)


def press(widget, at=(0.5, 0.5)):
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*window_pos(widget, at))
    touch.touch_down()
    pump(1)
    return touch


def release(touch) -> None:
    touch.touch_up()
    pump(1)


def tap(widget, at=(0.5, 0.5)) -> None:
    release(press(widget, at))


def tap_window(x: float, y: float) -> None:
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(x, y)
    touch.touch_down()
    pump(1)
    touch.touch_up()
    pump(1)


def screenshot(app, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pump(3)
    app.root.export_to_png(str(path))
    return path


def all_texts(widget) -> list[str]:
    """Every text shown by ``widget`` and its children (labels, buttons, text inputs)."""
    out = []
    for w in widget.walk(restrict=True):
        text = getattr(w, "text", None)
        if isinstance(text, str) and text.strip():
            out.append(text)
    return out


def reset(app) -> None:
    """Back to a clean start between tests."""
    app.finish("finished")
    if app.session.conversation is not None:
        app.session.conversation.wait()
    pump(3)


def buttons(widget, contains: str = "") -> list:
    """Visible buttons under ``widget`` whose text contains ``contains``."""
    from kivy.uix.button import Button

    return [w for w in widget.walk(restrict=True)
            if isinstance(w, Button) and contains in w.text and w.opacity > 0 and w.width > 0 and w.get_root_window()]


def type_pin(app, pin: str) -> None:
    screen = app.screen("pin")
    keys = {b.key: b for b in screen.ids.keypad.children}
    for digit in pin:
        tap(keys[digit])
    tap(keys["ok"])
