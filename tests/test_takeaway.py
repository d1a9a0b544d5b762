""""Take it with you": the conversation as a QR code, decoded for real (zxing-cpp), never on disk."""

from __future__ import annotations

import os
import tempfile

import pytest
from PIL import Image

from kiosk.pipeline import events as ev
from kiosk.ui.viewmodels.conversation import ConversationModel
from kiosk.ui.viewmodels.strings import load_strings
from kiosk.ui.viewmodels.takeaway import (
    QR_MAX_BYTES,
    TakeawayLine,
    qr_pixels,
    takeaway_lines,
    takeaway_text,
)

STRINGS = load_strings()
t = STRINGS.get


def decode(text: str) -> str:
    """Draw the code the way the screen does (grey pixels, scaled up) and read it like a phone would."""
    import zxingcpp

    side, pixels = qr_pixels(text)
    img = Image.frombytes("L", (side, side), pixels).resize((side * 4, side * 4), Image.NEAREST)
    found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)  # a camera app looks for QR codes
    assert len(found) == 1
    return found[0].text


def visit(model: ConversationModel, n: int) -> None:
    """Turns as the pipeline reports them: the visitor (Vietnamese) and the staff (Japanese) in turn."""
    for i in range(n):
        side = "visitor" if i % 2 == 0 else "staff"
        src, dst = ("vi", "ja") if side == "visitor" else ("ja", "vi")
        said = f"Nhà vệ sinh ở đâu? ({i})" if side == "visitor" else f"トイレは2階です。({i})"
        heard = f"トイレはどこですか。({i})" if side == "visitor" else f"Nhà vệ sinh ở tầng 2. ({i})"
        tid = f"t{i}"
        for e in (ev.TurnStarted(tid, 0.0, "s", side, src, dst, "typed"), ev.FinalText(tid, 0.1, said, 1.0, 0.0),
                  ev.TranslationReady(tid, 0.2, heard, (src, dst), 0.0, False, True, (), (), 0.1),
                  ev.TurnFinished(tid, 0.3)):
            model.apply(e)


def test_the_code_holds_the_conversation_in_both_languages_and_a_phone_reads_it():
    model = ConversationModel(staff_language="ja", visitor_language="vi")
    visit(model, 2)
    take = takeaway_text(takeaway_lines(model), "vi", "ja", t)
    assert (take.included, take.left_out) == (2, 0)
    assert decode(take.text) == take.text == (
        "Cuộc trò chuyện tại quầy / 窓口での会話\n"
        "Bạn: Nhà vệ sinh ở đâu? (0)\n  トイレはどこですか。(0)\n"
        "Nhân viên: Nhà vệ sinh ở tầng 2. (1)\n  トイレは2階です。(1)"
    )


def test_a_long_conversation_keeps_the_newest_lines_and_says_how_many_are_left_out():
    model = ConversationModel(staff_language="ja", visitor_language="vi")
    visit(model, 60)
    take = takeaway_text(takeaway_lines(model), "vi", "ja", t)
    assert take.left_out > 0 and take.included + take.left_out == 60
    assert len(take.text.encode("utf-8")) <= QR_MAX_BYTES
    lines = take.text.splitlines()
    assert lines[1] == f"{take.left_out} dòng trước đó không được đưa vào (mã đã đầy)."
    assert lines[2] == f"前の{take.left_out}行は入りきらないため含まれていません。"
    assert take.text.endswith("トイレは2階です。(59)")
    assert decode(take.text) == take.text


def test_same_language_on_both_sides_has_one_line_per_turn():
    lines = [TakeawayLine(True, "Where is the toilet?", "Where is the toilet?")]
    assert takeaway_text(lines, "en", "en", t).text == "Conversation at the desk\nYou: Where is the toilet?"


def test_unfinished_failed_and_withdrawn_turns_are_not_in_the_code():
    model = ConversationModel(staff_language="ja", visitor_language="ko")
    model.apply(ev.TurnStarted("a", 0.0, "s", "visitor", "ko", "ja", "speech"))
    model.apply(ev.PartialText("a", 0.1, "화장실"))
    assert takeaway_lines(model) == []
    assert takeaway_text([], "ko", "ja", t).text == "창구에서의 대화 / 窓口での会話"


@pytest.mark.parametrize("lang", ["ja", "en", "vi", "zh", "ko"])
def test_every_language_reads_back(lang):
    lines = [TakeawayLine(True, t("qr_hint", lang), t("qr_hint", "ja")), TakeawayLine(False, t("qr_title", lang), "x")]
    take = takeaway_text(lines, lang, "ja", t)
    assert decode(take.text) == take.text


def test_nothing_of_the_code_reaches_disk(tmp_path, monkeypatch):
    """Built in memory only: no file appears anywhere we can watch, and no file holds its text."""
    for var in ("HOME", "TMPDIR", "XDG_CACHE_HOME", "KIOSK_DATA_DIR"):
        monkeypatch.setenv(var, str(tmp_path))
    monkeypatch.chdir(tmp_path)

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened = []
    real_open = open

    def watching_open(file, mode="r", *args, **kwargs):
        if any(m in mode for m in "wax+"):
            opened.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watching_open)
    real_os_open = os.open

    def watching_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            opened.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", watching_os_open)
    secret = "Số hộ chiếu của tôi là C1234567"
    take = takeaway_text([TakeawayLine(True, secret, "私のパスポート番号はC1234567です")], "vi", "ja", t)
    side, pixels = qr_pixels(take.text)
    assert side > 21 and len(pixels) == side * side
    assert opened == [] and list(tmp_path.iterdir()) == []
