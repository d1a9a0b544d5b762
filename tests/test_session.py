"""The session controller without Kivy: fake engines, a background runner the test controls and a
UI-thread queue the test drains (what ``Clock.schedule_once`` does in the app)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

import kiosk.engines.factory as factory
import kiosk.session as session_mod
from kiosk.content.analyse import unload
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from kiosk.errors import KioskError
from kiosk.pipeline import events as ev
from kiosk.pipeline.content_adapters import ContentPhrases, Lookups
from kiosk.session import SessionController
from kiosk.stats import StatsRecorder, open_store

TEXTS = {"ja": "住民票がほしいです", "vi": "Tôi muốn lấy giấy chứng nhận cư trú"}
PCM = b"\x00\x30" * 8000


class UiThread:
    """``call_soon``: tasks queue up until the test runs them (as the Kivy clock would, on its thread)."""

    def __init__(self) -> None:
        self.tasks: list = []
        self.lock = threading.Lock()

    def __call__(self, task) -> None:
        with self.lock:
            self.tasks.append(task)

    def run(self) -> None:
        while True:
            with self.lock:
                tasks, self.tasks = self.tasks, []
            if not tasks:
                return
            for task in tasks:
                task()


class Background:
    """``run_in_background``: runs at once (``deferred=False``) or when the test says so."""

    def __init__(self, deferred: bool = False) -> None:
        self.deferred, self.waiting, self.names = deferred, [], []

    def __call__(self, task, name: str) -> None:
        self.names.append(name)
        if self.deferred:
            self.waiting.append(task)
        else:
            task()

    def run(self) -> None:
        while self.waiting:
            self.waiting.pop(0)()


class View:
    """A SessionView that records what the controller told the UI."""

    def __init__(self) -> None:
        self.events, self.released, self.errors, self.busy, self.wipes = [], [], [], [], 0

    def changed(self, event, turn) -> None:
        self.events.append(event)

    def listening_over(self, side) -> None:
        self.released.append(side)

    def show_error(self, code) -> None:
        self.errors.append(code)

    def busy_changed(self, busy) -> None:
        self.busy.append(busy)

    def wiped(self) -> None:
        self.wipes += 1


def fakes() -> Engines:
    pairs = {("ja", "vi"), ("vi", "ja")}
    return Engines(FakeSpeechToText(TEXTS), FakeTranslator(pairs=pairs), FakeTextToSpeech())


@pytest.fixture
def no_content(monkeypatch):
    """Content lookups are not the subject here (one test below loads the real content)."""
    monkeypatch.setattr(session_mod, "load_lookups", lambda settings, content_dir=None: Lookups())


def make(settings, *, engines=None, background=None, stats=None, **kw):
    ui, view = UiThread(), View()
    ctl = SessionController(settings, view, call_soon=ui, run_in_background=background or Background(),
                            engines=engines if engines is not None else fakes(), clock=lambda: 100.0,
                            stats=stats, **kw)
    return ctl, ui, view


def speak(ctl, ui, side="visitor"):
    ctl.start_speech(side)
    tid = ctl.active_turns[side]
    ctl.conversation.push_audio(tid, PCM)
    ctl.stop_speech(side)
    ctl.conversation.wait()
    ui.run()
    return tid


def test_a_visit_from_language_pick_to_finish(settings, no_content):
    stats = ev.Recorder()
    ctl, ui, view = make(settings, stats=stats)
    ctl.pick_language("vi")
    ui.run()
    assert ctl.conversation is not None and view.busy == [True, False]
    tid = speak(ctl, ui)
    turn = ctl.model.latest()
    assert (turn.turn_id, turn.status, turn.text, turn.translation) == (tid, "done", TEXTS["vi"], "[ja] " + TEXTS["vi"])
    assert view.released == [] and ctl.active_turns == {}  # released by the person, not by the turn
    assert ctl.model.panel("staff").translation == "[ja] " + TEXTS["vi"]
    ctl.feedback(tid, "understood")
    ui.run()
    ctl.end_visit("finished")
    ui.run()
    assert ctl.model.turns == {} and view.wipes == 1
    types = stats.types()
    assert types[0] == "session-started" and types[-2:] == ["feedback", "session-ended"]
    assert stats.events[0].visitor_language == "vi" and stats.events[-1].reason == "finished"
    assert [e.type for e in view.events] == [t for t in types[1:] if t != "session-ended"]  # the UI saw the turn


def test_a_turn_that_fails_while_listening_releases_its_push_to_talk(settings, no_content):
    ctl, ui, view = make(settings)
    ctl.pick_language("ko")  # no Korean speech model in these fakes
    ui.run()
    ctl.start_speech("visitor")
    ctl.conversation.wait()
    ui.run()
    assert view.released == ["visitor"] and ctl.active_turns == {}
    assert ctl.model.latest().error_code == "stt.missing_model"


def test_engines_and_content_load_in_the_background_and_an_early_release_is_honoured(settings, monkeypatch):
    background, built = Background(deferred=True), fakes()
    loaded_in = []
    monkeypatch.setattr(factory, "build_engines", lambda s: built)
    monkeypatch.setattr(session_mod, "load_lookups",
                        lambda s, content_dir=None: loaded_in.append(threading.current_thread().name) or Lookups())
    ctl, ui, view = make(settings, engines=None, background=background)
    ctl.engines = None
    ctl.pick_language("vi")
    ctl.start_speech("visitor")
    ctl.stop_speech("visitor")  # let go before the pipeline is ready
    assert ctl.conversation is None and ctl.busy and view.busy == [True] and loaded_in == []
    background.run()  # the engines and the content load here, not in the UI's call
    assert loaded_in and ctl.conversation is None  # the result waits for the UI thread
    ui.run()
    assert ctl.conversation is not None and ctl.engines is built and view.busy == [True, False]
    ctl.conversation.wait()
    ui.run()
    turn = ctl.model.latest()
    assert turn.side == "visitor" and turn.status == "failed" and turn.error_code == "audio.nothing_heard"
    assert ctl.active_turns == {} and ctl.model.session_id
    assert background.names[:2] == ["build-engines", "warm-up"]


def test_engines_that_cannot_be_built_show_the_error_and_drop_the_waiting_actions(settings, monkeypatch, no_content):
    def broken(s):
        raise KioskError("stt.missing_model", "No speech-recognition model for vi.")

    monkeypatch.setattr(factory, "build_engines", broken)
    ctl, ui, view = make(settings)
    ctl.engines = None
    ctl.pick_language("vi")
    ctl.submit_text("visitor", "hello")
    ui.run()
    assert view.errors == ["stt.missing_model"] and ctl.conversation is None and not ctl.busy
    assert ctl._pending == []


def test_finish_never_waits_for_the_turns_of_the_visit(settings, no_content):
    stats, background = ev.Recorder(), Background()
    ctl, ui, view = make(settings, stats=stats, background=background)
    ctl.pick_language("vi")
    ui.run()
    first = ctl.model.session_id
    ctl.start_speech("visitor")  # still listening when the visit ends
    background.deferred = True
    ctl.end_visit("idle_reset")
    assert ctl.model.turns == {} and view.wipes == 1 and ctl.active_turns == {}
    assert "session-ended" not in stats.types()  # the turn's end is awaited in the background, not here
    ctl.pick_language("ja")  # the next visitor starts at once
    ui.run()
    assert ctl.model.session_id not in ("", first)
    background.run()
    ctl.conversation.wait()
    ended = [e for e in stats.events if isinstance(e, ev.SessionEnded)]
    assert ended == [ev.SessionEnded(first, "idle_reset")]
    failed = [e for e in stats.events if isinstance(e, ev.TurnFailed)]
    assert [e.code for e in failed] == ["pipeline.cancelled"]
    ui.run()
    assert ctl.model.turns == {}  # the old session's late events do not reach the new conversation


def test_an_attract_touch_with_no_language_is_a_visit_with_no_turns(settings, no_content):
    class ListStore:
        def __init__(self):
            self.records = []

        def add_session(self, record):
            self.records.append(record)

    store = ListStore()
    recorder = StatsRecorder(store, clock=lambda: dt.datetime(2026, 12, 2, 10, 0))
    ctl, ui, view = make(settings.replace(mode="kiosk"), stats=recorder)
    ctl.attract_touched()
    ctl.end_visit("idle_reset")
    ctl.attract_touched()
    ctl.pick_language("vi")  # this one talks: a session, not an abandoned visit
    ui.run()
    ctl.end_visit("finished")
    recorder.close()
    assert [(r.turns, r.mode, r.visitor_language, r.end_reason) for r in store.records] == [
        (0, "kiosk", "und", "touch"), (0, "kiosk", "vi", "finished")]


def test_a_failing_statistics_observer_breaks_neither_the_turn_nor_the_screen(settings, no_content, caplog):
    def broken(event):
        raise RuntimeError("database gone")

    ctl, ui, view = make(settings, stats=broken)
    ctl.pick_language("vi")
    ui.run()
    speak(ctl, ui)
    assert ctl.model.latest().status == "done" and "turn-finished" in [e.type for e in view.events]
    assert "observer failed on turn-finished" in caplog.text


def test_typed_text_phrasebook_and_edit(settings):
    ctl, ui, view = make(settings)  # the real content: phrasebook matcher and glossary
    ctl.pick_language("vi")
    ui.run()
    ctl.submit_phrase("visitor", "certificates.want_juminhyo")
    ctl.conversation.wait()
    ui.run()
    turn = ctl.model.latest()
    assert turn.status == "done" and turn.verified and turn.translation == "住民票がほしいです。"
    ctl.submit_text("visitor", "xin chao")
    ctl.conversation.wait()
    ui.run()
    typed = ctl.model.latest()
    assert typed.input_kind == "typed" and typed.text == "xin chao"
    assert ctl.edit_turn(typed.turn_id) == "xin chao" and ctl.model.latest().turn_id == turn.turn_id
    assert ctl.edit_turn("no-such-turn") == ""


def test_idle_countdown_follows_touches(settings, no_content):
    now = [1000.0]
    ctl, ui, view = make(settings.replace(mode="counter", counter_idle_timeout_s=300, idle_warning_s=20))
    ctl.clock = lambda: now[0]
    ctl.touched()
    assert ctl.idle("start") is None  # counter mode: only a conversation left open times out
    now[0] += 301
    assert (ctl.idle("conversation").phase, ctl.idle("conversation").seconds_left) == ("warning", 19)
    ctl.touched()
    assert ctl.idle("conversation").phase == "active"
    now[0] += 321
    assert ctl.idle("conversation").phase == "reset"


def test_the_pin_lock_out_survives_a_restart(settings, no_content):
    ctl, _, _ = make(settings)
    for _ in range(5):
        with pytest.raises(KioskError):
            ctl.check_pin("9999")
    with pytest.raises(KioskError) as err:
        ctl.check_pin("0000")
    assert err.value.code == "admin.pin_locked"
    again, _, _ = make(settings)  # a new controller over the same data dir, as after a power cycle
    assert again.pin.seconds_locked() > 0


def test_statistics_summary_for_the_dashboard(settings, no_content):
    ctl, ui, _ = make(settings)
    assert ctl.stats_summary() is None  # no database yet
    with open_store(settings) as store:
        ctl.stats, ctl.stats_store = StatsRecorder(store), store
        assert ctl.stats_summary() is None  # an empty database
        ctl.pick_language("vi")
        ui.run()
        speak(ctl, ui)
        ctl.end_visit("finished")
        assert ctl.stats_summary().sessions == 1  # written in the background, flushed for the dashboard
        ctl.stats.close()


# ------------------------------------------------------------ the phrase matcher's warm-up
class SlowPhrases:
    """A phrase lookup whose analysers take as long as the test says (``go``)."""

    def __init__(self) -> None:
        self.go, self.warmed = threading.Event(), []

    def warm_up(self, languages) -> None:
        self.go.wait(30)
        self.warmed.extend(languages)


@pytest.fixture
def analysers_unloaded():
    yield
    unload()  # Kiwi alone holds ~300 MB: free it for the rest of the run


def test_picking_a_pair_warms_the_matcher_for_both_languages_in_the_background(settings, monkeypatch,
                                                                               analysers_unloaded):
    ctl, ui, _ = make(settings)  # the real content and phrase matcher
    threads = []
    real = ContentPhrases.warm_up
    monkeypatch.setattr(ContentPhrases, "warm_up",
                        lambda self, languages: threads.append((list(languages), threading.current_thread()))
                        or real(self, languages))
    ctl.pick_language("ko")
    ui.run()
    matcher = ctl._lookups.phrases.matcher
    ctl.close()  # as the app does at exit: waits for the loads under way
    assert set(matcher._index) == {"ja", "ko"}  # the staff language at start, the visitor's at the pick; no other
    assert [languages for languages, _ in threads] == [["ja"], ["ko"]]
    assert all(t is not threading.main_thread() and not t.daemon for _, t in threads)  # joined, never abandoned
    ctl.end_visit()
    ctl.pick_language("ja")  # the next visitor: nothing new to load
    ui.run()
    assert len(threads) == 2


def test_the_warm_up_never_blocks_the_ui_thread_and_close_waits_for_it_bounded(settings, monkeypatch, caplog):
    slow = SlowPhrases()
    monkeypatch.setattr(session_mod, "load_lookups", lambda s, content_dir=None: Lookups(phrases=slow))
    ctl, ui, _ = make(settings)
    ctl.pick_language("vi")  # returns while the analysers are still loading
    ui.run()
    assert ctl.conversation is not None and slow.warmed == []
    ctl.close(warm_up_wait_s=0.0)  # bounded: gives up waiting, says so
    assert "phrase matcher still loading after 0 s" in caplog.text
    closed = []
    closer = threading.Thread(target=lambda: (ctl.close(), closed.append(list(slow.warmed))))
    closer.start()
    closer.join(0.5)
    assert closer.is_alive()  # still waiting for the load
    slow.go.set()
    closer.join(30)
    assert [sorted(c) for c in closed] == [["ja", "vi"]]  # close returned after the load, not before
