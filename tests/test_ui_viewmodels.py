"""The UI's decisions, without Kivy: idle, PIN + lock-out, push-to-talk, what each half shows."""

from __future__ import annotations

from pathlib import Path

import pytest

import kiosk.ui
from kiosk.engines.fakes import FakeTextToSpeech
from kiosk.errors import KioskError
from kiosk.packs.coverage import MISSING
from kiosk.pin import PinStore, hash_pin, verify_pin
from kiosk.pipeline import events as ev
from kiosk.ui.viewmodels import admin
from kiosk.ui.viewmodels.conversation import ConversationModel
from kiosk.ui.viewmodels.idle import attract_index, idle_status, idle_timeout
from kiosk.ui.viewmodels.ptt import PushToTalk
from tests.support.ui import FakeClock


def test_view_models_and_entry_point_do_not_import_kivy():
    root = Path(kiosk.ui.__file__).parent
    files = list((root / "viewmodels").glob("*.py")) + [root / "launch.py", root / "theme.py"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        top_level = [line for line in text.splitlines() if line.startswith(("import kivy", "from kivy"))]
        assert top_level == [], path.name
        if path.parent.name == "viewmodels":
            assert "kivy" not in text.replace("Kivy", ""), path.name


# ------------------------------------------------------------------ idle
def test_idle_phases_follow_the_clock(settings):
    s = settings.replace(idle_timeout_s=90, idle_warning_s=30)
    assert idle_status(100.0, 100.0, s).phase == "active"
    assert idle_status(100.0, 189.9, s).phase == "active"
    w = idle_status(100.0, 190.0, s)
    assert (w.phase, w.seconds_left) == ("warning", 30)
    assert idle_status(100.0, 219.5, s).seconds_left == 1
    assert idle_status(100.0, 220.0, s).phase == "reset"
    assert idle_status(100.0, 50.0, s).phase == "active"  # clock before the touch: not idle


def test_which_screens_time_out_in_each_mode(settings):
    kiosk = settings.replace(mode="kiosk", idle_timeout_s=90)
    assert [idle_timeout(kiosk, n) for n in ("attract", "start", "conversation", "faq", "admin")] == [
        None,
        90,
        90,
        90,
        None,
    ]
    assert idle_timeout(kiosk, "visitor") == 90  # the kiosk-mode visitor screen
    counter = settings.replace(mode="counter", counter_idle_timeout_s=600)
    assert [idle_timeout(counter, n) for n in ("start", "conversation", "admin")] == [None, 600, None]
    assert idle_timeout(counter.replace(counter_idle_timeout_s=0), "conversation") is None
    # a forgotten counter conversation: warning after 600 s, wiped 30 s later
    assert idle_status(0.0, 599.0, counter, 600).phase == "active"
    assert idle_status(0.0, 600.0, counter, 600).phase == "warning"
    assert idle_status(0.0, 630.0, counter, 600).phase == "reset"


def test_attract_cycles_through_languages():
    assert [attract_index(t, 5, period_s=4) for t in (0, 3.9, 4, 8, 19.9, 20)] == [0, 0, 1, 2, 4, 0]
    assert attract_index(10, 0) == 0


# ------------------------------------------------------------------- PIN (kiosk.pin; more in test_robust_pin.py)
def test_pin_hash_is_salted_and_verifies():
    a, b = hash_pin("480719"), hash_pin("480719")
    assert a != b and a.startswith("scrypt$")
    assert verify_pin("480719", a) and not verify_pin("480718", a)
    assert not verify_pin("480719", "garbage") and not verify_pin("480719", "md5$x$y$z$aa$bb")


def test_pin_lock_out_after_five_failures_then_time_unlocks(tmp_path):
    clock = FakeClock()
    store = PinStore(tmp_path, clock)
    store.set_pin("480719")
    for tries_left in (4, 3, 2, 1):
        with pytest.raises(KioskError) as exc:
            store.check("111111")
        assert (exc.value.code, exc.value.message) == (
            "admin.bad_pin", f"Wrong PIN. {tries_left} tries left before a lock-out.")
    with pytest.raises(KioskError) as exc:
        store.check("111111")
    assert (exc.value.code, exc.value.message) == ("admin.pin_locked", "Too many wrong PINs. Try again in 300 seconds.")
    clock.advance(100)
    with pytest.raises(KioskError) as exc:  # even the right PIN is refused while locked
        store.check("480719")
    assert exc.value.message == "Too many wrong PINs. Try again in 200 seconds."
    clock.advance(200)
    store.check("480719")  # unlocked
    assert store.tries_left() == 5


# ---------------------------------------------------------- push-to-talk
def test_hold_mode_talks_while_pressed():
    p = PushToTalk("hold")
    assert p.press(0.0) == "start" and p.release(0.1) == "stop"
    assert p.press(1.0) == "start" and p.release(5.0) == "stop"


def test_tap_mode_toggles():
    p = PushToTalk("tap")
    assert p.press(0.0) == "start" and p.release(2.0) is None
    assert p.press(3.0) == "stop" and p.release(3.1) is None


def test_both_mode_long_press_is_hold_short_press_is_tap():
    p = PushToTalk("both", hold_threshold_s=0.6)
    assert p.press(0.0) == "start" and p.release(1.0) == "stop"
    assert p.press(2.0) == "start" and p.release(2.1) is None and p.listening
    assert p.press(4.0) == "stop" and p.release(4.1) is None and not p.listening


# ---------------------------------------------------------- conversation
def _turn(model, tid="t1", side="visitor", src="vi", dst="ja", sure=True):
    for e in (ev.TurnStarted(tid, 0, "s1", side, src, dst, "speech"), ev.Listening(tid, 0),
              ev.AudioLevel(tid, 0, 0.5), ev.PartialText(tid, 0, "Tôi muốn"),
              ev.FinalText(tid, 0, "Tôi muốn lấy giấy", 0.9, 0.1),
              ev.TranslationReady(tid, 0, "証明書がほしい", ("vi", "ja"), -0.2, False, sure,
                                  () if sure else ("low_mt_score",), (), 0.1),
              ev.BackTranslationReady(tid, 0, "Tôi muốn giấy chứng nhận", 0.1),
              ev.SpeechStarted(tid, 0, dst, 0.1), ev.SpeechFinished(tid, 0, 0.1), ev.TurnFinished(tid, 0)):
        model.apply(e)


def test_speaker_sees_what_was_heard_and_the_back_translation_listener_sees_translation():
    m = ConversationModel("ja", "vi")
    m.apply(ev.TurnStarted("t1", 0, "s1", "visitor", "vi", "ja", "speech"))
    m.apply(ev.PartialText("t1", 0, "Tôi muốn"))
    p = m.panel("visitor")
    assert (p.role, p.status, p.partial) == ("speaker", "listening", "Tôi muốn")
    assert m.panel("staff").translation == ""
    _turn(m)
    v, s = m.panel("visitor"), m.panel("staff")
    assert (v.role, v.said, v.back_translation, v.can_edit) == ("speaker", "Tôi muốn lấy giấy", "Tôi muốn giấy chứng "
                                                                                                "nhận", True)
    assert (s.role, s.translation, s.can_feedback) == ("listener", "証明書がほしい", True)
    assert [h.text for h in s.history] == ["証明書がほしい"] and [h.text for h in v.history] == ["Tôi muốn lấy giấy"]
    m.feedback("t1", "understood")
    assert not m.panel("staff").can_feedback and m.panel("visitor").feedback == "understood"


def test_not_sure_is_carried_to_both_halves_and_wipe_forgets_everything():
    m = ConversationModel("ja", "vi")
    _turn(m, sure=False)
    assert not m.panel("staff").sure and m.panel("staff").reasons == ("low_mt_score",)
    assert m.turns
    m.wipe()
    assert m.turns == {} and m.panel("staff").role == "idle" and m.panel("visitor").history == ()


def test_failed_and_edited_turns():
    m = ConversationModel("ja", "en")
    m.apply(ev.TurnStarted("t1", 0, "s1", "staff", "ja", "en", "speech"))
    m.apply(ev.TurnFailed("t1", 0, "audio.nothing_heard", "Nothing heard.", "recognise"))
    assert (m.panel("staff").status, m.panel("staff").error_code) == ("failed", "audio.nothing_heard")
    _turn(m, "t2", "staff", "ja", "en")
    m.hide("t2")
    assert m.panel("staff").turn_id == "t1" and m.panel("en" and "visitor").history == ()


def test_a_translation_stands_when_only_the_voice_fails():
    m = ConversationModel("ja", "vi")
    m.apply(ev.TurnStarted("t1", 0, "s1", "staff", "ja", "vi", "typed"))
    m.apply(ev.FinalText("t1", 0, "お待ちください", 1.0, 0.0))
    m.apply(ev.TranslationReady("t1", 0, "Vui lòng đợi", ("ja", "vi"), -0.1, True, True, (), (), 0.1))
    m.apply(ev.TurnFailed("t1", 0, "audio.no_device", "No audio output device.", "speak"))
    v = m.panel("visitor")
    assert (v.status, v.translation, v.not_spoken, v.can_feedback) == ("done", "Vui lòng đợi", True, True)
    assert [h.text for h in v.history] == ["Vui lòng đợi"]
    m.apply(ev.TurnStarted("t2", 0, "s1", "staff", "ja", "vi", "speech"))
    m.apply(ev.TurnFailed("t2", 0, "audio.no_device", "No microphone.", "listen"))
    assert (m.panel("staff").status, m.panel("staff").not_spoken) == ("failed", False)


def test_events_for_unknown_turns_are_ignored():
    m = ConversationModel()
    assert m.apply(ev.PartialText("nope", 0, "x")) is None and m.turns == {}


# ----------------------------------------------------------------- admin
def test_admin_steppers_clamp_and_validate(settings):
    s = settings.replace(idle_warning_s=20)
    assert admin.step(s, "idle_warning_s", -1).idle_warning_s == 20  # never below 20 s (WCAG 2.2.1)
    assert admin.step(s, "idle_warning_s", 1).idle_warning_s == 25
    assert admin.step(settings.replace(text_scale=1.0), "text_scale", 1).text_scale == 1.1
    assert admin.choose(settings, "layout", "side_by_side").layout == "side_by_side"
    with pytest.raises(ValueError):
        admin.choose(settings, "layout", "sideways")
    one = settings.replace(languages=("vi",))
    assert admin.toggle_language(one, "vi").languages == ("vi",)  # the last one stays
    assert admin.toggle_language(one, "ko").languages == ("vi", "ko")


def test_admin_pack_overview_takes_voices_from_the_running_engine(settings):
    overview = admin.pack_overview(settings.replace(languages=("ja", "vi")), FakeTextToSpeech(["ja", "ko"]))
    assert overview.coverage.languages == ("ja", "en", "vi", "zh", "ko")  # all five, not only those offered
    assert overview.coverage.tts == {"ja": True, "en": False, "vi": False, "zh": False, "ko": True}
    assert [p.id for p in overview.installed if not p.system] == []
    assert overview.coverage.route("ja", "vi") == MISSING
    assert admin.pack_overview(settings, None).coverage.tts == dict.fromkeys(
        ("ja", "en", "vi", "zh", "ko"), True
    )  # espeak-ng
