"""Register a font that covers all five languages (Noto Sans CJK: kana, hanzi, hangul,
Latin with Vietnamese diacritics).  Kivy's default Roboto has no CJK glyphs, so the
default font name is pointed at it too.

SDL_ttf opens face 0 of the .ttc (Noto Sans CJK JP); it holds every glyph of the
Pan-CJK set, so Chinese and Korean text renders (with Japanese glyph variants for
the few shared characters whose shapes differ by region).
"""

from __future__ import annotations

from pathlib import Path

from kiosk.errors import KioskError

FONT_NAME = "KioskSans"
CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc"),
)


def find_font(candidates=CANDIDATES) -> tuple[str, str]:
    for regular, bold in candidates:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    raise KioskError("ui.font_missing",
                     "No CJK font found. Install the fonts-noto-cjk package (apt-get install fonts-noto-cjk).")


def register_fonts() -> str:
    """Register the font under FONT_NAME and as Kivy's default; return FONT_NAME."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    regular, bold = find_font()
    for name in (FONT_NAME, DEFAULT_FONT):
        LabelBase.register(name=name, fn_regular=regular, fn_bold=bold)
    return FONT_NAME
