"""The Kivy app, headless (SDL offscreen), driven by simulated touches over fake engines.

One app per process (Kivy has one Window): a module-scoped fixture builds it in a temp
data dir; each test starts from the language-pick screen.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

import kiosk.engines.factory as factory
from kiosk.config import load_settings
from kiosk.just_speak import JustSpeak
from kiosk.pin import PinStore, verify_pin
from kiosk.pipeline import events as ev
from kiosk.stats import StatsRecorder, open_store
from kiosk.ui.fonts import font_for
from tests.support import ui
from tests.support.tiny_argos import build_argos_pack
from tests.support.tiny_vosk import write_sha256

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    data = tmp_path_factory.mktemp("ui-data")
    settings = load_settings(data, env={})
    clock = ui.FakeClock()
    engines = ui.fake_engines()
    app = ui.start_app(settings, engines=engines, clock=clock)
    yield app, clock, engines
    ui.stop_app(app)


@pytest.fixture
def app(env):
    app, clock, engines = env
    app._apply_settings(app.settings.replace(mode="counter", layout="face_to_face", ptt_mode="both",
                                             text_scale=1.0, staff_language="ja"))
    engines.translator.score = -0.3
    ui.set_size((1280, 800))
    ui.reset(app)
    assert app.sm.current == "start"
    yield app
    ui.reset(app)


def clock_of(app):
    return app.clock


def pick(app, code):
    ui.pump(2)
    [button] = [b for b in app.screen("start").ids.buttons.children if b.lang_code == code]
    ui.tap(button)
    assert app.sm.current == ("visitor" if app.settings.mode == "kiosk" else "conversation")


def halves(app):
    h = app.screen("conversation").halves()
    return h["staff"], h["visitor"]


def speak(app, half, pcm=b"\x00\x10" * 8000):
    """Hold push-to-talk on ``half`` for a second of (fake) speech."""
    touch = ui.press(half.ids.ptt)
    tid = app.session.active_turns[half.side]
    app.session.conversation.push_audio(tid, pcm)
    assert ui.wait_for(
        lambda: tid in app.model.turns and (app.model.turns[tid].partial or app.model.turns[tid].finished)
    )
    app.clock.advance(1.0)  # held longer than a tap
    ui.release(touch)
    assert ui.wait_for(lambda tid=tid: app.model.turns[tid].finished)
    ui.pump(3)
    return app.model.turns[tid]


def test_language_pick_talk_understood_finish_wipes(app):
    pick(app, "vi")
    staff, visitor = halves(app)
    assert app.visitor_language == "vi" and visitor.lang == "vi" and staff.lang == "ja"
    assert ui.buttons(visitor, "Kết thúc") and ui.buttons(staff, "終了")  # each half in its own language

    turn = speak(app, visitor)
    assert turn.status == "done" and turn.text == ui.SAMPLE_TEXT["vi"]
    assert turn.translation and turn.back_translation
    # speaker's half: what was heard + what the other will read; listener's half: the translation
    assert visitor.ids.main.text == turn.text and visitor.ids.sub.text == turn.back_translation
    assert visitor.ids.sub_heading.text == app.t("they_will_read", "vi")
    assert staff.ids.main.text == turn.translation and staff.ids.heading.text.startswith("相手の発言  ·  ")
    mark = ("✓\u00a0" + app.t("verified_phrase", "ja")) if turn.verified else app.t("machine_translation", "ja")
    assert staff.ids.heading.text.endswith(mark)  # the clerk sees which is which
    assert ("ja", turn.translation) in app.engines.tts.spoken
    assert any(turn.translation in t for t in ui.all_texts(staff.ids.history))
    assert turn.glossary_ids == ("juminhyo",)  # a glossary card beside the translation
    assert staff.ids.sub_heading.text == app.t("glossary", "ja") and staff.ids.sub.text.startswith("住民票 = ")

    [understood] = ui.buttons(staff, app.t("understood", "ja"))
    ui.tap(understood)
    assert turn.feedback == "understood"
    assert any(app.t("they_understood", "vi") in t for t in ui.all_texts(visitor))

    [finish] = ui.buttons(visitor, "■ Kết thúc")
    ui.tap(finish)  # the visitor's Finish asks first, in their language
    assert app.sm.current == "conversation" and app.model.turns
    [question] = [w for w in visitor.ids.body.children]
    assert question.lang == "vi" and not question.ids.take_away.disabled
    ui.tap(question.ids.end_now)
    assert app.sm.current == "start"
    shown = "\n".join(ui.all_texts(app.root))
    for secret in (turn.text, turn.translation, turn.back_translation):
        assert secret not in shown
    assert app.model.turns == {}


def test_tap_mode_and_level_meter(app):
    app._apply_settings(app.settings.replace(ptt_mode="tap"))
    pick(app, "en")
    staff, _ = halves(app)
    assert staff.ids.ptt.text == app.t("ptt_tap", "ja")
    ui.tap(staff.ids.ptt)  # tap: starts
    tid = app.session.active_turns["staff"]
    assert staff.ids.ptt.listening and staff.ids.ptt.text == app.t("stop_tap", "ja")
    app.session.conversation.push_audio(tid, b"\x00\x40" * 8000)
    assert ui.wait_for(lambda: tid in app.model.turns and staff.ids.main.text == app.model.turns[tid].partial != "")
    assert staff.ids.ptt.level > 0.3  # the live level meter
    visitor = halves(app)[1]
    assert app.t("they_are_speaking", "en") in visitor.ids.heading.text
    ui.tap(staff.ids.ptt)  # tap again: stops
    assert ui.wait_for(lambda: app.model.turns[tid].status == "done")
    ui.pump(2)
    assert not staff.ids.ptt.listening and staff.ids.main.text == ui.SAMPLE_TEXT["ja"]


def test_keyboard_input_on_the_visitor_half_and_edit(app):
    pick(app, "ko")
    staff, visitor = halves(app)
    [kb] = ui.buttons(visitor, app.t("type", "ko"))
    ui.tap(kb)
    assert visitor.typing and visitor.entry.get_root_window() is not None
    visitor.entry.text = "화장실은 어디예요"
    ui.tap(visitor.ids.send)
    assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().status == "done")
    ui.pump(2)
    first = app.model.latest()
    assert first.input_kind == "typed" and staff.ids.main.text == first.translation

    [edit] = ui.buttons(visitor, app.t("edit", "ko"))
    ui.tap(edit)
    assert visitor.typing and visitor.entry.text == "화장실은 어디예요"
    visitor.entry.text = "엘리베이터는 어디예요"
    ui.tap(visitor.ids.send)
    assert ui.wait_for(lambda: app.model.latest().turn_id != first.turn_id and app.model.latest().status == "done")
    ui.pump(2)
    assert first.translation not in "\n".join(ui.all_texts(staff))  # the withdrawn turn is gone
    assert visitor.ids.main.text == "엘리베이터는 어디예요"
    ui.tap(visitor.ids.keyboard)
    visitor.entry.text = "아직 보내지 않은 글"  # typed, not sent
    ui.tap(visitor.ids.finish)
    ui.tap(visitor.ids.body.children[0].ids.end_now)  # "End the conversation?" → End
    assert app.sm.current == "start" and not visitor.typing and visitor.entry.text == ""
    from kivy.cache import Cache

    assert not visitor.entry._undo and not visitor.entry._redo  # nothing typed kept in memory
    assert not Cache._objects.get("textinput.label") and not Cache._objects.get("textinput.width")
    shown = "\n".join(ui.all_texts(app.root))
    assert "엘리베이터" not in shown and "화장실" not in shown


def test_kiosk_window_cannot_be_closed_without_the_staff_screen(app):
    assert app._request_close() is False  # counter mode: closing is allowed
    app._apply_settings(app.settings.replace(mode="kiosk"))
    assert app._request_close() is True


def test_not_sure_is_shown_in_words_and_offers_the_phrasebook(app):
    app.engines.translator.score = -4.0  # below Settings.min_mt_score
    pick(app, "zh")
    staff, visitor = halves(app)
    ui.tap(visitor.ids.keyboard)
    visitor.entry.text = "那个蓝色的东西坏了"  # not a phrasebook sentence: machine translation
    ui.tap(visitor.ids.send)
    assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
    ui.pump(2)
    turn = app.model.latest()
    assert not turn.sure and not turn.verified
    for half in (staff, visitor):
        assert half.ids.warning.text.startswith("⚠\u00a0") and app.t("not_sure", half.lang) in half.ids.warning.text
        assert half.warning_row.parent is half.ids.card.__self__ and half.warning_row.height >= 48
    ui.tap(staff.ids.warning_phrasebook)
    assert staff.browsing and staff.phrase_scroll.get_root_window() is not None


def test_phrasebook_phrase_is_spoken_as_verified_translation(app):
    if not app.phrasebook.topics("ja", "staff"):
        pytest.skip("no phrasebook content loaded")
    pick(app, "vi")
    staff, visitor = halves(app)
    ui.tap(staff.ids.phrasebook)
    topic = [b for b in staff.phrase_list.children if hasattr(b, "text")][-1]  # first topic
    ui.tap(topic)
    phrase = [b for b in staff.phrase_list.children][-2]  # first phrase (after "back")
    ui.tap(phrase)
    assert not staff.browsing
    assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
    ui.pump(2)
    turn = app.model.latest()
    assert (turn.status, turn.input_kind, turn.verified) == ("done", "phrasebook", True)
    phrase = app.phrasebook.content.phrase(turn.phrase_id)
    assert turn.text == phrase.text("ja") and turn.translation == phrase.text("vi")
    assert visitor.ids.main.text == turn.translation and staff.ids.main.text == turn.text


def test_phrase_with_a_blank_is_filled_in_then_said(app, tmp_path):
    """{place} is not in site.toml: staff type it in a field, see the sentence, and say it."""
    pick(app, "vi")
    staff, visitor = halves(app)
    ui.tap(staff.ids.phrasebook)
    [topic] = [b for b in staff.phrase_list.children if getattr(b, "text", "") == "緊急（110・119）"]
    ui.tap(topic)
    [phrase] = [b for b in staff.phrase_list.children if getattr(b, "text", "") == "AEDは[場所]にあります。"]
    staff.phrase_scroll.scroll_to(phrase, animate=False)
    ui.pump(2)
    ui.tap(phrase)
    ui.pump(3)
    [form] = staff.phrase_list.children
    assert staff.browsing and form.preview.text == "AEDは[場所]にあります。"
    ui.tap(form.say_button)  # nothing typed: asked to fill it in, nothing said
    assert form.error.text.endswith(app.t("error_content_bad_fill", "ja")) and app.model.latest() is None
    form.fields["place"].text = "2階ロビー"
    ui.pump(1)
    assert form.preview.text == "AEDは2階ロビーにあります。"
    ui.screenshot(app, Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path) / "phrase_fill_ja.png")
    ui.tap(form.say_button)
    assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
    ui.pump(2)
    turn = app.model.latest()
    assert (turn.status, turn.verified, turn.text) == ("done", True, "AEDは2階ロビーにあります。")
    assert visitor.ids.main.text == turn.translation == "Máy AED (máy khử rung tim) ở 2階ロビー."


def test_side_by_side_layout_and_portrait(app):
    app._apply_settings(app.settings.replace(layout="side_by_side"))
    pick(app, "en")
    ui.pump(3)
    staff, visitor = halves(app)
    assert not visitor.parent.flipped and visitor.to_window(*visitor.pos)[0] < staff.to_window(*staff.pos)[0]
    speak(app, staff)
    ui.set_size((800, 1280))
    app._apply_settings(app.settings.replace(layout="face_to_face"))
    ui.pump(3)
    assert visitor.parent.flipped
    for b in ui.buttons(app.screen("conversation")):
        assert b.height >= 48 and b.width >= 48, b.text


def test_engines_load_in_the_background_and_an_early_release_is_honoured(app, monkeypatch):
    gate, fakes = threading.Event(), ui.fake_engines()
    built = []

    def slow_build(settings):
        built.append(1)
        gate.wait(10)
        return fakes

    monkeypatch.setattr(factory, "build_engines", slow_build)
    old = app.session.conversation, app.session.engines
    app.session.conversation, app.session.engines = None, None
    try:
        pick(app, "en")  # the UI moves on while the engines load
        assert app.busy and app.sm.current == "conversation"
        staff, _ = halves(app)
        assert app.t("preparing", "ja") in "".join(ui.all_texts(staff))
        touch = ui.press(staff.ids.ptt)
        app.clock.advance(1.0)
        ui.release(touch)  # let go before the pipeline is ready
        gate.set()
        assert ui.wait_for(lambda: app.session.conversation is not None and not app.busy)
        assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
        assert built == [1] and app.session.active_turns == {} and app.model.session_id
        assert app.model.latest().side == "staff" and app.engines is fakes
    finally:
        if app.session.conversation is not None:
            app.session.conversation.close()
        app.session.conversation, app.session.engines = old


def test_idle_warning_then_reset_in_kiosk_mode(app):
    app._apply_settings(app.settings.replace(mode="kiosk", idle_timeout_s=60, idle_warning_s=20))
    ui.reset(app)
    assert app.sm.current == "attract"
    ui.tap(app.screen("attract"))
    assert app.sm.current == "start"
    pick(app, "vi")
    visitor = app.screen("visitor").panel()  # kiosk mode: the upright visitor-facing screen
    turn = speak(app, visitor)
    clock = app.clock
    clock.advance(59)
    ui.pump(40)
    assert app.idle_overlay.parent is None
    clock.advance(2)  # 61 s without a touch: warning, 19 s left
    assert ui.wait_for(lambda: app.idle_overlay.parent is not None)
    assert app.idle_seconds_left == 19
    assert any("19" in t for t in ui.all_texts(app.idle_overlay))
    ui.tap(ui.buttons(app.idle_overlay, app.t("idle_continue", "vi"))[-1])  # "still here"
    assert app.idle_overlay.parent is None and app.sm.current == "visitor"
    clock.advance(61)
    assert ui.wait_for(lambda: app.idle_overlay.parent is not None)
    clock.advance(20)
    assert ui.wait_for(lambda: app.sm.current == "attract")
    assert app.idle_overlay.parent is None and app.model.turns == {}
    shown = "\n".join(ui.all_texts(app.root))
    assert turn.text not in shown and turn.translation not in shown


def test_a_forgotten_counter_conversation_is_wiped(app):
    app._apply_settings(app.settings.replace(mode="counter", counter_idle_timeout_s=300, idle_warning_s=20))
    ui.reset(app)
    assert app.sm.current == "start"
    app.clock.advance(1000)  # the start screen never times out in counter mode
    ui.pump(10)
    assert app.idle_overlay.parent is None
    pick(app, "vi")
    staff, visitor = halves(app)
    turn = speak(app, visitor)
    app.clock.advance(301)
    assert ui.wait_for(lambda: app.idle_overlay.parent is not None)
    app.clock.advance(20)
    assert ui.wait_for(lambda: app.sm.current == "start")
    assert app.model.turns == {}
    shown = "\n".join(ui.all_texts(app.root))
    assert turn.text not in shown and turn.translation not in shown


def test_an_attract_touch_without_a_conversation_counts_as_a_visit(app):
    seen = ev.Recorder()
    app.session.stats = seen
    try:
        app._apply_settings(app.settings.replace(mode="kiosk", idle_timeout_s=60, idle_warning_s=20))
        ui.reset(app)
        ui.tap(app.screen("attract"))
        assert app.sm.current == "start"
        app.clock.advance(81)  # nobody picks a language: idle reset
        assert ui.wait_for(lambda: app.sm.current == "attract")
        assert [e for e in seen.events if isinstance(e, ev.VisitAbandoned)] == [ev.VisitAbandoned(mode="kiosk")]
    finally:
        app.session.stats = None


def test_pin_lock_out_then_change_default_pin(app, env):
    [staff_button] = ui.buttons(app.screen("start"), app.t("staff_button", "ja"))
    ui.tap(staff_button)
    assert app.sm.current == "pin"
    pin = app.screen("pin")
    for _ in range(4):
        ui.type_pin(app, "9999")
    assert app.sm.current == "pin" and "1" in pin.ids.message.text
    ui.type_pin(app, "9999")
    assert pin.ids.message.text == "⚠ " + app.t("pin_locked", "ja", seconds=300)
    app.session.pin = PinStore(app.settings.data_dir, app.clock)  # as after a restart: the lock-out is read back
    assert app.session.pin.seconds_locked() == 300
    ui.type_pin(app, "0000")  # right PIN, still locked
    assert app.sm.current == "pin" and "秒" in pin.ids.message.text
    app.clock.advance(301)
    ui.type_pin(app, "0000")
    assert pin.mode == "new" and pin.ids.message.text == "⚠ " + app.t("pin_change_default", "ja")
    for weak in ("0000", "2468", "123456", "111111"):  # too short, or too easy to guess
        ui.type_pin(app, weak)
        assert pin.mode == "new" and pin.ids.message.text == "⚠ " + app.t("pin_rules", "ja")
    ui.type_pin(app, "480719")
    ui.type_pin(app, "480791")
    assert pin.ids.message.text == "⚠ " + app.t("pin_mismatch", "ja")
    ui.type_pin(app, "48071953")  # 8 digits: the keypad takes up to 12
    ui.type_pin(app, "48071953")
    assert app.sm.current == "admin"
    secret = app.settings.data_dir / "admin-pin.json"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert verify_pin("48071953", json.loads(secret.read_text())["hash"])
    settings_file = app.settings.settings_path
    assert not settings_file.exists() or "admin_pin_hash" not in settings_file.read_text()


def test_admin_tabs_and_saving_settings(app):
    app.go("admin")
    admin = app.screen("admin")
    ui.pump(2)
    ui.tap(admin.ids.tab_packs)
    assert admin.tab == "packs" and ui.wait_for(lambda: app.t("speech_in", "ja") in ui.all_texts(admin.ids.content))
    ui.tap(admin.ids.tab_stats)
    assert ui.wait_for(lambda: app.t("stats_none", "ja") in ui.all_texts(admin.ids.content))
    ui.tap(admin.ids.tab_settings)
    [side] = ui.buttons(admin.ids.content, app.t("opt_side_by_side", "ja"))
    ui.tap(side)
    assert admin.ids.status.text == app.t("unsaved", "ja")
    [bigger] = [b for b in ui.buttons(admin.ids.content, "+")
                if b.parent.children[-1].text == app.t("set_text_scale", "ja")]
    admin.ids.scroll.scroll_to(bigger, animate=False)
    ui.pump(3)
    ui.tap(bigger)
    ui.tap(admin.ids.save)
    assert app.layout == "side_by_side" and load_settings(app.settings.data_dir, env={}).layout == "side_by_side"
    assert app.text_scale == 1.1 and admin.ids.save.font_size == pytest.approx(26 * 1.1)  # applies at once
    ui.tap(admin.ids.close)
    assert app.sm.current == "start"


def test_statistics_tab_shows_charts_from_a_real_store(app, tmp_path):
    store = open_store(str(tmp_path / "stats.sqlite3"))
    app.session.stats, app.session.stats_store = StatsRecorder(store), store
    try:
        for code in ("vi", "ko"):
            pick(app, code)
            speak(app, halves(app)[1])
            ui.tap(ui.buttons(halves(app)[0], app.t("finish", "ja"))[0])
            app.session.conversation.wait()
        app.go("admin")
        ui.pump(2)
        admin = app.screen("admin")
        ui.tap(admin.ids.tab_stats)
        assert ui.wait_for(lambda: any(type(w).__name__ == "Image" for w in admin.ids.content.children))
        text = "\n".join(ui.all_texts(admin.ids.content))
        assert ui.SAMPLE_TEXT["vi"] not in text  # counts only
        assert "概要" in text and "利用回数（訪問）" in text  # in the staff language (ja)
        out = Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path)
        assert ui.screenshot(app, out / "1280x800_admin_stats_with_data_ja.png").stat().st_size > 5000
        admin.ids.scroll.scroll_y = 0.3
        ui.screenshot(app, out / "1280x800_admin_stats_charts_ja.png")
    finally:
        app.session.stats.close()
        app.session.stats, app.session.stats_store = None, None
        store.close()


def test_packs_tab_installs_from_a_folder_with_progress_then_removes(app, tmp_path):
    media = tmp_path / "media"
    usb, empty = media / "usb", media / "stick"
    usb.mkdir(parents=True)
    empty.mkdir()
    (empty / "notes.txt").write_text("no packs here")
    write_sha256(build_argos_pack(usb, "ja", "en"))
    app.go("admin")
    ui.pump(2)
    admin = app.screen("admin")
    admin.mount_roots = (str(media),)  # where the sticks are mounted (/media, /mnt, /run/media on a kiosk)
    ui.tap(admin.ids.tab_packs)
    grid_text = lambda: "\n".join(ui.all_texts(admin.ids.content))  # noqa: E731
    assert ui.wait_for(lambda: app.t("speech_out", "ja") in grid_text())
    assert app.t("direct", "ja") not in grid_text()
    [stick] = ui.buttons(admin.ids.content, str(empty))
    admin.ids.scroll.scroll_to(stick, animate=False)
    ui.pump(3)
    ui.tap(stick)  # a stick without packs
    assert admin.chosen == empty
    assert ui.wait_for(lambda: ui.buttons(admin.ids.content, app.t("install", "ja")))
    [install] = ui.buttons(admin.ids.content, app.t("install", "ja"))
    admin.ids.scroll.scroll_to(install, animate=False)
    ui.pump(3)
    ui.tap(install)
    assert ui.wait_for(lambda: admin.ids.status.text.startswith("⚠"))
    assert admin.ids.status.text == "⚠ stick: " + app.t("error_pack_not_found", "ja")  # in the staff language
    assert ui.wait_for(lambda: app.t("speech_out", "ja") in grid_text())
    assert admin.message.text == "stick: " + app.t("error_pack_not_found", "ja")  # whole, wrapped
    ui.pump(3)
    message = admin.message
    assert message.texture_size[1] <= message.height and message.texture_size[0] <= message.width
    [stick] = ui.buttons(admin.ids.content, str(usb))
    admin.ids.scroll.scroll_to(stick, animate=False)
    ui.pump(3)
    ui.tap(stick)
    assert ui.wait_for(lambda: admin.chosen == usb and ui.buttons(admin.ids.content, app.t("install", "ja")))
    [install] = ui.buttons(admin.ids.content, app.t("install", "ja"))
    admin.ids.scroll.scroll_to(install, animate=False)
    ui.pump(3)
    ui.tap(install)
    assert ui.wait_for(lambda: admin.ids.status.text == "✓ " + app.t("done", "ja"), timeout=60)
    assert ui.wait_for(lambda: "● " + app.t("direct", "ja") in grid_text())  # ja→en now direct
    assert ui.wait_for(lambda: ui.buttons(admin.ids.content, app.t("verify", "ja")))
    calls, show_progress = [], admin._progress
    admin._progress = lambda done, total, label: (calls.append((done, total)), show_progress(done, total, label))
    [verify] = ui.buttons(admin.ids.content, app.t("verify", "ja"))
    admin.ids.scroll.scroll_to(verify, animate=False)  # the install row is below the matrix
    ui.pump(3)
    admin.ids.status.text = ""
    try:
        ui.tap(verify)
        assert ui.wait_for(lambda: admin.ids.status.text, timeout=60), "verify did not start"
        assert ui.wait_for(lambda: admin.ids.status.text == "✓ " + app.t("done", "ja"), timeout=60), \
            admin.ids.status.text
    finally:
        del admin._progress
    assert calls and calls[-1][0] == calls[-1][1] > 0  # the bar is fed from the worker thread
    assert admin.progress.value == 1
    assert ui.wait_for(lambda: app.t("speech_out", "ja") in grid_text())
    [remove] = [b for b in ui.buttons(admin.ids.content, app.t("remove", "ja")) if not b.disabled]
    admin.ids.scroll.scroll_to(remove, animate=False)
    ui.pump(3)
    ui.tap(remove)
    assert ui.wait_for(lambda: app.t("direct", "ja") not in grid_text(), timeout=30)


# ------------------------------------------------------------ screenshots
SCREENS = (
    "attract",
    "start",
    "conversation_listening",
    "conversation",
    "conversation_side_by_side",
    "conversation_not_sure",
    "conversation_untranslated",
    "conversation_typing",
    "phrasebook",
    "finish_question",
    "faq",
    "pin",
    "admin_settings",
    "admin_packs",
    "admin_stats",
    "idle_warning",
    "kiosk_conversation",
    "kiosk_phrasebook",
    "kiosk_takeaway",
)


UNSURE_TEXT = {"ja": "あの青いものが壊れました", "en": "The blue thing over there broke",
               "vi": "Cái màu xanh kia bị hỏng rồi", "zh": "那个蓝色的东西坏了", "ko": "저 파란 것이 고장 났어요"}


def shoot_all(app, out: Path, lang: str, size, tag: str) -> list[Path]:
    """Every screen with the app's texts in ``lang`` (visitor and staff) at ``size``."""
    ui.set_size(size)
    paths = []
    staff_lang = "ja" if lang != "ja" else "en"

    def save(name):
        paths.append(ui.screenshot(app, out / f"{tag}_{name}_{lang}.png"))
        small = [(b.text, tuple(b.size)) for b in ui.buttons(app.root) if min(b.size) < 48]
        assert small == [], f"touch targets under 48 px on {name}"

    for name in SCREENS:
        app._apply_settings(
            app.settings.replace(
                staff_language=lang if name.startswith(("admin", "pin")) else staff_lang,
                mode="kiosk" if name in ("attract", "idle_warning") or name.startswith("kiosk_") else "counter",
                layout="side_by_side" if name.endswith("side_by_side") else "face_to_face",
            )
        )
        app.engines.translator.score = -4.0 if name == "conversation_not_sure" else -0.3
        ui.reset(app)
        if name == "attract":
            app.go("attract")
            app.screen("attract").lang = lang
        elif name == "start":
            app.screen("start").lang = lang
        elif name in ("pin", "faq"):
            app.visitor_language = lang
            app.open_faq(lang) if name == "faq" else app.go("pin")
        elif name.startswith("admin"):
            app.go("admin")
            app.screen("admin").show(name.split("_")[1])
            ui.wait_for(lambda: "…" not in "".join(ui.all_texts(app.screen("admin").ids.content)))
        elif name.startswith("kiosk_"):  # kiosk mode: the upright visitor-facing screen
            ui.tap(app.screen("attract"))
            ui.pump(2)
            ui.tap(next(b for b in app.screen("start").ids.buttons.children if b.lang_code == lang))
            assert app.sm.current == "visitor"
            panel = app.screen("visitor").panel()
            speak(app, panel)
            app.session.submit_text("staff", ui.SAMPLE_TEXT[staff_lang])
            ui.wait_for(lambda: app.model.latest().side == "staff" and app.model.latest().finished)
            if name == "kiosk_phrasebook":
                ui.tap(panel.ids.phrasebook)
            elif name == "kiosk_takeaway":
                app.show_takeaway()
        else:
            if app.sm.current == "attract":
                ui.tap(app.screen("attract"))
            pick(app, lang)
            staff, visitor = halves(app)
            if name == "conversation_listening":
                speak(app, staff)
                touch = ui.press(visitor.ids.ptt)
                tid = app.session.active_turns["visitor"]
                app.session.conversation.push_audio(tid, b"\x00\x30" * 8000)
                ui.wait_for(lambda tid=tid: tid in app.model.turns and app.model.turns[tid].partial)
                ui.pump(4)
                save(name)
                app.clock.advance(1)
                ui.release(touch)
                ui.wait_for(lambda tid=tid: app.model.turns[tid].finished)
                continue
            if name == "idle_warning":
                app.clock.advance(app.settings.idle_timeout_s + 1)
                ui.wait_for(lambda: app.idle_overlay.parent is not None)
            elif name == "conversation_not_sure":
                speak(app, staff)
                app.session.submit_text("visitor", UNSURE_TEXT[lang])
                ui.wait_for(lambda: app.model.latest().side == "visitor" and app.model.latest().finished)
            elif name == "conversation_untranslated":  # no pack for the pair: the sentence stays, marked
                speak(app, staff)
                pairs, app.engines.translator.pairs = app.engines.translator.pairs, set()
                try:
                    app.session.submit_text("visitor", UNSURE_TEXT[lang])
                    ui.wait_for(lambda: app.model.latest().side == "visitor" and app.model.latest().finished)
                finally:
                    app.engines.translator.pairs = pairs
            else:
                speak(app, visitor)
                speak(app, staff)
            if name == "conversation_typing":
                ui.tap(visitor.ids.keyboard)
                visitor.entry.text = ui.SAMPLE_TEXT[lang]
            if name == "phrasebook":
                ui.tap(visitor.ids.phrasebook)
                ui.tap(staff.ids.phrasebook)
            if name == "finish_question":
                ui.tap(visitor.ids.finish)
        ui.pump(4)
        save(name)
    return paths


def test_screenshot_of_every_screen_in_every_language(app, tmp_path_factory):
    out = Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path_factory.mktemp("ui-artifacts"))
    paths = []
    for lang in ("ja", "en", "vi", "zh", "ko"):
        paths += shoot_all(app, out, lang, (1280, 800), "1280x800")
    for lang in ("vi", "zh"):
        paths += shoot_all(app, out, lang, (1920, 1200), "1920x1200")
        paths += shoot_all(app, out, lang, (800, 1280), "800x1280")
    print(f"\nUI screenshots ({len(paths)}): {out}")
    assert all(p.stat().st_size > 5000 for p in paths)
    assert len(paths) == len(SCREENS) * (5 + 4)


def test_chinese_and_korean_halves_use_their_regional_font_face(app):
    assert ui.wait_for(lambda: font_for("zh") == "KioskSans-zh" and font_for("ko") == "KioskSans-ko", timeout=60)
    pick(app, "zh")
    staff, visitor = halves(app)
    app.session.submit_text("visitor", "我想要住民票")
    assert ui.wait_for(lambda: bool(staff.ids.main.text))
    assert visitor.ids.main.label.font_name == "KioskSans-zh"
    assert staff.ids.main.label.font_name == "KioskSans"  # the Japanese half keeps the JP face
    faces = sorted(p.name for p in (app.settings.cache_dir / "fonts").iterdir())
    assert faces == ["NotoSansCJK-ko-Bold.otf", "NotoSansCJK-ko-Regular.otf",
                     "NotoSansCJK-zh-Bold.otf", "NotoSansCJK-zh-Regular.otf"]


class _Ranked:
    """Stands in for Whisper's language identification (the real one is tested in test_just_speak.py)."""

    def __init__(self, ranked):
        self.ranked = ranked

    def detect_languages(self, pcm, enabled, max_seconds=3.0):
        return [(lang, p) for lang, p in self.ranked if lang in enabled]


class _OneChunkMic:
    def __init__(self, callback):
        self.callback = callback

    def start(self):
        self.callback(b"\x01\x00" * 8000)
        return self

    def stop(self):
        pass


def _just_speak(app, ranked, screen="start"):
    real = app.just_speak
    app.just_speak = JustSpeak(lambda: _Ranked(ranked), _OneChunkMic, lambda task, _name: task(), ui_call_soon)
    app.just_speak_popup = None
    try:
        touch = ui.press(app.screen(screen).ids.just_speak)
        ui.release(touch)
        assert ui.wait_for(lambda: app.just_speak_popup is not None)
        ui.pump(2)
        return app.just_speak_popup
    finally:
        app.just_speak = real


def ui_call_soon(task):
    from kiosk.ui.kivy_app import call_soon

    call_soon(task)


def test_just_speak_confirms_in_the_detected_language(app):
    assert app.screen("start").ids.just_speak.text == app.t("just_speak_button", app.screen("start").lang)
    popup = _just_speak(app, [("vi", 0.95), ("en", 0.05)])
    assert popup.view.question == "Có phải Tiếng Việt không?"
    [yes] = ui.buttons(popup, "Đúng")
    assert ui.buttons(popup, "Chọn ngôn ngữ khác")
    ui.tap(yes)
    assert ui.wait_for(lambda: app.sm.current == "conversation" and app.visitor_language == "vi")


def test_just_speak_offers_the_two_most_likely_when_unsure(app):
    popup = _just_speak(app, [("ko", 0.55), ("zh", 0.40), ("vi", 0.05)])  # ja: the staff's, not offered
    assert popup.view.question == "어느 언어인가요?"
    assert ui.buttons(popup, "한국어") and ui.buttons(popup, "中文") and not ui.buttons(popup, "Tiếng Việt")
    [other] = ui.buttons(popup, "다른 언어 선택")
    ui.tap(other)
    ui.pump(3)
    assert app.sm.current == "start"


def test_just_speak_on_the_attract_screen(app):
    app._apply_settings(app.settings.replace(mode="kiosk"))
    app.go("attract")
    ui.pump(2)
    popup = _just_speak(app, [("en", 0.9), ("vi", 0.1)], screen="attract")
    assert app.sm.current == "attract" and popup.view.question == "Is it English?"
    ui.tap(ui.buttons(popup, "Choose another")[0])
    assert ui.wait_for(lambda: app.sm.current == "start")
