"""The CJK font files the kiosk draws with (no Kivy, no matplotlib): found, and split by region.

Noto Sans CJK covers all five languages (kana, hanzi, hangul, Latin with
Vietnamese diacritics).  ``find_font()`` finds the installed ``.ttc`` pair; the
app (``kiosk.ui.fonts``), the statistics charts and ``kiosk doctor`` all use it.

SDL_ttf opens only face 0 of the .ttc (Noto Sans CJK JP).  It holds every glyph
of the Pan-CJK set, so Chinese and Korean text renders, but the hanzi whose
shapes differ by region would be drawn the Japanese way.  So the Simplified
Chinese and Korean faces are extracted once (fontTools, ~1 s per face, in the
background) into ``<data_dir>/cache/fonts/`` by ``extract_regional_faces``.
"""

from __future__ import annotations

import os
from pathlib import Path

from fontTools.ttLib import TTCollection

from kiosk.errors import KioskError

REGIONAL_FACES = {"zh": 2, "ko": 1}  # face index in NotoSansCJK-*.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
    (
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    ),
)


def find_font(candidates=CANDIDATES) -> tuple[str, str]:
    """(regular, bold) paths of the first installed candidate (bold falls back to regular)."""
    for regular, bold in candidates:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    raise KioskError("ui.font_missing",
                     "No CJK font found. Install the fonts-noto-cjk package (apt-get install fonts-noto-cjk).")


def regional_paths(cache_dir: Path, lang: str) -> tuple[Path, Path]:
    return cache_dir / f"NotoSansCJK-{lang}-Regular.otf", cache_dir / f"NotoSansCJK-{lang}-Bold.otf"


def extract_regional_faces(cache_dir: Path) -> dict[str, tuple[Path, Path]]:
    """Extract the SC and KR faces as standalone fonts (once); return {lang: (regular, bold)}.

    Safe to call from a background thread: it only writes files (atomically).
    """
    regular_ttc, bold_ttc = find_font()
    cache_dir.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[Path, Path]] = {}
    for lang, index in REGIONAL_FACES.items():
        paths = regional_paths(cache_dir, lang)
        for src, dest in zip((regular_ttc, bold_ttc), paths, strict=True):
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
