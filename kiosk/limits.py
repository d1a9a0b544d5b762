"""Limits where text enters the kiosk: typed input (the app's text boxes), command-line
arguments and standard input.  No Kivy, no heavy imports: the app's ``.kv`` files and the
CLI share these constants.

Why: espeak-ng crashes (exit 139) on one ~17,500-character utterance and synthesis time
grows with the square of the text length; nothing a visitor or a script types should get
that far.  Messages never contain the text itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, TextIO

from kiosk.errors import KioskError

MAX_TEXT_CHARS = 2000  # one typed message, one CLI text, one line on stdin
_MAX_LINE_BYTES = 4 * MAX_TEXT_CHARS + 2  # UTF-8: at most 4 bytes a character, plus a line break


def clip_typed(text: str) -> str:
    """What a text box keeps of ``text`` (the app cuts typing and pasting at the limit)."""
    return text[:MAX_TEXT_CHARS]


def check_text(text: str, what: str = "The text") -> str:
    """``text`` if it is valid Unicode within the limit; else ``text.bad_encoding`` / ``text.too_long``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # argv bytes that were not UTF-8 arrive as lone surrogates
        raise not_utf8(what) from None
    if len(text) > MAX_TEXT_CHARS:
        raise KioskError("text.too_long", f"{what} has {len(text)} characters; the limit is {MAX_TEXT_CHARS}. "
                                          "Split it into shorter pieces.")
    return text


def not_utf8(what: str) -> KioskError:
    return KioskError("text.bad_encoding", f"{what} is not valid UTF-8; save or type it as UTF-8 text.")


def read_lines(stream: BinaryIO | TextIO) -> Iterator[str]:
    """Lines of standard input (without line breaks), decoded as UTF-8 and checked, read one at a time."""
    binary = getattr(stream, "buffer", stream)
    number = 0
    while True:
        number += 1
        what = f"Line {number} of standard input"
        raw = binary.readline(_MAX_LINE_BYTES)
        if not raw:
            return
        if isinstance(raw, bytes):
            if len(raw) >= _MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise KioskError("text.too_long", f"{what} is longer than {MAX_TEXT_CHARS} characters; "
                                                  "split it into shorter lines.")
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise not_utf8(what) from None
        yield check_text(raw.rstrip("\r\n"), what)
