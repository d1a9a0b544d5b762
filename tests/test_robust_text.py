"""Issue 13 (defects 2 and 7): limits where text enters, long text spoken in bounded pieces,
invalid UTF-8 refused at the edge.  Real espeak-ng and tiny real translation packs."""

from __future__ import annotations

import io
import shutil

import pytest

from kiosk.cli import main
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from kiosk.engines.pyttsx3_tts import PIECE_CHARS, Pyttsx3TextToSpeech, split_pieces
from kiosk.errors import KioskError
from kiosk.limits import MAX_TEXT_CHARS, check_text, read_lines
from kiosk.pipeline import events as ev
from kiosk.pipeline.turn import TurnContext, TurnRunner
from kiosk.ui.fonts import register_fonts
from tests.support.mt_fixtures import tiny_pack_archives  # noqa: F401

TOO_LONG = f"The text has {MAX_TEXT_CHARS + 1} characters; the limit is {MAX_TEXT_CHARS}. Split it into shorter pieces."


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def with_packs(tmp_path, tiny_pack_archives, capsys):  # noqa: F811
    data, stick = tmp_path / "data", tmp_path / "usb"
    stick.mkdir()
    shutil.copy(tiny_pack_archives[("ja", "en")], stick)
    code, out, err = run(capsys, "--data-dir", str(data), "packs", "install", "--allow-unknown", str(stick))
    assert code == 0, out + err
    return data


def stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_speak_refuses_text_over_the_limit(capsys, tmp_path):
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "speak", "--lang", "en", "a" * (MAX_TEXT_CHARS + 1),
                         "--out", str(tmp_path / "x.wav"))
    assert (code, out, err) == (1, "", f"error [text.too_long]: {TOO_LONG}\n")
    assert not (tmp_path / "x.wav").exists()


def test_translate_refuses_long_argument_before_loading_anything(capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "translate", "--from", "ja", "--to", "en",
                       "あ" * (MAX_TEXT_CHARS + 1))
    assert (code, err) == (1, f"error [text.too_long]: {TOO_LONG}\n")


def test_translate_refuses_argv_that_is_not_utf8(capsys, tmp_path):
    bad = b"caf\xe9".decode("utf-8", "surrogateescape")  # how Python hands over non-UTF-8 argv bytes
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "translate", "--from", "en", "--to", "ja", bad)
    assert (code, err) == (1, "error [text.bad_encoding]: The text is not valid UTF-8; save or type it as UTF-8 "
                              "text.\n")


def test_translate_stdin_invalid_utf8_is_one_clear_error(capsys, with_packs, monkeypatch):
    stdin(monkeypatch, "こんにちは\n".encode() + b"\xff\xfe broken\n")
    code, out, err = run(capsys, "--data-dir", str(with_packs), "translate", "--from", "ja", "--to", "en")
    assert code == 1 and len(out.splitlines()) == 1  # the good first line was translated
    assert err == ("error [text.bad_encoding]: Line 2 of standard input is not valid UTF-8; save or type it as "
                   "UTF-8 text.\n")


def test_translate_stdin_line_over_the_limit(capsys, with_packs, monkeypatch):
    stdin(monkeypatch, ("x" * 100_000 + "\n").encode())
    code, out, err = run(capsys, "--data-dir", str(with_packs), "translate", "--from", "ja", "--to", "en")
    assert (code, out) == (1, "")
    assert err == (f"error [text.too_long]: Line 1 of standard input is longer than {MAX_TEXT_CHARS} characters; "
                   "split it into shorter lines.\n")


def test_read_lines_exactly_at_the_limit_is_fine():
    multibyte = "語" * MAX_TEXT_CHARS  # 3 bytes a character
    assert list(read_lines(io.BytesIO((multibyte + "\r\n" + "ok").encode()))) == [multibyte, "ok"]


def test_check_text():
    assert check_text("x" * MAX_TEXT_CHARS) == "x" * MAX_TEXT_CHARS
    with pytest.raises(KioskError) as err:
        check_text("\ud800", "The typed text")
    assert err.value.code == "text.bad_encoding"


def test_long_text_is_split_into_bounded_pieces_losing_nothing():
    text = " ".join(f"Sentence number {i} is here." for i in range(500)) + " " + "x" * 1000 + " " + "word " * 300
    pieces = split_pieces(text, "en")
    assert max(map(len, pieces)) <= PIECE_CHARS
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    ja = "住民票をください。" * 200 + "あ" * 900
    pieces = split_pieces(ja, "ja")
    assert max(map(len, pieces)) <= PIECE_CHARS and "".join(pieces) == ja


def test_typed_text_over_the_limit_fails_the_turn_not_the_kiosk(settings):
    rec = ev.Recorder()
    engines = Engines(FakeSpeechToText({}), FakeTranslator({}), FakeTextToSpeech())
    runner = TurnRunner(engines, settings, rec, clock=lambda: 0.0, speak_aloud=False)
    ctx = TurnContext("t1", "s1", "visitor", "en", "ja", "typed", 0.0)
    runner.from_text(ctx, "y" * (MAX_TEXT_CHARS + 1))
    failed = [e for e in rec.events if isinstance(e, ev.TurnFailed)]
    assert [(e.code, e.message) for e in failed] == [
        ("text.too_long", f"The typed text has {MAX_TEXT_CHARS + 1} characters; the limit is {MAX_TEXT_CHARS}. "
                          "Split it into shorter pieces.")]


@pytest.mark.slow
def test_real_espeak_speaks_long_text_in_pieces():
    """Before: one utterance; espeak-ng crashed (exit 139) near 17,500 characters and slowed quadratically."""
    tts = Pyttsx3TextToSpeech(rate=400)
    text = "Please wait here. " * 60  # 1,080 characters: three pieces
    pcm, rate = tts.render(text, "en")
    one, _ = tts.render("Please wait here.", "en")
    assert len(split_pieces(text.strip(), "en")) == 3
    assert 40 * len(one) < len(pcm) < 80 * len(one)  # every sentence is in the audio


def test_app_text_boxes_stop_at_the_limit():
    """Every TextInput in the app (conversation entry, admin fields) keeps at most MAX_TEXT_CHARS characters."""
    from kivy.lang import Builder
    from kivy.uix.textinput import TextInput

    import tests.support.ui  # noqa: F401, PLC0415 - imports Kivy (headless settings): only in this test
    from kiosk.ui.screens import KV_DIR

    register_fonts()
    path = str(KV_DIR / "common.kv")
    if path not in Builder.files:
        Builder.load_file(path)
    box = TextInput()
    box.text = "z" * (MAX_TEXT_CHARS + 500)
    assert box.text == "z" * MAX_TEXT_CHARS
    box.insert_text("more")
    assert len(box.text) == MAX_TEXT_CHARS
