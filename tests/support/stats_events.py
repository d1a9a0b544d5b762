"""Helpers for the stats tests: a settable clock and scripted conversations as event streams."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from kiosk.pipeline import events as ev

_ids = itertools.count(1)


class FakeClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@dataclass
class TurnSpec:
    kind: str = "speech"  # speech | typed | phrasebook
    side: str = "visitor"
    stt_s: float = 0.4
    mt_s: float = 0.8
    tts_s: float = 0.3
    sure: bool = True
    verified: bool = False
    pivot: bool = False
    fail: str | None = None  # error code: the turn fails in "translate"
    feedback: str | None = "understood"
    text: str = "Hello, I would like a residence certificate."


def conversation(observer, clock: FakeClock, turns=(TurnSpec(),), *, visitor="vi", staff="ja", mode="counter",
                 seconds=45.0, end_reason="finished", session_id=None) -> str:  # fmt: skip
    """Emit a whole session (SessionStarted … SessionEnded) to ``observer``."""
    sid = session_id or f"s{next(_ids)}"
    observer(ev.SessionStarted(session_id=sid, mode=mode, visitor_language=visitor, staff_language=staff))
    for spec in turns:
        tid = f"t{next(_ids)}"
        src, dst = (visitor, staff) if spec.side == "visitor" else (staff, visitor)
        observer(ev.TurnStarted(turn_id=tid, elapsed_s=0.0, session_id=sid, side=spec.side, source_language=src,
                                target_language=dst, input_kind=spec.kind))  # fmt: skip
        if spec.kind == "speech":
            observer(ev.Listening(turn_id=tid, elapsed_s=0.01))
            observer(ev.PartialText(turn_id=tid, elapsed_s=0.5, text=spec.text[:10]))
        stt = spec.stt_s if spec.kind == "speech" else 0.0
        observer(ev.FinalText(turn_id=tid, elapsed_s=1.0, text=spec.text, confidence=0.9, duration_s=stt))
        if spec.kind == "phrasebook" or spec.verified:
            observer(ev.PhraseMatched(turn_id=tid, elapsed_s=1.0, entry_id="residence.certificate", similarity=99.0))
        if spec.fail:
            observer(ev.TurnFailed(turn_id=tid, elapsed_s=1.1, code=spec.fail,
                                   message=f"could not translate {spec.text}", stage="translate"))  # fmt: skip
            continue
        route = (src, "en", dst) if spec.pivot else (src, dst)
        reasons = (() if spec.sure else ("low_mt_score",)) + (("pivoted",) if spec.pivot else ())
        observer(ev.TranslationReady(turn_id=tid, elapsed_s=2.0, text=f"[{dst}] {spec.text}", route=route,
                                     score=-0.5, verified=spec.verified, sure=spec.sure, reasons=reasons,
                                     glossary_ids=(), duration_s=0.0 if spec.verified else spec.mt_s))  # fmt: skip
        observer(ev.BackTranslationReady(turn_id=tid, elapsed_s=2.5, text=f"back: {spec.text}", duration_s=0.5))
        observer(ev.SpeechStarted(turn_id=tid, elapsed_s=2.8, language=dst, duration_s=spec.tts_s))
        observer(ev.SpeechFinished(turn_id=tid, elapsed_s=4.0, duration_s=1.2))
        observer(ev.TurnFinished(turn_id=tid, elapsed_s=4.0))
        if spec.feedback:
            observer(ev.Feedback(session_id=sid, turn_id=tid, outcome=spec.feedback))
    clock.advance(seconds)
    observer(ev.SessionEnded(session_id=sid, reason=end_reason))
    return sid
