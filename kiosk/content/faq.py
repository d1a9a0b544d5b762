"""Template filling for FAQ answers and phrases with ``{field}`` placeholders.

Site values come from content/site.toml: ``key = "text"`` (the same in every
language, e.g. a phone number) or a ``[key]`` table with ja/en/vi/zh/ko (and
optionally ja_kana / ja_easy) texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.content.load import FaqAnswer
from kiosk.content.normalise import placeholders
from kiosk.errors import KioskError


def site_value(site: Mapping[str, Any], key: str, lang: str) -> str | None:
    """The value of ``key`` for ``lang`` (ja_kana/ja_easy fall back to ja), or None if not filled in."""
    value = site.get(key)
    if isinstance(value, Mapping):
        for candidate in (lang, "ja") if lang.startswith("ja_") else (lang,):
            text = value.get(candidate)
            if isinstance(text, str) and text.strip():
                return text
        return None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return str(value)


def missing_fields(template: str, site: Mapping[str, Any], lang: str) -> list[str]:
    return [p[1:-1] for p in dict.fromkeys(placeholders(template)) if site_value(site, p[1:-1], lang) is None]


def fill(template: str, site: Mapping[str, Any], lang: str, what: str = "text") -> str:
    """Replace every ``{field}`` in ``template``; a field the city has not filled in is a content.missing error."""
    missing = missing_fields(template, site, lang)
    if missing:
        raise KioskError(
            "content.missing",
            f"{what} needs {', '.join('{' + m + '}' for m in missing)} for {lang}; fill it in content/site.toml.",
        )
    out = template
    for p in dict.fromkeys(placeholders(template)):
        value = site_value(site, p[1:-1], lang) or ""
        if value.endswith("."):  # "... 5 p.m." + "." must not give "p.m.."
            out = out.replace(p + ".", value)
        out = out.replace(p, value)
    return out


FILL_MAX_CHARS = 40


def clean_fill(value: str) -> str:
    """A blank typed at the counter ("2階", "10:30", "500円"): one line, no braces, at most 40 characters."""
    text = " ".join(str(value).split()).replace("{", "").replace("}", "")
    if not text:
        raise KioskError("content.bad_fill", "Type something into every blank of the phrase first.")
    if len(text) > FILL_MAX_CHARS:
        raise KioskError("content.bad_fill",
                         f"A blank holds at most {FILL_MAX_CHARS} characters; shorten it or use the keyboard.")
    return text


def fill_phrase(texts: Mapping[str, str], site: Mapping[str, Any], fills: Mapping[str, str] | None = None,
                what: str = "phrase") -> dict[str, str]:
    """Every language of a phrase with its blanks filled: site.toml values first, then what staff typed
    (``fills``, the same text in every language: a room, a time, a fee)."""
    values = dict(site)
    for key, value in (fills or {}).items():
        if site_value(site, key, "en") is None:
            values[key] = clean_fill(value)
    return {lang: fill(text, values, lang, what=what) for lang, text in texts.items()}


def render(answer: FaqAnswer, site_values: Mapping[str, Any], lang: str) -> str:
    """The FAQ answer in ``lang`` with the city's values filled in."""
    return fill(answer.answers[lang], site_values, lang, what=f"FAQ answer {answer.id!r}")


def render_question(answer: FaqAnswer, site_values: Mapping[str, Any], lang: str) -> str:
    return fill(answer.questions[lang], site_values, lang, what=f"FAQ question {answer.id!r}")
