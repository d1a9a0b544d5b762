"""Phrase lists for speech recognition (Vosk grammar / phrase hints).

``phrases_for_recognition(content, lang)``: the phrasebook texts and glossary
terms (with aliases) of one language, shaped as Vosk expects them:

- en, vi: lowercase words, punctuation removed (English apostrophes kept:
  "don't" is one Vosk word); digits are left as they are (the adapter decides
  whether to spell them out for its model).
- ja, zh, ko: the surface strings, punctuation removed, no added spaces.

``{field}`` placeholders are dropped.  Duplicates removed, order kept.
"""

from __future__ import annotations

import re
import unicodedata

from kiosk.content.load import Content
from kiosk.content.normalise import strip_punctuation

_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


def recognition_form(text: str, lang: str) -> str:
    text = _PLACEHOLDER.sub(" ", unicodedata.normalize("NFKC", text))
    if lang in ("en", "vi"):
        text = text.lower().replace("’", "'")
        text = strip_punctuation(text)
        if lang == "vi":
            text = text.replace("'", " ")
        text = " ".join(w.strip("'") for w in text.split())
    else:
        text = " ".join(strip_punctuation(text).replace("'", " ").split())
    return text


def phrases_for_recognition(content: Content, lang: str) -> list[str]:
    texts = [p.text(lang) for p in content.phrases]
    for term in content.terms:
        texts.extend(v for v in term.variants(lang) if not (lang == "ja" and v == term.ja_kana))
    out = (recognition_form(t, lang) for t in texts)
    return list(dict.fromkeys(t for t in out if t))
