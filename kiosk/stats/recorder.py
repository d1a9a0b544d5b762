"""``StatsRecorder``: a pipeline observer that turns events into counts-only session rows.

    recorder = StatsRecorder(store, clock=datetime.now)
    session = SessionController(..., stats=recorder)   # kiosk.session: fan_out(UI, recorder)
    ...
    recorder.close()          # at app exit: ends open sessions, flushes the writer

It keeps, per open session, only counters, error codes and stage durations
(it never reads an event's text fields).  On ``SessionEnded`` it hands one
``SessionRecord`` to a background writer thread, so the caller never waits for
the database.  A write that fails is retried a few times, then dropped and
counted (``dropped`` here, ``write_dropped`` in the store); never raised.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.pipeline import events as ev
from kiosk.stats.store import SessionRecord

_LOGGER = logging.getLogger(__name__)
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,23}\.[a-z][a-z0-9_]{0,23}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_MAX_OPEN_SESSIONS = 64


def _code(code: str) -> str:
    """Only well-formed stable codes reach the store; anything else is ``other``."""
    return code if isinstance(code, str) and _CODE_RE.match(code) else "other"


def _lang(code: str) -> str:
    return code if isinstance(code, str) and _LANG_RE.match(code) else "und"


def _mode(mode: str) -> str:
    return mode if mode in ("counter", "kiosk") else "other"


def _median_ms(values: list[float]) -> int | None:
    """Median in milliseconds, rounded to 100 ms."""
    if not values:
        return None
    return int(round(statistics.median(values) * 10)) * 100


@dataclass
class _Open:
    started: dt.datetime
    mode: str
    visitor_language: str
    staff_language: str
    counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    stt: list[float] = field(default_factory=list)
    mt: list[float] = field(default_factory=list)
    tts: list[float] = field(default_factory=list)
    turn_ids: set[str] = field(default_factory=set)

    def add(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by


class StatsRecorder:
    """Observer: ``recorder(event)``; thread-safe; never raises into the pipeline."""

    def __init__(self, store, clock: Callable[[], dt.datetime] = dt.datetime.now, *, writer=None) -> None:
        self.store = store  # the dashboard reads store.summary() through the recorder it holds
        self.clock = clock
        self.writer = writer if writer is not None else BackgroundWriter(store)
        self._lock = threading.Lock()
        self._open: dict[str, _Open] = {}
        self._turns: dict[str, str] = {}  # turn_id -> session_id
        self.ignored = 0  # events for unknown sessions

    @property
    def dropped(self) -> int:
        return self.writer.dropped

    # ------------------------------------------------------------- observer
    def __call__(self, event: ev.Event) -> None:
        try:
            with self._lock:
                record = self._handle(event)
            if record is not None:
                self.writer.submit(record)
        except Exception as exc:  # noqa: BLE001 - stats must never break a conversation
            _LOGGER.warning("stats recorder skipped an event (%s)", type(exc).__name__)

    def flush(self, timeout: float | None = 10.0) -> bool:
        return self.writer.flush(timeout)

    def close(self, timeout: float | None = 10.0) -> None:
        """End every open session (reason ``app_closed``) and stop the writer."""
        with self._lock:
            ids = list(self._open)
        for sid in ids:
            self(ev.SessionEnded(session_id=sid, reason="app_closed"))
        self.writer.close(timeout)

    # ------------------------------------------------------------- internals
    def _handle(self, e: ev.Event) -> SessionRecord | None:
        if isinstance(e, ev.VisitAbandoned):  # attract screen touched, no language picked: a visit with 0 turns
            now = self.clock()
            return self._record(_Open(now, _mode(e.mode), "und", "und"), now, "touch")
        if isinstance(e, ev.SessionStarted):
            if len(self._open) >= _MAX_OPEN_SESSIONS:  # sessions never ended: forget the oldest
                self._forget(next(iter(self._open)))
            self._open[e.session_id] = _Open(
                self.clock(), _mode(e.mode), _lang(e.visitor_language), _lang(e.staff_language)
            )
            return None
        if isinstance(e, ev.SessionEnded):
            state = self._open.get(e.session_id)
            if state is None:
                self.ignored += 1
                return None
            self._forget(e.session_id)
            reason = e.reason if e.reason in ("finished", "idle_reset", "app_closed") else "other"
            return self._record(state, self.clock(), reason)
        if isinstance(e, ev.Feedback):
            state = self._open.get(e.session_id)
            if state is not None and e.outcome in ("understood", "say_again"):
                state.add(e.outcome)
            return None
        if isinstance(e, ev.TurnStarted):
            state = self._open.get(e.session_id)
            if state is None:
                self.ignored += 1
                return None
            self._turns[e.turn_id] = e.session_id
            state.turn_ids.add(e.turn_id)
            state.add("turns")
            if e.input_kind in ("speech", "typed", "phrasebook"):
                state.add(f"turns_{e.input_kind}")
            return None
        if isinstance(e, ev.TurnEvent):
            sid = self._turns.get(e.turn_id)
            state = self._open.get(sid) if sid is not None else None
            if state is not None:
                self._turn_event(state, e)
        return None

    @staticmethod
    def _turn_event(state: _Open, e: ev.TurnEvent) -> None:
        if isinstance(e, ev.FinalText):
            if e.duration_s > 0:
                state.stt.append(float(e.duration_s))
        elif isinstance(e, ev.TranslationReady):
            if not e.sure:
                state.add("unsure_shown")
            if e.verified:
                state.add("verified")
            else:
                state.mt.append(float(e.duration_s))
            if len(e.route) > 2:  # via English
                state.add("pivots")
        elif isinstance(e, ev.SpeechStarted):  # its duration is the speech synthesis
            state.tts.append(float(e.duration_s))
        elif isinstance(e, ev.TurnFailed):
            code = _code(e.code)
            state.failures[code] = state.failures.get(code, 0) + 1

    def _forget(self, session_id: str) -> None:
        state = self._open.pop(session_id, None)
        if state is not None:
            for tid in state.turn_ids:
                self._turns.pop(tid, None)

    @staticmethod
    def _record(state: _Open, ended: dt.datetime, reason: str) -> SessionRecord:
        c = state.counts
        seconds = max(0.0, (ended - state.started).total_seconds())
        return SessionRecord(
            mode=state.mode,
            visitor_language=state.visitor_language,
            staff_language=state.staff_language,
            day=state.started.date(),
            hour=state.started.hour,
            weekday=state.started.weekday(),
            duration_s=int(seconds // 10) * 10,
            turns=c.get("turns", 0),
            turns_speech=c.get("turns_speech", 0),
            turns_typed=c.get("turns_typed", 0),
            turns_phrasebook=c.get("turns_phrasebook", 0),
            understood=c.get("understood", 0),
            say_again=c.get("say_again", 0),
            unsure_shown=c.get("unsure_shown", 0),
            verified=c.get("verified", 0),
            pivots=c.get("pivots", 0),
            stt_ms=_median_ms(state.stt),
            mt_ms=_median_ms(state.mt),
            tts_ms=_median_ms(state.tts),
            end_reason=reason,
            failures=tuple(sorted(state.failures.items())),
        )


class BackgroundWriter:
    """One daemon thread writing ``SessionRecord``s; ``submit`` never blocks."""

    def __init__(self, store, *, retries: int = 3, backoff_s: float = 0.2, max_queue: int = 1000) -> None:
        self.store = store
        self.retries = retries
        self.backoff_s = backoff_s
        self.dropped = 0
        self._queue: queue.Queue = queue.Queue(maxsize=max_queue)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False

    def submit(self, record: SessionRecord) -> None:
        if self._closed:
            self._drop("writer closed")
            return
        self._ensure_thread()
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            self._drop("queue full")

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Wait until everything submitted so far is written or dropped."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def close(self, timeout: float | None = 10.0) -> None:
        self._closed = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="stats-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            record = self._queue.get()
            try:
                if record is None:
                    return
                self._write(record)
            finally:
                self._queue.task_done()

    def _write(self, record: SessionRecord) -> None:
        for attempt in range(1, self.retries + 1):
            try:
                self.store.add_session(record)
                return
            except Exception as exc:  # noqa: BLE001 - never crash; retry, then drop and count
                _LOGGER.warning("stats write failed (attempt %d of %d): %s", attempt, self.retries, type(exc).__name__)
                if attempt < self.retries:
                    time.sleep(self.backoff_s * attempt)
        self._drop("write failed")
        try:
            self.store.bump_counter("write_dropped")
        except Exception as exc:  # noqa: BLE001
            _LOGGER.warning("stats could not count a dropped write: %s", type(exc).__name__)

    def _drop(self, why: str) -> None:
        self.dropped += 1
        _LOGGER.warning("stats record dropped (%s); %d dropped so far", why, self.dropped)
