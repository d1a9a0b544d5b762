"""What each half says, from event streams recorded from the real pipeline (fake engines), without
Kivy: a sentence with no translation route stays with its speaker, marked and editable, with the
closest verified phrases; staff are told how to fix it, the visitor is never told to try again;
an internal failure says "try once more", then tell the staff (visitor) or use the phrasebook (staff);
no microphone is the staff's business only; "could not read aloud" is said once; verified phrase
and machine translation are marked."""

from __future__ import annotations

import pytest

from kiosk.audio import has_microphone
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from kiosk.errors import KioskError
from kiosk.pipeline import events as ev
from kiosk.pipeline.content_adapters import load_lookups
from kiosk.pipeline.conversation import Conversation
from kiosk.ui.viewmodels.conversation import ConversationModel, Words, error_key
from kiosk.ui.viewmodels.ptt import ptt_label
from kiosk.ui.viewmodels.strings import load_strings

STRINGS = load_strings()
VI_TEXT = "Cái máy in ở tầng hai bị kẹt giấy"  # not a phrasebook sentence


def words(model, side):
    """The words ``side`` shows (``Panel.text``), in its language."""
    lang = model.language(side)
    half = Words(t=lambda key, **kw: STRINGS.get(key, lang, **kw),
                 error=lambda code: STRINGS.get(error_key(code, side), lang))
    return model.panel(side, half).text


def record(settings, translator, act, tts=None, microphone_factory=None, matcher=None):
    """Run ``act(conversation)`` through the real pipeline; return the model fed with its events."""
    events = []
    engines = Engines(FakeSpeechToText({"vi": VI_TEXT, "ja": "住民票がほしいです"}), translator,
                      tts or FakeTextToSpeech())
    conv = Conversation(engines, settings, events.append, microphone_factory=microphone_factory, matcher=matcher)
    conv.start_session(mode="counter", visitor_language="vi", staff_language="ja")
    act(conv)
    conv.wait()
    conv.close()
    model = ConversationModel(staff_language="ja", visitor_language="vi")
    for event in events:
        model.apply(event)
    return model, events


def test_a_sentence_without_a_translation_route_stays_with_its_speaker(settings):
    model, events = record(settings, FakeTranslator(pairs=set()), lambda conv: conv.submit_text(
        side="visitor", source="vi", target="ja", text=VI_TEXT))
    [failed] = [e for e in events if isinstance(e, ev.TurnFailed)]
    assert failed.code == "mt.missing_direction"
    turn = model.latest()
    assert turn.status == "untranslated" and turn.finished
    model.suggest(turn.turn_id, [("certificates.want_juminhyo",
                                  {"vi": "Tôi muốn lấy giấy chứng nhận cư trú.", "ja": "住民票がほしいです。"})])
    visitor, staff = model.panel("visitor"), model.panel("staff")
    assert (visitor.role, visitor.said, visitor.can_edit) == ("speaker", VI_TEXT, True)  # kept, editable
    assert [(s.phrase_id, s.mine, s.theirs) for s in visitor.suggestions] == [
        ("certificates.want_juminhyo", "Tôi muốn lấy giấy chứng nhận cư trú.", "住民票がほしいです。")]
    assert model.history("visitor")[-1].untranslated and model.history("visitor")[-1].text == VI_TEXT
    v = words(model, "visitor")
    assert v.heading == "⚠\u00a0" + STRINGS.get("not_translated", "vi") and v.main == VI_TEXT
    assert v.sub_heading == STRINGS.get("closest_phrases", "vi")
    shown = " ".join((v.heading, v.main, v.sub, v.warning))
    assert STRINGS.get("try_again", "vi") not in shown and STRINGS.get("error_mt_missing_direction", "vi") not in shown
    s = words(model, "staff")
    assert staff.original == VI_TEXT and s.main == VI_TEXT
    assert s.warning == "⚠\u00a0" + STRINGS.get("staff_no_mt", "ja", pair="Tiếng\u00a0Việt\u00a0→\u00a0日本語")
    assert s.sub == STRINGS.get("staff_no_mt_fix", "ja") and "職員用 → 言語パック" in s.sub  # how to fix it


def test_the_staff_sentence_without_a_route_leaves_the_visitor_waiting_not_failing(settings):
    model, _ = record(settings, FakeTranslator(pairs=set()), lambda conv: conv.submit_text(
        side="staff", source="ja", target="vi", text="二階のプリンターが詰まりました"))
    v, s = words(model, "visitor"), words(model, "staff")
    assert v.heading == STRINGS.get("staff_choosing", "vi") and v.main == "" and v.warning == ""
    assert s.main == "二階のプリンターが詰まりました" and s.sub.startswith(STRINGS.get("no_closest_phrases", "ja"))
    assert s.warning.startswith("⚠\u00a0") and "日本語\u00a0→\u00a0Tiếng\u00a0Việt" in s.warning
    model.phrasebook_only = True
    assert words(model, "visitor").header_note == STRINGS.get("phrasebook_only", "vi")


def test_no_microphone_is_said_on_the_staff_side_only(settings):
    def no_mic(on_chunk):
        class Missing:
            def start(self):
                raise KioskError("audio.no_device", "No microphone was found.")
        return Missing()

    model, events = record(settings, FakeTranslator(pairs={("vi", "ja")}),
                           lambda conv: conv.start_speech(side="visitor", source="vi", target="ja"),
                           microphone_factory=no_mic)
    [failed] = [e for e in events if isinstance(e, ev.TurnFailed)]
    assert failed.code == "audio.no_device" and failed.stage == "listen"
    v, s = words(model, "visitor"), words(model, "staff")
    assert "⚠" not in v.heading + v.main and v.heading == STRINGS.get("hint_press_to_talk", "vi")
    assert s.heading.startswith("⚠") and STRINGS.get("try_again", "ja") not in s.main
    assert ptt_label("staff", "both", False, False) == "no_mic_type"
    assert ptt_label("visitor", "both", False, False) == "type"  # the visitor's button just says "Type"
    assert ptt_label("visitor", "tap", True, True) == "stop_tap"


def test_an_internal_failure_says_try_once_more_then_tell_the_staff_never_a_plain_try_again(settings):
    class Broken(FakeTranslator):
        def translate(self, text, source, target, **kw):
            raise RuntimeError("a bug")  # not a KioskError: retrying may well fail the same way

    model, events = record(settings, Broken(pairs={("vi", "ja")}), lambda conv: conv.submit_text(
        side="visitor", source="vi", target="ja", text=VI_TEXT))
    [failed] = [e for e in events if isinstance(e, ev.TurnFailed)]
    assert (failed.code, failed.stage) == ("pipeline.internal", "internal")
    assert failed.message == "Something went wrong. Try once more; if it happens again, see the log."
    v, s = words(model, "visitor"), words(model, "staff")
    assert v.heading == "⚠ " + STRINGS.get("error_pipeline_internal", "vi") and v.main == ""
    assert s.heading == "⚠ " + STRINGS.get("error_pipeline_internal_staff", "ja") and s.main == ""
    assert STRINGS.get("error_pipeline_internal", "en") == (
        "Something went wrong. Please try once more. If it happens again, please tell the staff.")
    assert STRINGS.get("error_pipeline_internal_staff", "en") == (
        "Something went wrong. Try once more. If it happens again, use the phrasebook.")


def test_has_microphone_asks_the_sound_library():
    class Devices:
        PortAudioError = OSError

        def __init__(self, inputs):
            self.inputs = inputs

        def query_devices(self, kind):
            if not self.inputs:
                raise ValueError("no input device")
            return {"name": "mic"}

    assert has_microphone(Devices(1)) is True and has_microphone(Devices(0)) is False


def test_could_not_read_aloud_is_said_once_and_sources_are_marked(settings):
    class NoVoice(FakeTextToSpeech):
        def speak(self, text, language, **kw):
            raise KioskError("tts.engine_failed", "The speech-output engine failed.")

    def two_turns(conv):
        conv.submit_text(side="visitor", source="vi", target="ja", text=VI_TEXT)
        conv.wait()
        conv.submit_text(side="visitor", source="vi", target="ja", text="Xin cảm ơn")

    model, _ = record(settings, FakeTranslator(pairs={("vi", "ja"), ("ja", "vi")}), two_turns, tts=NoVoice())
    first, second = list(model.turns.values())
    assert first.error_stage == second.error_stage == "speak" and second.status == "done"
    assert words(model, "staff").heading == "相手の発言  ·  " + STRINGS.get(
        "machine_translation", "ja")  # the second turn: no "could not read aloud" again; no colon before the mark
    model.turns.pop(second.turn_id)
    assert STRINGS.get("not_spoken", "ja") in words(model, "staff").heading  # the first one said it


@pytest.mark.parametrize("side", ["staff", "visitor"])
def test_a_phrasebook_result_is_marked_verified(settings, side):
    matcher = load_lookups(settings, None)[0]  # the phrase matcher
    model, _ = record(settings, FakeTranslator(pairs=set()), lambda conv: conv.submit_phrase(
        side="staff", phrase_id="certificates.juminhyo_copies", source="ja", target="vi"), matcher=matcher)
    assert model.latest().verified
    mark = STRINGS.get("verified_phrase", model.language(side))
    assert words(model, side).heading.endswith("✓\u00a0" + mark)
