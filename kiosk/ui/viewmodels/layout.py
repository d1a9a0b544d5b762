"""Layout decisions that depend on the text size (pure numbers, no Kivy): how the start screen's
language buttons fit above the Staff button, and how a conversation card shares its height
between the main text (the translation) and the sub text (glossary / back-translation)."""

from __future__ import annotations

import math
from dataclasses import dataclass

LINE = 1.45  # line height of Noto Sans CJK, in font sizes


@dataclass(frozen=True)
class ButtonGrid:
    cols: int
    button_height: float
    font_size: float


def start_grid(count: int, width: float, height: float, *, spacing: float, target: float, tallest: float,
               largest_font: float) -> ButtonGrid:
    """Language buttons in a grid of ``width`` × ``height``: two columns on a landscape screen,
    one in portrait (two when one column would not fit); each button as tall as ``tallest`` or as
    tall as fits, never below the touch target; the font follows the button height."""
    cols = 1 if width < height else 2
    rows = max(1, math.ceil(count / cols))
    fit = (height - spacing * (rows - 1)) / rows
    if cols == 1 and fit < target and count > 1:
        cols, rows = 2, math.ceil(count / 2)
        fit = (height - spacing * (rows - 1)) / rows
    button = max(target, min(tallest, fit))
    return ButtonGrid(cols, button, min(largest_font, button / LINE))


def split_card(available: float, main_needed: float, sub_needed: float, sub_min: float) -> tuple[float, float]:
    """(main height, sub height) in a card of ``available`` height.

    The main text (the translation) comes first: the sub text gets what it needs of the rest,
    and nothing when less than ``sub_min`` (its heading and one line) is left; the main text
    takes all the remaining height (room for a larger font)."""
    if sub_needed <= 0:
        return max(0.0, available), 0.0
    sub = min(sub_needed, available - main_needed)
    if sub < sub_min:
        return max(0.0, available), 0.0
    return available - sub, sub


def fitting_font(text_width: float, size: float, room: float, smallest: float) -> float:
    """The font size (≤ ``size``, ≥ ``smallest``) at which a line ``text_width`` wide at ``size``
    fits in ``room``; the caller wraps the text when even ``smallest`` does not fit."""
    if text_width <= room or text_width <= 0:
        return size
    return max(smallest, size * room / text_width)
