""""Take it with you": the conversation as a QR code the visitor scans with any phone camera.

The code holds plain UTF-8 text (no link, no app, no network): each line in the visitor's
language with the staff language (Japanese) under it, for showing at the next counter.
It is built in memory when the visitor asks for it and never written anywhere (no file,
no log, no stats); the screen drops it at Finish and with every wipe.  What does not fit
in one readable code is left out, oldest lines first, and the code says how many.

No Kivy here: the screen turns ``qr_pixels`` into a texture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import segno

QR_MAX_BYTES = 1200  # UTF-8 bytes: QR version <= 26 at level L, still easy for a phone camera on a screen
QR_BORDER = 4  # the quiet zone (modules) readers need around the code


@dataclass(frozen=True)
class TakeawayLine:
    by_visitor: bool
    visitor_text: str  # in the visitor's language (what they said, or the translation they read)
    staff_text: str  # in the staff language


@dataclass(frozen=True)
class Takeaway:
    text: str  # what the QR code holds
    included: int
    left_out: int


def takeaway_lines(model) -> list[TakeawayLine]:
    """The finished turns of a ``ConversationModel``, each in both languages."""
    out = []
    for t in model.visible():
        if t.status != "done" or not t.text or not t.translation:
            continue
        mine = t.side == "visitor"
        out.append(TakeawayLine(mine, t.text if mine else t.translation, t.translation if mine else t.text))
    return out


def _block(line: TakeawayLine, label: Callable[[bool], str], both: bool) -> str:
    text = f"{label(line.by_visitor)}: {line.visitor_text}"
    return text + (f"\n  {line.staff_text}" if both else "")


def takeaway_text(lines: list[TakeawayLine], visitor_lang: str, staff_lang: str, t: Callable[..., str],
                  max_bytes: int = QR_MAX_BYTES) -> Takeaway:
    """The text of the code: a heading, then as many of the newest lines as fit in ``max_bytes``.

    ``t(key, lang, **fields)`` gives UI strings (qr_header, qr_you, qr_staff, qr_lines_left_out)."""
    both = staff_lang != visitor_lang
    header = t("qr_header", visitor_lang) + (f" / {t('qr_header', staff_lang)}" if both else "")

    def label(by_visitor: bool) -> str:
        return t("qr_you" if by_visitor else "qr_staff", visitor_lang)

    def note(n: int) -> str:
        text = t("qr_lines_left_out", visitor_lang, n=n)
        return text + (f"\n{t('qr_lines_left_out', staff_lang, n=n)}" if both else "")

    blocks = [_block(line, label, both) for line in lines]
    kept: list[str] = []
    for block in reversed(blocks):  # newest first: the last answers matter most
        left_out = len(blocks) - len(kept) - 1
        candidate = [header, *([note(left_out)] if left_out else []), block, *kept]
        if len("\n".join(candidate).encode("utf-8")) > max_bytes:
            break
        kept.insert(0, block)
    left_out = len(blocks) - len(kept)
    parts = [header, *([note(left_out)] if left_out else []), *kept]
    return Takeaway("\n".join(parts), len(kept), left_out)


def make_qr(text: str) -> segno.QRCode:
    import segno

    """The QR code for ``text``: byte mode, UTF-8 (what phone cameras read), level L or better if it fits."""
    return segno.make(text, encoding="utf-8", eci=False, error="l", boost_error=True, micro=False)


def qr_pixels(text: str, border: int = QR_BORDER) -> tuple[int, bytes]:
    """(side, pixels): one 8-bit grey pixel per module, rows from the top, dark = 0, light = 255,
    with the quiet zone.  Drawn scaled up with nearest-neighbour filtering."""
    qr = make_qr(text)
    rows = [bytes(0 if dark else 255 for dark in row) for row in qr.matrix_iter(scale=1, border=border)]
    return len(rows), b"".join(rows)
