"""The pipeline's event stream with fake engines, compared whole."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from kiosk.errors import KioskError
from kiosk.pipeline import events as ev
from kiosk.pipeline.conversation import Conversation
from kiosk.pipeline.turn import PhraseHit
from tests.support.stats_events import StepClock

TABLE = {
    ("ko", "en"): {"안녕하세요": "Hello", "Hello": "안녕하세요"},
    ("en", "ja"): {"Hello": "こんにちは"},
    ("ja", "en"): {"こんにちは": "Hello"},
    ("en", "ko"): {"Hello": "안녕하세요"},
}


def zero_clock() -> float:
    return 0.0


def make(settings, *, stt_conf=0.9, score=-0.3, matcher=None, glossary=None, tts=None, pairs=None):
    engines = Engines(
        FakeSpeechToText({"ko": "안녕하세요", "ja": "こんにちは"}, confidence=stt_conf),
        FakeTranslator(TABLE, pairs=pairs, score=score),
        tts or FakeTextToSpeech(),
    )
    rec = ev.Recorder()
    conv = Conversation(engines, settings, rec, matcher=matcher, glossary=glossary, clock=zero_clock)
    return conv, rec, engines


def strip(e: ev.Event) -> ev.Event:
    """Events with their turn/session ids blanked, for whole-stream comparison."""
    changes = {k: "X" for k in ("turn_id", "session_id") if hasattr(e, k)}
    return dataclasses.replace(e, **changes)


def test_speech_turn_pivot_event_stream(settings):
    conv, rec, engines = make(settings)
    conv.start_session(mode="counter", visitor_language="ko", staff_language="ja")
    tid = conv.start_speech(side="visitor", source="ko", target="ja")
    conv.push_audio(tid, b"\x10\x00" * 4000)
    conv.stop_speech(tid)
    conv.wait()
    conv.end_session()
    got = [strip(e) for e in rec.events]
    assert got == [
        ev.SessionStarted("X", "counter", "ko", "ja"),
        ev.TurnStarted("X", 0.0, "X", "visitor", "ko", "ja", "speech"),
        ev.Listening("X", 0.0),
        ev.AudioLevel("X", 0.0, 0.002),
        ev.PartialText("X", 0.0, "안녕하세요"),
        ev.FinalText("X", 0.0, "안녕하세요", 0.9, 0.0),
        ev.TranslationReady("X", 0.0, "こんにちは", ("ko", "en", "ja"), -0.3, False, True, (), (), 0.0),
        ev.SpeechStarted("X", 0.0, "ja", 0.0),
        ev.BackTranslationReady("X", 0.0, "안녕하세요", 0.0),  # ja→en→ko
        ev.SpeechFinished("X", 0.0, 0.0),
        ev.TurnFinished("X", 0.0),
        ev.SessionEnded("X", "finished"),
    ]
    assert engines.tts.spoken == [("ja", "こんにちは")]


def test_typed_turn_with_back_translation(settings):
    conv, rec, engines = make(settings)
    conv.start_session(mode="counter", visitor_language="en", staff_language="ja")
    conv.submit_text(side="staff", source="ja", target="en", text="  こんにちは ")
    conv.wait()
    types = rec.types()
    assert types == [
        "session-started", "turn-started", "final-text", "translation-ready", "speech-started",
        "back-translation-ready", "speech-finished", "turn-finished",
    ]
    back = next(e for e in rec.events if isinstance(e, ev.BackTranslationReady))
    assert back.text == "こんにちは"
    final = next(e for e in rec.events if isinstance(e, ev.FinalText))
    assert final.confidence == 1.0


def test_low_confidence_and_low_score_marked_unsure(settings):
    conv, rec, _ = make(settings, stt_conf=0.3, score=-4.0)
    tid = conv.start_speech(side="visitor", source="ko", target="en")
    conv.push_audio(tid, b"\x00\x01" * 100)
    conv.stop_speech(tid)
    conv.wait()
    tr = next(e for e in rec.events if isinstance(e, ev.TranslationReady))
    assert not tr.sure
    assert tr.reasons == ("low_stt_confidence", "low_mt_score")


class Phrases:
    texts = {"greet.hello": {"ko": "안녕하세요", "ja": "こんにちは（確認済み）", "en": "Hello (verified)"}}

    def match(self, text, language):
        for pid, t in self.texts.items():
            if t.get(language) == text:
                return PhraseHit(pid, 97.0, t)
        return None

    def get(self, phrase_id, fills=None):
        if phrase_id not in self.texts:
            raise KioskError("content.missing", f"No phrase {phrase_id}.")
        return self.texts[phrase_id]


def test_phrasebook_match_preferred_over_mt(settings):
    conv, rec, engines = make(settings, matcher=Phrases())
    conv.submit_text(side="visitor", source="ko", target="ja", text="안녕하세요")
    conv.wait()
    assert rec.types()[:4] == ["turn-started", "final-text", "phrase-matched", "translation-ready"]
    tr = next(e for e in rec.events if isinstance(e, ev.TranslationReady))
    assert (tr.text, tr.verified, tr.sure) == ("こんにちは（確認済み）", True, True)
    back = next(e for e in rec.events if isinstance(e, ev.BackTranslationReady))
    assert back.text == "안녕하세요"
    assert engines.translator.calls == []  # no machine translation at all


def test_submit_phrase_speaks_verified_text(settings):
    conv, rec, engines = make(settings, matcher=Phrases())
    conv.submit_phrase(side="staff", phrase_id="greet.hello", source="ja", target="en")
    conv.wait()
    assert engines.tts.spoken == [("en", "Hello (verified)")]
    assert rec.events[0].input_kind == "phrasebook"


class Glossary:
    def missing(self, source_text, source_language, target_text, target_language):
        return ["juminhyo"] if "住民票" in source_text and "residence" not in target_text else []

    def terms_in(self, text, language):
        return ["juminhyo"] if "住民票" in text else []


def test_glossary_term_missing_marks_unsure_and_shows_card(settings):
    conv, rec, _ = make(settings, glossary=Glossary(), pairs={("ja", "en")})
    conv.submit_text(side="staff", source="ja", target="en", text="住民票")
    conv.wait()
    tr = next(e for e in rec.events if isinstance(e, ev.TranslationReady))
    assert tr.reasons == ("glossary_term_missing",)
    assert tr.glossary_ids == ("juminhyo",)


def test_back_translation_unavailable_does_not_fail_turn(settings):
    conv, rec, _ = make(settings, pairs={("ko", "en")})
    conv.submit_text(side="visitor", source="ko", target="en", text="안녕하세요")
    conv.wait()
    back = next(e for e in rec.events if isinstance(e, ev.BackTranslationReady))
    assert back.text == ""
    assert rec.types()[-1] == "turn-finished"


def test_missing_direction_fails_with_code(settings):
    conv, rec, _ = make(settings, pairs=set())
    conv.submit_text(side="staff", source="ja", target="vi", text="こんにちは")
    conv.wait()
    assert rec.types() == ["turn-started", "final-text", "turn-failed"]
    failed = rec.events[-1]
    assert (failed.code, failed.stage) == ("mt.missing_direction", "translate")
    assert failed.message == "No translation pack for ja→vi."


def test_nothing_heard(settings):
    conv, rec, _ = make(settings)
    tid = conv.start_speech(side="visitor", source="ko", target="en")
    conv.stop_speech(tid)  # released without any audio
    conv.wait()
    failed = rec.events[-1]
    assert isinstance(failed, ev.TurnFailed)
    assert (failed.code, failed.message) == (
        "audio.nothing_heard", "Nothing was heard. Hold the button and speak, or type instead.")


def test_missing_voice_is_a_speak_failure(settings):
    conv, rec, _ = make(settings, tts=FakeTextToSpeech(languages=("en",)))
    conv.submit_text(side="staff", source="en", target="ja", text="Hello")
    conv.wait()
    failed = rec.events[-1]
    assert (failed.type, failed.code, failed.stage) == ("turn-failed", "tts.missing_voice", "speak")
    assert "speech-started" not in rec.types()  # no audio started
    assert "translation-ready" in rec.types()  # the text was still shown


class BlockingTTS(FakeTextToSpeech):
    def __init__(self):
        super().__init__()
        self.started = threading.Event()

    def speak(self, text, language, on_start=None):
        on_start()  # the audio plays until stop()
        self.started.set()
        self.stopped.wait(10)


def test_cancel_while_speaking(settings):
    tts = BlockingTTS()
    conv, rec, _ = make(settings, tts=tts)
    tid = conv.submit_text(side="staff", source="en", target="ja", text="Hello")
    assert tts.started.wait(5)
    conv.cancel(tid)
    conv.wait()
    assert tts.stopped.is_set()
    assert rec.events[-1].type == "turn-failed"
    assert rec.events[-1].code == "pipeline.cancelled"
    assert "turn-finished" not in rec.types()


def test_cancel_while_listening(settings):
    conv, rec, _ = make(settings)
    tid = conv.start_speech(side="visitor", source="ko", target="en")
    conv.push_audio(tid, b"\x00\x01" * 100)
    conv.cancel(tid)
    conv.wait()
    assert rec.events[-1].code == "pipeline.cancelled"
    assert "final-text" not in rec.types()


def test_durations_stamped_with_real_clock(settings):
    engines = Engines(FakeSpeechToText({"ko": "안녕하세요"}), FakeTranslator(TABLE), FakeTextToSpeech())
    rec = ev.Recorder()
    conv = Conversation(engines, settings, rec)
    conv.submit_text(side="visitor", source="ko", target="en", text="안녕하세요")
    conv.wait()
    elapsed = [e.elapsed_s for e in rec.events if isinstance(e, ev.TurnEvent)]
    assert elapsed == sorted(elapsed) and all(x >= 0 for x in elapsed)


def test_unknown_language_refused(settings):
    conv, _, _ = make(settings)
    with pytest.raises(KioskError) as err:
        conv.submit_text(side="staff", source="ja", target="fr", text="x")
    assert err.value.code == "mt.unsupported_language"


@pytest.mark.parametrize("side, text, code, message", [
    ("staff", "  ", "pipeline.empty_text", "Type something to translate first."),
    ("counter", "x", "pipeline.bad_side", "side must be 'staff' or 'visitor'."),
])
def test_bad_typed_turn_refused_with_a_pipeline_code(settings, side, text, code, message):
    conv, rec, _ = make(settings)
    with pytest.raises(KioskError) as err:
        conv.submit_text(side=side, source="ja", target="en", text=text)
    assert (err.value.code, err.value.message) == (code, message)
    assert rec.events == []


def test_failing_observer_does_not_break_turn(settings):
    engines = Engines(FakeSpeechToText({}), FakeTranslator(TABLE), FakeTextToSpeech())
    seen = []

    def observer(e):
        seen.append(e.type)
        raise RuntimeError("observer bug")

    conv = Conversation(engines, settings, observer)
    conv.submit_text(side="visitor", source="ko", target="en", text="안녕하세요")
    conv.wait()
    assert seen[-1] == "turn-finished"


def test_speech_output_latency_is_the_synthesis_time(settings):
    """SpeechStarted carries translation ready → audio starts: a voice that takes 300 ms gives 0.3 s."""
    clock = StepClock()
    tts = FakeTextToSpeech(synthesis=lambda: clock.advance(0.3))
    engines = Engines(FakeSpeechToText({}), FakeTranslator(TABLE), tts)
    rec = ev.Recorder()
    conv = Conversation(engines, settings, rec, clock=clock)
    conv.submit_text(side="staff", source="en", target="ja", text="Hello")
    conv.wait()
    [started] = [e for e in rec.events if isinstance(e, ev.SpeechStarted)]
    assert started.duration_s == 0.3 and started.elapsed_s == 0.3
    assert rec.types().index("speech-started") < rec.types().index("back-translation-ready")

