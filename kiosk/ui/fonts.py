"""Register the CJK font with Kivy (files from ``kiosk.fonts``).

Kivy's default Roboto has no CJK glyphs, so the default font name is pointed at
Noto Sans CJK too.  The extracted Simplified Chinese and Korean faces are
registered as ``KioskSans-zh`` / ``KioskSans-ko``; ``font_for(lang)`` names the
font for a language (the base font until the regional one is ready).
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.fonts import find_font

_LOGGER = logging.getLogger(__name__)

FONT_NAME = "KioskSans"
FAMILY = (FONT_NAME, "KioskSans-zh", "KioskSans-ko")
_registered: set[str] = set()


def register_fonts() -> str:
    """Register the font under FONT_NAME and as Kivy's default; return FONT_NAME."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    regular, bold = find_font()
    for name in (FONT_NAME, DEFAULT_FONT):
        LabelBase.register(name=name, fn_regular=regular, fn_bold=bold)
    _registered.add(FONT_NAME)
    return FONT_NAME


def font_for(lang: str) -> str:
    """The registered font name for text in ``lang``."""
    name = f"{FONT_NAME}-{lang}"
    return name if name in _registered else FONT_NAME


def register_regional(faces: dict[str, tuple[Path, Path]]) -> None:
    """Register extracted faces (on the Kivy thread)."""
    from kivy.core.text import LabelBase

    for lang, (regular, bold) in faces.items():
        name = f"{FONT_NAME}-{lang}"
        LabelBase.register(name=name, fn_regular=str(regular), fn_bold=str(bold))
        _registered.add(name)
    _LOGGER.info("regional CJK faces registered: %s", ", ".join(sorted(faces)))


def apply_font(root, lang: str) -> None:
    """Set the font for ``lang`` on every label and text box under ``root`` that uses our family."""
    name = font_for(lang)
    for w in root.walk(restrict=True):
        if getattr(w, "font_name", None) in FAMILY and w.font_name != name:
            w.font_name = name
