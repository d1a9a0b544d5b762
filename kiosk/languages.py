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
    "ja": Language(code="ja", english_name="Japanese", native_name="日本語", vosk_pack="vosk-model-small-ja-0.22",
                   espeak_voice="ja", sentence_enders="。！？!?．", spaces_between_words=False),
    "en": Language(code="en", english_name="English", native_name="English", vosk_pack="vosk-model-small-en-us-0.15",
                   espeak_voice="en-us", sentence_enders=".!?", spaces_between_words=True),
    "vi": Language(code="vi", english_name="Vietnamese", native_name="Tiếng Việt", vosk_pack="vosk-model-small-vn-0.4",
                   espeak_voice="vi", sentence_enders=".!?", spaces_between_words=True),
    "zh": Language(code="zh", english_name="Chinese (Simplified)", native_name="中文",
                   vosk_pack="vosk-model-small-cn-0.22", espeak_voice="cmn-latn-pinyin", sentence_enders="。！？!?",
                   spaces_between_words=False),
    "ko": Language(code="ko", english_name="Korean", native_name="한국어", vosk_pack="vosk-model-small-ko-0.22",
                   espeak_voice="ko", sentence_enders=".!?。", spaces_between_words=True),
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
