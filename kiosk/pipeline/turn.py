"""One conversational turn, run synchronously on a worker thread.

``TurnRunner`` takes the facts (engines, thresholds, content lookups, a clock,
a cancel flag) and emits events; it never touches Kivy or the disk.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.audio import rms
from kiosk.errors import KioskError
from kiosk.limits import check_text
from kiosk.pipeline import events as ev
from kiosk.pipeline.quality import assess

_LOGGER = logging.getLogger(__name__)


# ------------------------------------------------------------ content lookups
@dataclass(frozen=True)
class PhraseHit:
    entry_id: str
    similarity: float  # 0..100
    texts: Mapping[str, str]  # language code -> verified text


class PhraseLookup(Protocol):
    def match(self, text: str, language: str) -> PhraseHit | None: ...

    def get(self, phrase_id: str, fills: Mapping[str, str] | None = None) -> Mapping[str, str]: ...


class GlossaryLookup(Protocol):
    def missing(self, source_text: str, source_language: str, target_text: str, target_language: str) -> list[str]:
        """Ids of glossary terms in the source whose agreed translation is absent in the target."""

    def terms_in(self, text: str, language: str) -> list[str]:
        """Ids of glossary terms that occur in text."""


class Cancelled(Exception):
    pass


@dataclass
class TurnContext:
    turn_id: str
    session_id: str
    side: ev.Side
    source: str
    target: str
    input_kind: ev.InputKind
    started: float
    cancel: threading.Event = field(default_factory=threading.Event)
    stage: ev.Stage = "translate"  # the stage a failure is reported for


class TurnRunner:
    """Runs the stages of a turn and emits events to ``emit``."""

    def __init__(
        self,
        engines,
        settings,
        emit: ev.Observer,
        *,
        phrases: PhraseLookup | None = None,
        glossary: GlossaryLookup | None = None,
        clock: Callable[[], float],
        speak_aloud: bool = True,
    ) -> None:
        self.engines, self.settings, self.emit = engines, settings, emit
        self.phrases, self.glossary, self.clock = phrases, glossary, clock
        self.speak_aloud = speak_aloud
        use_terms = getattr(engines.translator, "use_terms", None)  # agreed terms carried through MT
        if use_terms is not None and glossary is not None and settings.mt_protect_terms:
            use_terms(getattr(glossary, "checker", None))

    # -- helpers
    def _elapsed(self, ctx: TurnContext) -> float:
        return round(self.clock() - ctx.started, 6)

    def _check(self, ctx: TurnContext) -> None:
        if ctx.cancel.is_set():
            raise Cancelled()

    def start(self, ctx: TurnContext) -> None:
        self.emit(ev.TurnStarted(ctx.turn_id, 0.0, ctx.session_id, ctx.side, ctx.source, ctx.target, ctx.input_kind))

    def fail(self, ctx: TurnContext, code: str, message: str, stage: ev.Stage) -> None:
        _LOGGER.info("turn failed: code=%s stage=%s %s→%s", code, stage, ctx.source, ctx.target)
        self.emit(ev.TurnFailed(ctx.turn_id, self._elapsed(ctx), code, message, stage))

    def _guarded(self, ctx: TurnContext, body: Callable[[], None]) -> None:
        """Run a turn's stages; any failure ends the turn with one TurnFailed for ``ctx.stage``."""
        try:
            body()
        except Cancelled:
            self.fail(ctx, "pipeline.cancelled", "The turn was cancelled.", ctx.stage)
        except KioskError as exc:
            self.fail(ctx, exc.code, exc.message, ctx.stage)
        except Exception:  # noqa: BLE001
            _LOGGER.exception("internal failure in stage %s", ctx.stage)
            self.fail(ctx, "pipeline.internal",
                      "Something went wrong. Try once more; if it happens again, see the log.", "internal")

    # -- speech in
    def recognise(self, ctx: TurnContext, chunks: Callable[[], bytes | None], phrases: Sequence[str] | None) -> None:
        """Stream audio from ``chunks()`` (None = end of speech) then run the rest of the turn."""
        ctx.stage = "listen"
        self._guarded(ctx, lambda: self._recognise(ctx, chunks, phrases))

    def _recognise(self, ctx: TurnContext, chunks: Callable[[], bytes | None], phrases: Sequence[str] | None) -> None:
        self.start(ctx)
        stream = self.engines.stt.open_stream(ctx.source, phrases)
        self.emit(ev.Listening(ctx.turn_id, self._elapsed(ctx)))
        last_partial = ""
        while True:
            self._check(ctx)
            pcm = chunks()
            if pcm is None:
                break
            if not pcm:
                continue
            self.emit(ev.AudioLevel(ctx.turn_id, self._elapsed(ctx), _level(pcm)))
            partial = stream.accept(pcm)
            if partial and partial != last_partial:
                last_partial = partial
                self.emit(ev.PartialText(ctx.turn_id, self._elapsed(ctx), partial))
        ctx.stage = "recognise"
        t_end = self.clock()
        transcript = stream.finish()
        self._check(ctx)
        if not transcript.heard:
            raise KioskError("audio.nothing_heard", "Nothing was heard. Hold the button and speak, or type instead.")
        self.emit(
            ev.FinalText(
                ctx.turn_id, self._elapsed(ctx), transcript.text, transcript.confidence, round(self.clock() - t_end, 6)
            )
        )
        self._after_text(ctx, transcript.text, transcript.confidence)

    # -- text in
    def from_text(self, ctx: TurnContext, text: str) -> None:
        def body() -> None:
            self.start(ctx)
            check_text(text, "The typed text")  # the app's text boxes stop at the limit; this guards other callers
            self.emit(ev.FinalText(ctx.turn_id, self._elapsed(ctx), text, 1.0, 0.0))
            self._after_text(ctx, text, None)

        self._guarded(ctx, body)

    def from_phrase(self, ctx: TurnContext, phrase_id: str, fills: Mapping[str, str] | None = None) -> None:
        def body() -> None:
            self.start(ctx)
            if self.phrases is None:
                raise KioskError("content.missing", "The phrasebook is not loaded.")
            texts = self.phrases.get(phrase_id, fills)
            self.emit(ev.FinalText(ctx.turn_id, self._elapsed(ctx), texts[ctx.source], 1.0, 0.0))
            hit = PhraseHit(phrase_id, 100.0, texts)
            self._deliver(ctx, hit=hit, stt_confidence=None, source_text=texts[ctx.source])

        self._guarded(ctx, body)

    # -- translation, back-translation, speech out
    def _after_text(self, ctx: TurnContext, text: str, stt_confidence: float | None) -> None:
        self._check(ctx)
        hit = None
        if self.phrases is not None and ctx.source != ctx.target:
            hit = self.phrases.match(text, ctx.source)
            if hit is not None and ctx.target not in hit.texts:
                hit = None
        self._deliver(ctx, hit=hit, stt_confidence=stt_confidence, source_text=text)

    def _deliver(
        self, ctx: TurnContext, *, hit: PhraseHit | None, stt_confidence: float | None, source_text: str
    ) -> None:
        t0 = self.clock()
        if hit is not None:
            self.emit(ev.PhraseMatched(ctx.turn_id, self._elapsed(ctx), hit.entry_id, hit.similarity))
            target_text, route, score, missing = hit.texts[ctx.target], (ctx.source, ctx.target), 0.0, []
        else:
            translation = self.engines.translator.translate(source_text, ctx.source, ctx.target)
            target_text, route, score = translation.text, translation.route, translation.score
            missing = self.glossary.missing(source_text, ctx.source, target_text, ctx.target) if self.glossary else []
        self._check(ctx)
        verdict = assess(
            verified=hit is not None, stt_confidence=stt_confidence, mt_score=None if hit else score,
            glossary_missing=missing, min_stt_confidence=self.settings.min_stt_confidence,
            min_mt_score=self.settings.min_mt_score,
        )
        cards = (
            tuple(missing)
            if missing
            else tuple(self.glossary.terms_in(source_text, ctx.source))
            if self.glossary
            else ()
        )
        self.emit(ev.TranslationReady(
            ctx.turn_id, self._elapsed(ctx), target_text, tuple(route), score, hit is not None,
            verdict.sure, verdict.reasons, cards, round(self.clock() - t0, 6),
        ))
        # speech out starts first (the listener waits for it); back-translation runs while the audio plays
        speech = _SpeechJob(self, ctx, target_text) if self.speak_aloud else None
        if speech:
            speech.start()
            synthesis_s = speech.wait_for_audio()
            if synthesis_s is not None:
                self.emit(ev.SpeechStarted(ctx.turn_id, self._elapsed(ctx), ctx.target, synthesis_s))
        try:
            t1 = self.clock()
            if hit is not None:
                back = hit.texts.get(ctx.source, source_text)
            else:
                back = self.engines.translator.translate(target_text, ctx.target, ctx.source).text
            self._check(ctx)
            self.emit(ev.BackTranslationReady(ctx.turn_id, self._elapsed(ctx), back, round(self.clock() - t1, 6)))
        except KioskError as exc:  # no reverse direction: the turn still succeeds
            _LOGGER.info("back-translation unavailable: %s", exc.code)
            self.emit(ev.BackTranslationReady(ctx.turn_id, self._elapsed(ctx), "", 0.0))
        finally:
            if speech:
                speech.join()
        if speech and speech.error is not None:
            self.fail(ctx, speech.error.code, speech.error.message, "speak")
            return
        if speech:
            self.emit(ev.SpeechFinished(ctx.turn_id, self._elapsed(ctx), speech.duration))
        self._check(ctx)
        self.emit(ev.TurnFinished(ctx.turn_id, self._elapsed(ctx)))


class _SpeechJob:
    """Speaks on a helper thread; the engine calls ``on_start`` when its audio starts (synthesis done)."""

    def __init__(self, runner: TurnRunner, ctx: TurnContext, text: str) -> None:
        self.runner, self.ctx, self.text = runner, ctx, text
        self.error: KioskError | None = None
        self.duration = 0.0  # the whole speak() call
        self.synthesis_s: float | None = None  # start() → audio starts; None if no audio started
        self._t0 = 0.0
        self._audio_or_end = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"speech-{ctx.turn_id[:8]}", daemon=True)

    def start(self) -> None:
        self._t0 = self.runner.clock()
        self._thread.start()

    def _on_start(self) -> None:
        if self.synthesis_s is None:
            self.synthesis_s = round(self.runner.clock() - self._t0, 6)
        self._audio_or_end.set()

    def _run(self) -> None:
        try:
            self.runner.engines.tts.speak(self.text, self.ctx.target, on_start=self._on_start)
        except KioskError as exc:
            self.error = exc
        except Exception:  # noqa: BLE001
            _LOGGER.exception("speech output failed")
            self.error = KioskError("tts.engine_failed", "Speech output failed. The text is still shown on screen.")
        finally:
            self.duration = round(self.runner.clock() - self._t0, 6)
            self._audio_or_end.set()

    def wait_for_audio(self) -> float | None:
        """Block until the audio starts (or speaking ended without any); the synthesis time, or None."""
        self._audio_or_end.wait()
        return self.synthesis_s

    def join(self) -> None:
        self._thread.join()


def _level(pcm: bytes) -> float:
    """RMS level 0..1 of int16 PCM for the level meter (linear: full scale at RMS 10000)."""
    return round(min(1.0, rms(pcm) * 32768 / 10000), 3)
