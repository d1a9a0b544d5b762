"""The five languages the kiosk serves, and facts about their scripts."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import KioskError


@dataclass(frozen=True)
class Language:
    code: str  # our code, also the Argos code
    english_name: str
    native_name: str  # shown on the language buttons, in its own script
    vosk_pack: str  # catalogue id of the small Vosk model
    espeak_voice: str  # espeak-ng voice name
    sentence_enders: str  # characters that end a sentence
    spaces_between_words: bool


LANGUAGES: dict[str, Language] = {
    "ja": Language("ja", "Japanese", "日本語", "vosk-model-small-ja-0.22", "ja", "。！？!?．", False),
    "en": Language("en", "English", "English", "vosk-model-small-en-us-0.15", "en-us", ".!?", True),
    "vi": Language("vi", "Vietnamese", "Tiếng Việt", "vosk-model-small-vn-0.4", "vi", ".!?", True),
    "zh": Language("zh", "Chinese (Simplified)", "中文", "vosk-model-small-cn-0.22", "cmn-latn-pinyin", "。！？!?", False),
    "ko": Language("ko", "Korean", "한국어", "vosk-model-small-ko-0.22", "ko", ".!?。", True),
}

CODES: tuple[str, ...] = tuple(LANGUAGES)
PIVOT = "en"


def get(code: str) -> Language:
    """Return the language for ``code`` or raise ``mt.unsupported_language``."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise KioskError(
            "mt.unsupported_language",
            f"Unknown language code {code!r}. Use one of: {', '.join(CODES)}.",
        ) from None


def directions() -> list[tuple[str, str]]:
    """All 20 ordered pairs of distinct languages."""
    return [(a, b) for a in CODES for b in CODES if a != b]
