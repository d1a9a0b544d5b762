"""Kiosk mode faces the visitor (upright, their language, the Japanese as one small line), the FAQ
is drawn the way the half that opened it faces, and "Take it with you" shows a QR code a phone
reads from the screen, gone with the wipe.  Driven by touches over fake engines, headless."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PIL import Image

from kiosk.config import load_settings
from kiosk.pipeline import events as ev
from tests.support import ui

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

KANA = re.compile(r"[\u3040-\u30ff]")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("ui-kiosk"), env={})
    app = ui.start_app(settings)
    yield app
    ui.stop_app(app)


@pytest.fixture
def app(env):
    env._apply_settings(env.settings.replace(mode="kiosk", layout="face_to_face", ptt_mode="both",
                                             text_scale=1.0, staff_language="ja"))
    ui.set_size((1280, 800))
    ui.reset(env)
    yield env
    ui.reset(env)


def shots(tmp_path) -> Path:
    return Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path)


def enter(app, code):
    assert app.sm.current == "attract"
    ui.tap(app.screen("attract"))
    ui.pump(2)
    [button] = [b for b in app.screen("start").ids.buttons.children if b.lang_code == code]
    ui.tap(button)


def talk(app, widget, pcm=b"\x00\x10" * 8000):
    touch = ui.press(widget)
    side = "visitor" if "visitor" in app.session.active_turns else "staff"
    tid = app.session.active_turns[side]
    app.session.conversation.push_audio(tid, pcm)
    assert ui.wait_for(lambda: app.model.turns[tid].partial or app.model.turns[tid].finished)
    app.clock.advance(1.0)
    ui.release(touch)
    assert ui.wait_for(lambda: app.model.turns[tid].finished)
    ui.pump(3)
    return app.model.turns[tid]


def decode_screen(app, path: Path) -> str:
    """Read the QR code off a screenshot of the whole window, as a phone camera would."""
    import zxingcpp

    ui.screenshot(app, path)
    found = zxingcpp.read_barcodes(Image.open(path), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1
    return found[0].text


def test_kiosk_mode_faces_the_visitor_upright_in_their_language(app, tmp_path):
    from kiosk.ui.screens.common import Flipped

    enter(app, "zh")
    assert app.sm.current == "visitor"
    screen = app.screen("visitor")
    panel = screen.panel()
    assert not [w for w in screen.walk(restrict=True) if isinstance(w, Flipped)]  # nothing upside down
    shown = "\n".join(ui.all_texts(screen))
    assert not KANA.search(shown), shown  # no Japanese staff controls, no Japanese at all yet
    assert panel.ids.heading.text == app.t("kiosk_hint", "zh")
    turn = talk(app, panel.ids.ptt)
    assert (turn.side, turn.source, turn.target, turn.status) == ("visitor", "zh", "ja", "done")
    mark = ("✓\u00a0" + app.t("verified_phrase", "zh")) if turn.verified else app.t("machine_translation", "zh")
    assert panel.ids.main.text == turn.text and panel.ids.heading.text == "您说的是  ·  " + mark  # as at a counter
    assert panel.ids.staff_line.text == f"日本語: {turn.translation}"  # the one small line for staff
    assert ("ja", turn.translation) in app.engines.tts.spoken  # said aloud in Japanese
    ui.screenshot(app, shots(tmp_path) / "kiosk_conversation_zh.png")


def test_kiosk_phrasebook_lists_tourism_first_and_speaks_a_verified_phrase(app):
    enter(app, "en")
    panel = app.screen("visitor").panel()
    ui.tap(panel.ids.phrasebook)
    assert panel.mode == "phrases"
    topics = [b for b in reversed(panel.ids.phrase_list.children)]
    assert topics[0].text in [name for tid, name in app.phrasebook.topics("en", "visitor", "kiosk")
                              if tid.startswith("tourism_")]
    ui.tap(topics[0])
    ui.pump(2)
    first = [b for b in reversed(panel.ids.phrase_list.children)][1:]  # after "back"
    ui.tap(next(b for b in first if "[" not in b.text))  # one without blanks to fill in
    assert panel.mode == "talk"
    assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
    ui.pump(2)
    turn = app.model.latest()
    assert (turn.input_kind, turn.verified, turn.status) == ("phrasebook", True, "done")
    assert panel.ids.main.text == turn.text and panel.ids.staff_line.text == f"日本語: {turn.translation}"
    assert panel.ids.heading.text == "You said  ·  ✓\u00a0Verified phrase"


def test_kiosk_faq_is_upright_tourism_first_and_back_returns_to_the_visitor_screen(app):
    enter(app, "vi")
    ui.tap(app.screen("visitor").panel().ids.faq)
    faq = app.screen("faq")
    assert app.sm.current == "faq" and not faq.flipped and faq.lang == "vi"
    first = list(reversed(faq.ids.faq_items.children))[0]
    tourism = {a.id for a in app.phrasebook.content.faq if a.topic.startswith("tourism_")}
    assert first.text in [q for i, q, _ in app.phrasebook.faq("vi", "kiosk") if i in tourism]
    ui.tap(faq.ids.back)
    assert app.sm.current == "visitor"


def test_take_it_with_you_shows_a_code_a_phone_reads_and_finish_drops_it(app, tmp_path):
    enter(app, "ko")
    panel = app.screen("visitor").panel()
    assert not panel.can_take_away  # nothing said yet
    first = talk(app, panel.ids.ptt)
    app.session.submit_text("staff", "トイレは2階です。")  # a staff member answers at the kiosk
    assert ui.wait_for(lambda: app.model.latest().side == "staff" and app.model.latest().finished)
    ui.pump(2)
    ui.tap(panel.ids.finish)
    assert panel.mode == "finish" and panel.can_take_away
    ui.tap(panel.ids.finish_box.ids.take_away)
    overlay = app.takeaway
    assert overlay.parent is app.root and overlay.texture is not None and not overlay.flipped
    text = decode_screen(app, tmp_path / "kiosk_takeaway_ko.png")
    assert text.splitlines()[0] == "창구에서의 대화 / 窓口での会話"
    assert f"나: {first.text}" in text and f"  {first.translation}" in text and "  トイレは2階です。" in text
    if os.environ.get("KIOSK_UI_ARTIFACTS"):
        ui.screenshot(app, shots(tmp_path) / "kiosk_takeaway_ko.png")
    ui.tap(overlay.ids.close)
    assert overlay.parent is None and overlay.texture is None
    ui.tap(panel.ids.finish_box.ids.end_now)
    assert app.sm.current == "attract" and app.model.turns == {}
    assert first.text not in "\n".join(ui.all_texts(app.root))
    for path in app.settings.data_dir.rglob("*"):  # the code's text reached no file of the app
        if path.is_file():
            assert first.text.encode("utf-8") not in path.read_bytes(), path


def test_a_wipe_closes_an_open_code(app):
    enter(app, "en")
    talk(app, app.screen("visitor").panel().ids.ptt)
    app.show_takeaway()
    assert app.takeaway.parent is not None
    app.clock.advance(app.settings.idle_timeout_s + app.settings.idle_warning_s + 1)  # the visitor walked away
    assert ui.wait_for(lambda: app.sm.current == "attract")
    assert app.takeaway.parent is None and app.takeaway.texture is None


def test_counter_mode_faq_and_code_face_the_half_that_asked(app, tmp_path):
    app._apply_settings(app.settings.replace(mode="counter"))
    ui.reset(app)
    [button] = [b for b in app.screen("start").ids.buttons.children if b.lang_code == "vi"]
    ui.tap(button)
    halves = app.screen("conversation").halves()
    visitor = halves["visitor"]
    ui.tap(visitor.ids.faq)
    assert app.sm.current == "faq" and app.screen("faq").flipped  # upside down, like the visitor's half
    ui.screenshot(app, shots(tmp_path) / "counter_faq_from_visitor_vi.png")
    ui.tap(app.screen("faq").ids.back)
    assert app.sm.current == "conversation"
    turn = talk(app, visitor.ids.ptt)
    ui.tap(visitor.ids.finish)
    [question] = visitor.ids.body.children
    ui.tap(question.ids.take_away)
    assert app.takeaway.flipped
    assert turn.text in decode_screen(app, tmp_path / "counter_takeaway_vi.png")  # read upside down too
    app.takeaway.close()
    ui.tap(question.ids.keep_talking)
    assert visitor.ids.body.children == [visitor.talk] and app.model.turns
    app._apply_settings(app.settings.replace(layout="side_by_side"))
    ui.pump(4)
    ui.tap(visitor.ids.faq)
    assert app.sm.current == "faq" and not app.screen("faq").flipped  # side by side: both halves upright


def test_a_long_conversation_says_on_screen_how_many_lines_the_code_leaves_out(app, tmp_path):
    enter(app, "en")
    for i in range(40):  # as the pipeline reports finished turns
        tid = f"long{i}"
        said = f"Where can I leave my big suitcase for the day? ({i})"
        heard = f"大きいスーツケースはどこに預けられますか。({i})"
        for e in (ev.TurnStarted(tid, 0.0, "s", "visitor", "en", "ja", "typed"),
                  ev.FinalText(tid, 0.1, said, 1.0, 0.0),
                  ev.TranslationReady(tid, 0.2, heard, ("en", "ja"), 0.0, False, True, (), (), 0.1),
                  ev.TurnFinished(tid, 0.3)):
            app.model.apply(e)
    app.show_takeaway()
    overlay = app.takeaway
    assert overlay.note.endswith("earlier lines are not included (the code is full).")
    left_out = int(overlay.note.split()[0])
    assert 0 < left_out < 40 and overlay.ids.note.text == "⚠ " + overlay.note
    text = decode_screen(app, shots(tmp_path) / "kiosk_takeaway_long_en.png")
    assert text.splitlines()[1] == overlay.note and text.endswith("(39)")


def test_kiosk_visitor_types_on_the_on_screen_keyboard_without_a_microphone(app, tmp_path):
    """An unattended kiosk has no hardware keyboard: "Type" (and push-to-talk without a microphone, which
    then says "Type") opens the entry box and the on-screen keyboard; the sentence is sent as a turn."""
    enter(app, "vi")
    panel = app.screen("visitor").panel()
    app.has_microphone = False
    try:
        ui.pump(2)
        assert panel.ids.ptt.text == app.t("type", "vi")
        ui.tap(panel.ids.ptt)
        assert panel.typing and app.session.active_turns == {}  # the keyboard, not a failing turn
        assert panel.onscreen.get_root_window() is not None and panel.onscreen.model.layout == "vi"
        for label in ["⇧", "V", "i", "ê", "t", "ạ"]:  # the keys are drawn again after shift
            [key] = [k for k in panel.onscreen.walk(restrict=True) if getattr(k, "key", None) == label]
            ui.tap(key)
        assert panel.ids.entry.text == "Việt"
        for key in (k for k in panel.onscreen.walk(restrict=True) if hasattr(k, "key")):
            assert key.height >= 48 and key.width >= 40, key.text
        ui.screenshot(app, shots(tmp_path) / "kiosk_onscreen_keyboard_vi.png")
        ui.tap(panel.ids.send)
        assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
        assert app.model.latest().text == "Việt" and not panel.typing
        assert panel.onscreen.parent is None and panel.ids.ptt.get_root_window() is not None  # back to talking
        ui.tap(panel.ids.keyboard)  # the header's "Type" opens the same keyboard, "×" closes it
        assert panel.typing and panel.onscreen.get_root_window() is not None and panel.onscreen.model.text == ""
        ui.tap(panel.ids.phrasebook)  # phrases replace the keyboard
        assert not panel.typing and panel.onscreen.parent is None and panel.mode == "phrases"
    finally:
        app.has_microphone = True
