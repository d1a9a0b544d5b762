"""Pure decisions about Whisper's output: which segments are real speech, the
confidence of what was kept, and Chinese in Simplified characters.

Whisper invents text on silence, noise and music (the subtitle credits and
"thanks for watching" lines of its training videos).  Voice-activity
detection runs first (in the adapter); these functions then drop a segment
when Whisper itself thinks it is not speech (``no_speech_prob``), when it
repeats itself (gzip ``compression_ratio``), when it is barely more likely
than chance (``avg_logprob``), or when it is one of the phrases Whisper is
known to invent in that language.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

MAX_NO_SPEECH_PROB = 0.6  # with a weak avg_logprob: Whisper's own "this was silence" rule
NO_SPEECH_PROB_ALONE = 0.9  # this sure that it is not speech: drop whatever the log-prob
WEAK_LOGPROB = -0.8
MIN_LOGPROB = -1.5  # below this the segment is noise decoded as words
MAX_COMPRESSION_RATIO = 2.4  # gzip ratio of the text: above it Whisper is looping

# Phrases Whisper base/small invent on silence, noise and music (seen in its
# training subtitles; collected from faster-whisper / whisper.cpp issues and
# from this project's own noise tests).  Compared after ``_fold``.
HALLUCINATIONS: dict[str, tuple[str, ...]] = {
    "ja": ("ご視聴ありがとうございました", "ご視聴ありがとうございます", "チャンネル登録お願いします",
           "チャンネル登録よろしくお願いします", "字幕", "音楽", "拍手", "次回もお楽しみに",
           "最後までご視聴いただきありがとうございます"),
    "en": ("thank you for watching", "thanks for watching", "please subscribe", "subscribe to my channel",
           "like and subscribe", "subtitles by the amaraorg community", "music", "applause", "silence"),
    "vi": ("hãy subscribe cho kênh", "cảm ơn các bạn đã theo dõi", "cảm ơn các bạn đã xem", "đăng ký kênh",
           "hẹn gặp lại các bạn trong những video tiếp theo", "nhạc", "ghiền mì gõ", "la la school",
           "subscribe cho kênh ghiền mì gõ để không bỏ lỡ những video hấp dẫn"),
    "zh": ("请不吝点赞订阅转发打赏支持明镜与点点栏目", "字幕由amaraorg社区提供", "字幕", "谢谢观看", "感谢观看",
           "请订阅", "点赞订阅", "优优独播剧场", "音乐", "中文字幕", "小编字幕"),
    "ko": ("시청해주셔서 감사합니다", "구독과 좋아요", "구독과 좋아요 부탁드립니다", "mbc 뉴스", "자막", "음악",
           "다음 영상에서 만나요", "시청해 주셔서 감사합니다"),
}
# Words a visitor may really say, but that Whisper also invents on noise: dropped
# only when Whisper itself doubts the segment (see ``rejection``).
DOUBTFUL_PHRASES: dict[str, tuple[str, ...]] = {
    "ja": ("ありがとうございました", "おやすみなさい", "お疲れ様でした"),
    "en": ("thank you", "you", "bye", "oh", "i'm sorry", "okay"),
    "vi": ("cảm ơn", "cảm ơn các bạn"),
    "zh": ("谢谢", "谢谢大家", "嗯"),
    "ko": ("감사합니다", "네", "아"),
}
DOUBT_NO_SPEECH_PROB = 0.3
DOUBT_LOGPROB = -0.6
# Parts that mark a whole segment as invented wherever they appear in it.
_HALLUCINATION_PARTS = ("ご視聴", "チャンネル登録", "字幕", "subscribe", "amara", "点赞", "订阅", "打赏", "明镜",
                        "구독", "시청해", "♪", "♫", "www.", ".com")


@dataclass(frozen=True)
class Segment:
    """What the guard needs from one faster-whisper segment."""

    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    tokens: int = 1


def _fold(text: str) -> str:
    """Lower case, Simplified, no punctuation, symbols or spaces (for comparing phrases)."""
    kept = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        cat = unicodedata.category(ch)
        if cat[0] in "PZC" or (cat[0] == "S" and ch not in "♪♫"):
            continue
        kept.append(ch)
    return "".join(kept)


@cache
def _folded_phrases(language: str, doubtful: bool = False) -> frozenset[str]:
    table = DOUBTFUL_PHRASES if doubtful else HALLUCINATIONS
    return frozenset(_fold(p) for p in table.get(language, ()))


def is_hallucination(text: str, language: str, doubtful: bool = False) -> bool:
    """True for a known invented phrase of ``language`` (or a marker such as ♪ or 字幕 anywhere);
    ``doubtful`` also counts the everyday words Whisper invents (for segments it doubts)."""
    folded = _fold(to_simplified(text) if language == "zh" else text)
    if not folded:
        return True  # only punctuation or symbols
    if folded in _folded_phrases(language) or (doubtful and folded in _folded_phrases(language, True)):
        return True
    return any(_fold(part) in folded for part in _HALLUCINATION_PARTS)


def rejection(seg: Segment, language: str) -> str | None:
    """Why a segment is not kept (``"no_speech"``, ``"repetition"``, ``"low_logprob"``,
    ``"hallucination"``), or None to keep it."""
    if seg.no_speech_prob >= NO_SPEECH_PROB_ALONE or (
        seg.no_speech_prob >= MAX_NO_SPEECH_PROB and seg.avg_logprob < WEAK_LOGPROB
    ):
        return "no_speech"
    if seg.compression_ratio > MAX_COMPRESSION_RATIO:
        return "repetition"
    if seg.avg_logprob < MIN_LOGPROB:
        return "low_logprob"
    doubtful = seg.no_speech_prob >= DOUBT_NO_SPEECH_PROB or seg.avg_logprob < DOUBT_LOGPROB
    if is_hallucination(seg.text, language, doubtful):
        return "hallucination"
    return None


def confidence(kept: list[Segment]) -> float:
    """0..1: exp of the token-weighted mean log-probability of the kept segments."""
    total = sum(max(1, s.tokens) for s in kept)
    if not total:
        return 0.0
    mean = sum(s.avg_logprob * max(1, s.tokens) for s in kept) / total
    return max(0.0, min(1.0, math.exp(mean)))


_SPACES = re.compile(r"\s+")


def join_segments(texts: list[str], language: str) -> str:
    """Segment texts joined as the language writes: no spaces between CJK segments."""
    parts = [t.strip() for t in texts if t and t.strip()]
    sep = "" if language in ("ja", "zh") else " "
    text = _SPACES.sub(" ", sep.join(parts)).strip()
    return to_simplified(text) if language == "zh" else text


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # small, but a C extension with its dictionaries: loaded on first Chinese text

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters → Simplified (OpenCC t2s); other text unchanged."""
    return _t2s().convert(text) if text else text
