"""Every UI string exists in all five languages, with the same placeholders, and every
character the app shows has a glyph in the registered font (no tofu boxes)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from kiosk.fonts import find_font
from kiosk.languages import CODES, LANGUAGES
from kiosk.ui import theme
from kiosk.ui.viewmodels.strings import load_strings

UI = Path(__file__).resolve().parent.parent / "kiosk" / "ui"


@pytest.fixture(scope="module")
def strings():
    return load_strings()


def _fields(text):
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)


def test_every_string_in_all_five_languages(strings):
    assert strings.missing() == []
    assert len(strings.table) > 50


def test_placeholders_match_across_languages(strings):
    for key, entry in strings.table.items():
        assert {tuple(_fields(entry[c])) for c in CODES} == {tuple(_fields(entry["en"]))}, key


def test_every_key_the_code_uses_exists(strings):
    used = set()
    for path in list(UI.rglob("*.py")) + list(UI.rglob("*.kv")):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", text))
    prefixed = {
        "ptt_": ("hold", "tap", "both"),
        "stop_": ("hold", "tap", "both"),
        "opt_": ("counter", "kiosk", "face_to_face", "side_by_side", "hold", "tap", "both", "on", "off"),
        "set_": (
            "mode",
            "layout",
            "ptt_mode",
            "staff_language",
            "idle_timeout_s",
            "idle_warning_s",
            "min_stt_confidence",
            "min_mt_score",
            "tts_rate",
            "tts_volume",
            "text_scale",
            "fullscreen",
            "easy_japanese",
        ),
    }
    for prefix, names in prefixed.items():
        used |= {prefix + n for n in names}
    used |= {"understood", "say_again", "they_understood", "they_ask_again", "pin_title", "pin_new",
             "pin_confirm", "error_generic"}
    used -= {"ptt_", "stop_"}
    missing = sorted(k for k in used if k not in strings.table)
    assert missing == []


def test_an_unknown_key_shows_itself_and_fields_are_filled(strings):
    assert strings.get("no_such_key", "ja") == "no_such_key"
    assert "17" in strings.get("idle_countdown", "vi", seconds=17)


def test_every_character_shown_has_a_glyph():
    from matplotlib.ft2font import FT2Font

    font = FT2Font(find_font()[0])
    texts = [v for e in load_strings().table.values() for v in e.values()]
    texts += [lang.native_name for lang in LANGUAGES.values()]
    texts += [getattr(theme, n) for n in dir(theme) if n.startswith("ICON_")]
    for path in list(UI.rglob("*.py")) + list(UI.rglob("*.kv")):  # literal icons in the code
        texts += re.findall(r'"([^"\\]*)"', path.read_text(encoding="utf-8"))
    chars = {c for t in texts for c in t if not c.isspace() and ord(c) > 31}
    tofu = sorted(c for c in chars if font.get_char_index(ord(c)) == 0)
    assert tofu == []
