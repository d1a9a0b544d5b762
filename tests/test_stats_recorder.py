"""StatsRecorder: events → one counts-only SessionRecord per session, written off-thread."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading

import pytest

from kiosk.pipeline import events as ev
from kiosk.stats import open_store
from kiosk.stats.recorder import BackgroundWriter, StatsRecorder
from tests.support.stats_events import FakeClock, TurnSpec, conversation, record_conversation

T0 = dt.datetime(2025, 4, 16, 14, 5, 30)  # a Wednesday


class ListStore:
    """A fake store that keeps records in a list."""

    def __init__(self) -> None:
        self.records = []
        self.counters: dict[str, int] = {}

    def add_session(self, record) -> None:
        self.records.append(record)

    def bump_counter(self, name: str, by: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + by


class FailingStore(ListStore):
    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.calls = 0

    def add_session(self, record) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise OSError("disk I/O error")
        super().add_session(record)


def record_one(turns, **kw):
    store, clock = ListStore(), FakeClock(T0)
    rec = StatsRecorder(store, clock=clock, writer=BackgroundWriter(store, backoff_s=0))
    conversation(rec, clock, turns, **kw)
    assert rec.flush()
    rec.close()
    assert len(store.records) == 1
    return store.records[0]


def test_one_session_counts_everything():
    r = record_one(
        [
            TurnSpec(kind="speech", stt_s=0.42, mt_s=0.81, tts_s=0.25),
            TurnSpec(kind="speech", stt_s=0.66, mt_s=1.24, sure=False, feedback="say_again"),
            TurnSpec(kind="typed", side="staff", mt_s=0.5, pivot=True),
            TurnSpec(kind="phrasebook", side="staff", verified=True),
            TurnSpec(kind="speech", fail="mt.missing_direction", feedback=None),
        ],
        visitor="vi", staff="ja", mode="counter", seconds=127,
    )  # fmt: skip
    assert (r.mode, r.visitor_language, r.staff_language) == ("counter", "vi", "ja")
    assert (r.day, r.hour, r.weekday) == (dt.date(2025, 4, 16), 14, 2)
    assert r.duration_s == 120  # floored to 10 s
    assert (r.turns, r.turns_speech, r.turns_typed, r.turns_phrasebook) == (5, 3, 1, 1)
    assert (r.understood, r.say_again) == (3, 1)
    assert (r.unsure_shown, r.verified, r.pivots) == (1, 1, 1)
    assert r.failures == (("mt.missing_direction", 1),)
    assert r.stt_ms == 400  # median of 0.42, 0.66 and 0.4 (the failed turn) = 0.42 s → 400 ms
    assert r.mt_ms == 800  # median of 0.81, 1.24, 0.5 (verified phrase excluded) = 0.81 → 800
    assert r.tts_ms == 300  # median of 0.25, 0.3, 0.3, 0.3 → 0.3 s
    assert r.end_reason == "finished"
    assert len(r.uuid) == 36


def test_unknown_codes_and_languages_are_not_stored_verbatim():
    store, clock = ListStore(), FakeClock(T0)
    rec = StatsRecorder(store, clock=clock)
    events = record_conversation([TurnSpec(fail="Something odd with Hello World")])  # an engine's odd code
    for e in events:  # and a session started with a language that is no code
        rec(dataclasses.replace(e, visitor_language="Hello World") if isinstance(e, ev.SessionStarted) else e)
    rec.close()
    [r] = store.records
    assert r.failures == (("other", 1),)
    assert r.visitor_language == "und"


def test_session_with_no_turns_and_an_abandoned_visit_each_count_as_a_visit():
    store, clock = ListStore(), FakeClock(T0)
    rec = StatsRecorder(store, clock=clock)
    conversation(rec, clock, [], mode="kiosk", seconds=8, end_reason="idle_reset")
    rec(ev.VisitAbandoned(mode="kiosk"))
    rec.close()
    a, b = store.records
    assert (a.turns, a.mode, a.duration_s, a.end_reason) == (0, "kiosk", 0, "idle_reset")
    assert (b.turns, b.mode, b.visitor_language, b.end_reason) == (0, "kiosk", "und", "touch")


def test_interleaved_sessions_and_stray_events():
    store, clock = ListStore(), FakeClock(T0)
    rec = StatsRecorder(store, clock=clock)
    rec(ev.SessionStarted(session_id="a", mode="counter", visitor_language="ko", staff_language="ja"))
    rec(ev.SessionStarted(session_id="b", mode="kiosk", visitor_language="zh", staff_language="ja"))
    rec(ev.TurnStarted(turn_id="x", elapsed_s=0, session_id="b", side="visitor", source_language="zh",
                       target_language="ja", input_kind="typed"))  # fmt: skip
    rec(ev.TurnStarted(turn_id="y", elapsed_s=0, session_id="nobody", side="visitor", source_language="zh",
                       target_language="ja", input_kind="typed"))  # fmt: skip
    rec(ev.TurnFailed(turn_id="x", elapsed_s=0.1, code="tts.missing_voice", message="m", stage="speak"))
    rec(ev.TurnFailed(turn_id="unknown", elapsed_s=0.1, code="tts.missing_voice", message="m", stage="speak"))
    rec(ev.SessionEnded(session_id="b"))
    rec(ev.SessionEnded(session_id="never-started"))
    rec.close()  # ends "a" as app_closed
    by_lang = {r.visitor_language: r for r in store.records}
    assert by_lang["zh"].turns == 1 and by_lang["zh"].failures == (("tts.missing_voice", 1),)
    assert by_lang["ko"].turns == 0 and by_lang["ko"].end_reason == "app_closed"
    assert rec.ignored == 2
    assert rec._turns == {} and rec._open == {}


def test_failed_write_is_retried_then_succeeds():
    store = FailingStore(failures=2)
    clock = FakeClock(T0)
    rec = StatsRecorder(store, clock=clock, writer=BackgroundWriter(store, retries=3, backoff_s=0))
    conversation(rec, clock)
    rec.close()
    assert len(store.records) == 1 and rec.dropped == 0 and store.calls == 3


def test_failed_write_is_dropped_and_counted_never_raised(caplog):
    store = FailingStore(failures=99)
    clock = FakeClock(T0)
    rec = StatsRecorder(store, clock=clock, writer=BackgroundWriter(store, retries=3, backoff_s=0))
    with caplog.at_level(logging.WARNING):
        conversation(rec, clock)
        conversation(rec, clock)
        rec.close()
    assert store.records == [] and store.calls == 6
    assert rec.dropped == 2 and store.counters == {"write_dropped": 2}
    assert "stats write failed (attempt 3 of 3): OSError" in caplog.text


def test_submit_never_blocks_when_the_writer_is_stuck():
    gate, entered = threading.Event(), threading.Event()

    class SlowStore(ListStore):
        def add_session(self, record) -> None:
            entered.set()
            gate.wait(30)
            super().add_session(record)

    store = SlowStore()
    clock = FakeClock(T0)
    rec = StatsRecorder(store, clock=clock, writer=BackgroundWriter(store, max_queue=2))
    conversation(rec, clock)
    assert entered.wait(30)
    for _ in range(5):  # 1 being written + 2 queued; the rest dropped, none waited for
        conversation(rec, clock)
    dropped = rec.dropped
    gate.set()
    rec.close()
    assert dropped == 3 and len(store.records) == 3


def test_observer_errors_are_swallowed(caplog):
    store = ListStore()
    rec = StatsRecorder(store, clock=lambda: 1 / 0)  # a broken clock
    with caplog.at_level(logging.WARNING):
        rec(ev.SessionStarted(session_id="a", mode="counter", visitor_language="ko", staff_language="ja"))
    assert "stats recorder skipped an event (ZeroDivisionError)" in caplog.text


def test_writes_to_a_real_store(settings):
    clock = FakeClock(T0)
    with open_store(settings) as store:
        rec = StatsRecorder(store, clock=clock)
        conversation(rec, clock, [TurnSpec(fail="audio.nothing_heard"), TurnSpec()], visitor="en")
        rec.close()
        s = store.summary()
    assert (s.sessions, s.turns, s.by_language, s.failures) == (1, 2, {"en": 1}, {"audio.nothing_heard": 1})


@pytest.mark.parametrize("bad", ["not a session id", None])
def test_feedback_for_unknown_session_is_ignored(bad):
    store = ListStore()
    rec = StatsRecorder(store, clock=FakeClock(T0))
    rec(ev.Feedback(session_id=bad, turn_id="t", outcome="understood"))
    rec.close()
    assert store.records == []
