"""Speech recognition measured the way the app runs it (shared by ``kiosk bench`` and
``benchmarks/speech_compare.py``).

The app's microphone hands the recogniser a chunk of audio every ``MIC_CHUNK_S`` while the
person speaks; a streaming recogniser (Vosk, or Whisper's background passes) does most of its
work then, so at the end of speech only a short final pass is left.  ``stream_like_microphone``
feeds a recorded clip the same way: each chunk when it has been spoken (real-time pace), then
``finish()``; it times **end of speech → final text** (from the moment the last audio was
spoken, so a recogniser that falls behind pays for its backlog).  ``one_pass_s`` is the other
figure: the whole clip recognised at once, for the real-time factor.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.audio import MIC_CHUNK_S
from kiosk.engines.base import SAMPLE_RATE, chunks

BYTES_PER_S = SAMPLE_RATE * 2  # 16 kHz mono int16
MIC_CHUNK = int(SAMPLE_RATE * MIC_CHUNK_S) * 2  # bytes per microphone chunk


@dataclass(frozen=True)
class Streamed:
    text: str  # the final text
    final_s: float  # end of speech → final text
    audio_s: float  # length of the clip


def stream_like_microphone(engine: Any, pcm: bytes, language: str, *, chunk_bytes: int = MIC_CHUNK,
                           realtime: bool = True, clock: Callable[[], float] = time.perf_counter,
                           sleep: Callable[[float], None] = time.sleep) -> Streamed:
    """Feed ``pcm`` to ``engine.open_stream(language)`` as a microphone would; time the final text.

    ``realtime=False`` feeds as fast as the recogniser takes it (tests: the same calls, no waiting);
    end of speech is then the moment the last chunk is handed over."""
    stream = engine.open_stream(language)
    start = clock()
    spoken = 0
    end_of_speech = start
    for chunk in chunks(pcm, chunk_bytes):
        spoken += len(chunk)
        end_of_speech = start + spoken / BYTES_PER_S if realtime else clock()
        wait = end_of_speech - clock()  # the chunk reaches the app when it has been said
        if wait > 0:
            sleep(wait)
        stream.accept(chunk)
    text = stream.finish().text
    return Streamed(text, clock() - end_of_speech, len(pcm) / BYTES_PER_S)


def one_pass_s(engine: Any, pcm: bytes, language: str, clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds to recognise the whole clip at once (``transcribe_pcm``, else chunks fed without waiting)."""
    t0 = clock()
    if hasattr(engine, "transcribe_pcm"):
        engine.transcribe_pcm(pcm, language)
    else:
        stream = engine.open_stream(language)
        for chunk in chunks(pcm, MIC_CHUNK):
            stream.accept(chunk)
        stream.finish()
    return clock() - t0
