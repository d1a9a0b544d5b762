"""Register a font that covers all five languages (Noto Sans CJK: kana, hanzi, hangul,
Latin with Vietnamese diacritics).  Kivy's default Roboto has no CJK glyphs, so the
default font name is pointed at it too.

SDL_ttf opens only face 0 of the .ttc (Noto Sans CJK JP).  It holds every glyph
of the Pan-CJK set, so Chinese and Korean text renders, but the hanzi whose
shapes differ by region would be drawn the Japanese way.  So the Simplified
Chinese and Korean faces are extracted once (fontTools, ~1 s per face, in the
background) into ``<data_dir>/cache/fonts/`` and registered as
``KioskSans-zh`` / ``KioskSans-ko``; ``font_for(lang)`` names the font for a
language (the base font until the regional one is ready).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)

FONT_NAME = "KioskSans"
FAMILY = (FONT_NAME, "KioskSans-zh", "KioskSans-ko")
REGIONAL_FACES = {"zh": 2, "ko": 1}  # face index in NotoSansCJK-*.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc"),
)
_registered: set[str] = set()


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
    _registered.add(FONT_NAME)
    return FONT_NAME


def font_for(lang: str) -> str:
    """The registered font name for text in ``lang``."""
    name = f"{FONT_NAME}-{lang}"
    return name if name in _registered else FONT_NAME


def regional_paths(cache_dir: Path, lang: str) -> tuple[Path, Path]:
    return cache_dir / f"NotoSansCJK-{lang}-Regular.otf", cache_dir / f"NotoSansCJK-{lang}-Bold.otf"


def extract_regional_faces(cache_dir: Path) -> dict[str, tuple[Path, Path]]:
    """Extract the SC and KR faces as standalone fonts (once); return {lang: (regular, bold)}.

    Safe to call from a background thread: it only writes files (atomically).
    """
    from fontTools.ttLib import TTCollection

    regular_ttc, bold_ttc = find_font()
    cache_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[Path, Path]] = {}
    for lang, index in REGIONAL_FACES.items():
        paths = regional_paths(cache_dir, lang)
        for src, dest in zip((regular_ttc, bold_ttc), paths):
            if dest.is_file():
                continue
            fonts = TTCollection(src, lazy=True).fonts
            if index >= len(fonts):
                raise ValueError(f"{src} has no face {index}")
            tmp = dest.with_suffix(".tmp")
            fonts[index].save(str(tmp))
            os.replace(tmp, dest)
        out[lang] = paths
    return out


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
