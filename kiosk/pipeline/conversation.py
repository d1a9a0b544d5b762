"""``Conversation``: runs turns off the caller's (UI) thread, one thread per turn.

Events go to one observer, called on worker threads; a UI marshals them to
its own thread.  A failing observer is logged and skipped (``events.fan_out``).
Engines are shared; each adapter is thread-safe.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from kiosk import languages
from kiosk.errors import KioskError
from kiosk.pipeline import events as ev
from kiosk.pipeline.turn import GlossaryLookup, PhraseLookup, TurnContext, TurnRunner

_LOGGER = logging.getLogger(__name__)

class SessionEnding(Protocol):
    """The blocking rest of ending a session: wait (at most ``timeout`` s) for its turns, then SessionEnded."""

    def __call__(self, timeout: float | None = 30.0) -> None: ...


class AudioSource(Protocol):
    """What a microphone factory returns (``kiosk.audio.Microphone``)."""

    def start(self) -> object: ...

    def stop(self) -> None: ...


MicrophoneFactory = Callable[[Callable[[bytes], None]], AudioSource]  # called with the PCM chunk callback


class Conversation:
    def __init__(
        self,
        engines,
        settings,
        observer: ev.Observer,
        *,
        matcher: PhraseLookup | None = None,
        glossary: GlossaryLookup | None = None,
        microphone_factory: MicrophoneFactory | None = None,
        recognition_phrases: Callable[[str], Sequence[str]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        speak_aloud: bool = True,
    ) -> None:
        self.settings = settings
        self.observer = ev.fan_out(observer)  # isolates observer failures from the turn
        self.microphone_factory = microphone_factory
        self.recognition_phrases = recognition_phrases
        self.runner = TurnRunner(
            engines, settings, self.observer, phrases=matcher, glossary=glossary, clock=clock, speak_aloud=speak_aloud
        )
        self.clock = clock
        self.session_id: str | None = None
        self._lock = threading.Lock()
        self._turns: dict[str, TurnContext] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._audio: dict[str, queue.Queue] = {}
        self._mics: dict[str, AudioSource] = {}

    # ------------------------------------------------------------- session
    def start_session(self, *, mode: str, visitor_language: str, staff_language: str) -> str:
        if self.session_id is not None:
            self.end_session("finished")
        self.session_id = uuid.uuid4().hex
        self.observer(ev.SessionStarted(self.session_id, mode, visitor_language, staff_language))
        return self.session_id

    def end_session(self, reason: ev.EndReason = "finished", wait_s: float | None = 30.0) -> None:
        """Cancel the session's turns, wait (at most ``wait_s``) for them, then emit SessionEnded (blocks)."""
        self.detach_session(reason)(wait_s)

    def detach_session(self, reason: ev.EndReason = "finished") -> SessionEnding:
        """End the session at once without waiting: its turns are cancelled and new turns belong to the
        next session.  Returns the blocking rest (wait for those turns, then emit SessionEnded), to run
        off the UI thread."""
        sid, self.session_id = self.session_id, None
        with self._lock:
            running = list(self._turns)
            threads = [self._threads[tid] for tid in running if tid in self._threads]
        for tid in running:
            self.cancel(tid)

        def finish(timeout: float | None = 30.0) -> None:
            deadline = None if timeout is None else time.monotonic() + timeout
            for t in threads:
                t.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            with self._lock:
                self._threads = {k: v for k, v in self._threads.items() if v.is_alive()}
            if sid is not None:
                self.observer(ev.SessionEnded(sid, reason))

        return finish

    def feedback(self, turn_id: str, outcome: ev.Outcome) -> None:
        if self.session_id is not None:
            self.observer(ev.Feedback(self.session_id, turn_id, outcome))

    # --------------------------------------------------------------- turns
    def _new_turn(self, side: str, source: str, target: str, kind: ev.InputKind) -> TurnContext:
        languages.get(source), languages.get(target)
        if not ev.is_side(side):
            raise KioskError("pipeline.bad_side", "side must be 'staff' or 'visitor'.")
        ctx = TurnContext(uuid.uuid4().hex, self.session_id or "", side, source, target, kind, self.clock())
        with self._lock:
            self._turns[ctx.turn_id] = ctx
        return ctx

    def _spawn(self, ctx: TurnContext, target: Callable[[], None]) -> str:
        def run() -> None:
            try:
                target()
            finally:
                with self._lock:
                    self._turns.pop(ctx.turn_id, None)
                    self._audio.pop(ctx.turn_id, None)
                    mic = self._mics.pop(ctx.turn_id, None)
                _stop_mic(mic)

        t = threading.Thread(target=run, name=f"turn-{ctx.turn_id[:8]}", daemon=True)
        with self._lock:
            self._threads[ctx.turn_id] = t
        t.start()
        return ctx.turn_id

    def start_speech(self, *, side: str, source: str, target: str) -> str:
        """Push-to-talk pressed: start listening (microphone, or push_audio())."""
        ctx = self._new_turn(side, source, target, "speech")
        q: queue.Queue = queue.Queue()
        self._audio[ctx.turn_id] = q
        phrases = self.recognition_phrases(source) if self.recognition_phrases else None

        def chunks() -> bytes | None:
            while True:
                try:
                    return q.get(timeout=0.1)
                except queue.Empty:
                    if ctx.cancel.is_set():
                        return None

        if self.microphone_factory is not None:
            try:
                mic = self.microphone_factory(functools.partial(self.push_audio, ctx.turn_id))
                mic.start()
                self._mics[ctx.turn_id] = mic
            except KioskError as exc:
                self.runner.start(ctx)
                self.runner.fail(ctx, exc.code, exc.message, "listen")
                with self._lock:
                    self._turns.pop(ctx.turn_id, None)
                return ctx.turn_id
        return self._spawn(ctx, lambda: self.runner.recognise(ctx, chunks, phrases))

    def push_audio(self, turn_id: str, pcm: bytes) -> None:
        q = self._audio.get(turn_id)
        if q is not None:
            q.put(bytes(pcm))

    def stop_speech(self, turn_id: str) -> None:
        """Push-to-talk released: end of speech."""
        _stop_mic(self._mics.pop(turn_id, None))
        q = self._audio.get(turn_id)
        if q is not None:
            q.put(None)

    def submit_text(self, *, side: str, source: str, target: str, text: str) -> str:
        text = text.strip()
        if not text:
            raise KioskError("pipeline.empty_text", "Type something to translate first.")
        ctx = self._new_turn(side, source, target, "typed")
        return self._spawn(ctx, lambda: self.runner.from_text(ctx, text))

    def submit_phrase(self, *, side: str, phrase_id: str, source: str, target: str,
                      fills: Mapping[str, str] | None = None) -> str:
        """A phrasebook phrase; ``fills`` are the blanks site.toml leaves open ({place}: "2階"), typed by staff."""
        ctx = self._new_turn(side, source, target, "phrasebook")
        fills = dict(fills or {})
        return self._spawn(ctx, lambda: self.runner.from_phrase(ctx, phrase_id, fills))

    def cancel(self, turn_id: str) -> None:
        ctx = self._turns.get(turn_id)
        if ctx is None:
            return
        ctx.cancel.set()
        self.stop_speech(turn_id)
        try:
            self.runner.engines.tts.stop()
        except Exception:  # noqa: BLE001
            _LOGGER.warning("tts stop failed")

    def wait(self, timeout: float | None = 30.0) -> None:
        """Wait for running turns to end (tests, shutdown)."""
        with self._lock:
            threads = list(self._threads.values())
        deadline = None if timeout is None else time.monotonic() + timeout
        for t in threads:
            t.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        with self._lock:
            self._threads = {k: v for k, v in self._threads.items() if v.is_alive()}

    def close(self, wait_s: float = 1.0) -> None:
        """App shutdown (staff Quit, SIGTERM): cancel running turns and wait at most ``wait_s`` for them; a
        turn stuck inside an engine call is abandoned (its thread is a daemon), so the app exits promptly
        and the visit is still counted."""
        self.end_session("app_closed", wait_s)


def _stop_mic(mic: AudioSource | None) -> None:
    if mic is None:
        return
    try:
        mic.stop()
    except Exception:  # noqa: BLE001
        _LOGGER.warning("microphone stop failed")
