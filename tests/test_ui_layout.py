"""Layout decisions at every text size (Kivy-free): start-screen grid, card split, button fonts,
and which languages visitors are offered."""

from __future__ import annotations

import pytest

from kiosk.config import Settings
from kiosk.ui.viewmodels import admin
from kiosk.ui.viewmodels.layout import LINE, fitting_font, split_card, start_grid


@pytest.mark.parametrize("scale", (1.0, 1.3, 1.5, 1.6))
def test_start_grid_fits_the_space_above_the_staff_button(scale):
    landscape = start_grid(4, 1200, 800 - 2 * 24 - 72 * scale - 64 * scale, spacing=16, target=64,
                           tallest=96 * scale, largest_font=40 * scale)
    assert landscape.cols == 2
    rows = 2
    assert rows * landscape.button_height + 16 <= 800 - 48 - 72 * scale - 64 * scale
    assert landscape.font_size * LINE <= landscape.button_height
    portrait = start_grid(4, 750, 1000, spacing=16, target=64, tallest=96 * scale, largest_font=40 * scale)
    assert portrait.cols == 1 and portrait.button_height == 96 * scale


def test_start_grid_never_below_the_touch_target():
    tight = start_grid(5, 300, 200, spacing=16, target=64, tallest=150, largest_font=64)
    assert tight.button_height == 64 and tight.cols == 2  # one column would not fit: two


def test_the_translation_comes_before_the_glossary():
    assert split_card(300, 100, 80, 50) == (220, 80)  # room for both
    assert split_card(300, 200, 150, 50) == (200, 100)  # the glossary gets what is left
    assert split_card(300, 260, 150, 50) == (300, 0)  # less than a heading and a line: hidden
    assert split_card(300, 100, 0, 50) == (300, 0)  # nothing to show below


def test_a_button_font_shrinks_to_fit_then_stops_at_the_legible_size():
    assert fitting_font(100, 40, 200, 24) == 40
    assert fitting_font(200, 40, 150, 24) == 30
    assert fitting_font(400, 40, 100, 24) == 24  # the caller wraps


def test_the_staff_language_is_never_offered_to_visitors():
    s = Settings(data_dir="/nonexistent")
    assert admin.visitor_languages(s) == ["en", "vi", "zh", "ko"]
    assert admin.visitor_languages(s.replace(staff_language="en")) == ["ja", "vi", "zh", "ko"]
    only_ja = s.replace(languages=("ja",))
    assert admin.visitor_languages(only_ja) == ["en", "vi", "zh", "ko"]  # never an empty start screen
    assert admin.toggle_language(s.replace(languages=("ja", "vi")), "vi").languages == ("ja", "vi")  # vi stays
