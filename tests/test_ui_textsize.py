"""Readable at every text size: from widget geometry (not pixels), at text sizes 1.0–1.6 in
landscape and portrait, the translation is on screen, not clipped, and larger than the body
text; the start screen's Staff button overlaps no language button."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.config import load_settings
from kiosk.ui import theme
from tests.support import ui

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SCALES = (1.0, 1.3, 1.5, 1.6)
SIZES = ((1280, 800), (800, 1280))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("ui-textsize"), env={})
    app = ui.start_app(settings)
    yield app
    ui.stop_app(app)


def _out(tmp_path) -> Path:
    return Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path)


def _inside(inner, outer, slack=1.0) -> bool:
    (ix, iy), (ox, oy) = inner.to_window(*inner.pos), outer.to_window(*outer.pos)
    # halves may be flipped: compare extents as sets of corners
    ix2, iy2 = inner.to_window(inner.right, inner.top)
    ox2, oy2 = outer.to_window(outer.right, outer.top)
    ix, ix2, iy, iy2 = min(ix, ix2), max(ix, ix2), min(iy, iy2), max(iy, iy2)
    ox, ox2, oy, oy2 = min(ox, ox2), max(ox, ox2), min(oy, oy2), max(oy, oy2)
    return ix >= ox - slack and iy >= oy - slack and ix2 <= ox2 + slack and iy2 <= oy2 + slack


def _overlap(a, b) -> bool:
    ax, ay = a.to_window(*a.pos)
    bx, by = b.to_window(*b.pos)
    return ax < bx + b.width and bx < ax + a.width and ay < by + b.height and by < ay + a.height


def _whole(button) -> bool:
    """The button's label is drawn whole: not shortened, not wider or taller than the button."""
    from kivy.core.text import Label as CoreLabel

    probe = CoreLabel(text=button.text, font_size=button.font_size, font_name=button.font_name, bold=button.bold)
    probe.refresh()
    one_line = probe.texture.size[0] <= button.width
    return (one_line or not button.shorten) and button.texture_size[1] <= button.height + 1 \
        and button.texture_size[0] <= button.width + 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES)
def test_translation_is_visible_unclipped_and_larger_than_body_text(app, size, scale, tmp_path):
    app._apply_settings(app.settings.replace(text_scale=scale, layout="face_to_face", mode="counter"))
    ui.set_size(size)
    ui.reset(app)
    start = app.screen("start")
    ui.pump(3)
    staff_button = start.ids.staff
    assert sorted(b.lang_code for b in start.ids.buttons.children) == ["en", "ko", "vi", "zh"]  # not ja (staff)
    assert staff_button.background_color != start.ids.buttons.children[0].background_color  # not a language button
    for b in start.ids.buttons.children:
        assert not _overlap(staff_button, b), (scale, size, b.text)
        assert _inside(b, app.root) and b.height >= 48
    assert _inside(staff_button, app.root)
    ui.screenshot(app, _out(tmp_path) / f"textsize_{size[0]}x{size[1]}_{scale}_start.png")

    [vi] = [b for b in start.ids.buttons.children if b.lang_code == "vi"]
    ui.tap(vi)
    app.session.submit_phrase("staff", "certificates.juminhyo_copies")  # has a glossary card (住民票)
    assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
    ui.pump(4)
    screen = app.screen("conversation")
    visitor, staff = screen.halves()["visitor"], screen.halves()["staff"]
    body = app.fs(theme.BODY)
    main = visitor.ids.main
    assert main.text == "Quý khách cần mấy bản giấy chứng nhận cư trú?"
    assert main.label.font_size > body * 1.1, (scale, size, main.label.font_size, body)
    assert main.height >= main.label.font_size * 1.2  # at least a full line
    assert main.label.texture_size[1] <= main.height + 1, "the translation is clipped (scrolls)"
    assert _inside(main, visitor.ids.card) and _inside(visitor.ids.card, visitor)
    assert staff.ids.main.text == "住民票は何枚必要ですか。"
    assert staff.ids.main.label.texture_size[1] <= staff.ids.main.height + 1
    for half in (visitor, staff):
        for b in ui.buttons(half):
            assert _inside(b, half), (b.text, scale, size)
            assert _whole(b), (b.text, scale, size)  # every word shown: no "…", nothing cut
    ui.screenshot(app, _out(tmp_path) / f"textsize_{size[0]}x{size[1]}_{scale}_conversation.png")
