"""Event streams for the statistics tests, RECORDED from the real pipeline: each ``TurnSpec`` is run
through ``kiosk.pipeline.conversation.Conversation`` with fake engines that take the stated time on a
stepped clock, so observers are tested on what the pipeline really sends (order, durations, reasons)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Settings
from kiosk.engines.base import Transcript, Translation
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeStream, FakeTextToSpeech, FakeTranslator
from kiosk.errors import KioskError
from kiosk.pipeline import events as ev
from kiosk.pipeline.conversation import Conversation
from kiosk.pipeline.turn import PhraseHit

LANGS = ("ja", "en", "vi", "zh", "ko")
PHRASE_ID = "certificates.want_juminhyo"
PCM = b"\x10\x00" * 4000


class FakeClock:
    """The recorder's wall clock (datetime), moved by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


class StepClock:
    """The pipeline's monotonic clock: it moves only when a fake engine does its work."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


@dataclass(frozen=True)
class TurnSpec:
    kind: str = "speech"  # speech | typed | phrasebook
    side: str = "visitor"
    stt_s: float = 0.4  # end of speech → final text
    mt_s: float = 0.8  # one translation
    tts_s: float = 0.3  # speech synthesis: translation ready → audio starts
    sure: bool = True  # False: the translation scores below Settings.min_mt_score
    verified: bool = False  # the phrasebook matches (always for kind="phrasebook")
    pivot: bool = False  # only via English packs for this pair
    fail: str | None = None  # error code; "audio.nothing_heard" on speech: nothing was heard, else MT raises it
    feedback: str | None = "understood"
    text: str = "Hello, I would like a residence certificate."


class _Engines:
    """Fake engines whose work takes ``spec``'s seconds on the stepped clock."""

    def __init__(self, clock: StepClock) -> None:
        self.clock, self.spec = clock, TurnSpec()
        engines = self

        class Stream(FakeStream):
            def finish(self) -> Transcript:
                clock.advance(engines.spec.stt_s)
                return super().finish()

        class STT(FakeSpeechToText):
            def open_stream(self, language, phrases=None) -> FakeStream:
                self.next_text(language)
                return Stream(self, language)

        class MT(FakeTranslator):
            def translate(self, text: str, source: str, target: str) -> Translation:
                spec = engines.spec
                if spec.fail and spec.fail != "audio.nothing_heard":
                    raise KioskError(spec.fail, f"could not translate {text}")  # an engine that leaks text
                clock.advance(spec.mt_s)
                return super().translate(text, source, target)

        self.stt = STT({})
        self.mt = MT()
        self.tts = FakeTextToSpeech(synthesis=lambda: clock.advance(engines.spec.tts_s))

    def prepare(self, spec: TurnSpec, source: str, target: str) -> None:
        self.spec = spec
        self.stt.texts = {source: spec.text}
        self.mt.score = -0.3 if spec.sure else -4.0
        if spec.pivot:
            self.mt.pairs = {(a, b) for a in (source, target) for b in ("en",)} | {("en", source), ("en", target)}
        else:
            self.mt.pairs = {(source, target), (target, source)}


class _Phrases:
    """PhraseLookup: one verified phrase, matched when the spec says so."""

    def __init__(self) -> None:
        self.spec = TurnSpec()

    def _texts(self) -> dict[str, str]:
        return {lang: f"[{lang}] {self.spec.text}" for lang in LANGS}

    def match(self, text: str, language: str) -> PhraseHit | None:
        return PhraseHit(PHRASE_ID, 99.0, self._texts()) if self.spec.verified else None

    def get(self, phrase_id: str, fills: Mapping[str, str] | None = None) -> Mapping[str, str]:
        return self._texts()


@functools.lru_cache(maxsize=64)
def _recorded(turns: tuple[TurnSpec, ...], visitor: str, staff: str, mode: str,
              end_reason: str) -> tuple[ev.Event, ...]:
    clock, phrases = StepClock(), _Phrases()
    fakes = _Engines(clock)
    rec = ev.Recorder()
    settings = Settings(data_dir=Path("/nonexistent/kiosk-stats-fixture"))  # only its thresholds are read
    conv = Conversation(Engines(fakes.stt, fakes.mt, fakes.tts), settings, rec, matcher=phrases, clock=clock)
    conv.start_session(mode=mode, visitor_language=visitor, staff_language=staff)
    for spec in turns:
        source, target = (visitor, staff) if spec.side == "visitor" else (staff, visitor)
        fakes.prepare(spec, source, target)
        phrases.spec = spec
        side = spec.side
        if spec.kind == "speech":
            tid = conv.start_speech(side=side, source=source, target=target)
            if spec.fail != "audio.nothing_heard":
                conv.push_audio(tid, PCM)
            conv.stop_speech(tid)
        elif spec.kind == "typed":
            tid = conv.submit_text(side=side, source=source, target=target, text=spec.text)
        else:
            tid = conv.submit_phrase(side=side, phrase_id=PHRASE_ID, source=source, target=target)
        conv.wait()
        if spec.feedback:
            conv.feedback(tid, spec.feedback)
    conv.end_session(end_reason)
    return tuple(rec.events)


def record_conversation(turns=(TurnSpec(),), *, visitor="vi", staff="ja", mode="counter",
                        end_reason="finished") -> list[ev.Event]:
    """The events the real ``Conversation`` emits for a session of ``turns`` (fresh session and turn ids)."""
    events = _recorded(tuple(turns), visitor, staff, mode, end_reason)
    return _renamed(events, uuid.uuid4().hex)


def _renamed(events, session_id: str) -> list[ev.Event]:
    turn_ids: dict[str, str] = {}
    out = []
    for e in events:
        changes: dict[str, str] = {}
        if hasattr(e, "session_id"):
            changes["session_id"] = session_id
        if hasattr(e, "turn_id"):
            changes["turn_id"] = turn_ids.setdefault(e.turn_id, uuid.uuid4().hex)
        out.append(dataclasses.replace(e, **changes))
    return out


def conversation(observer: Callable[[ev.Event], None], clock: FakeClock, turns=(TurnSpec(),), *, visitor="vi",
                 staff="ja", mode="counter", seconds=45.0, end_reason="finished", session_id=None) -> str:
    """Send a recorded session to ``observer``; ``clock`` moves ``seconds`` before SessionEnded.  Its session id."""
    events = record_conversation(turns, visitor=visitor, staff=staff, mode=mode, end_reason=end_reason)
    if session_id is not None:
        events = _renamed(events, session_id)
    *body, end = events
    for e in body:
        observer(e)
    clock.advance(seconds)
    observer(end)
    return end.session_id
