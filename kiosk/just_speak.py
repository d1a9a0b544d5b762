""""Just speak" for the start and attract screens, without Kivy: listen, then rank the languages.

``JustSpeak.start(offered, done)`` opens the microphone (the same factory the
conversation uses), collects up to ``seconds`` of audio (or until ``stop()``),
then, off the UI thread, asks the Whisper engine (``engines.stt.detector()``)
which of the ``offered`` languages was spoken, and hands the ``Detection`` to
``done`` on the UI thread (``call_soon``).  ``kiosk.ui.viewmodels.just_speak``
words what the screen shows.  The audio never leaves memory.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from kiosk.engines.language_id import Detection, decide
from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)
LISTEN_S = 3.0  # measured: 24 of 27 clips right from 2–3 s of speech


class JustSpeak:
    def __init__(self, detector: Callable[[], object | None], microphone_factory: Callable | None,
                 run_in_background: Callable[[Callable[[], None], str], None],
                 call_soon: Callable[[Callable[[], None]], None], seconds: float = LISTEN_S) -> None:
        self.detector, self.microphone_factory = detector, microphone_factory
        self.run_in_background, self.call_soon = run_in_background, call_soon
        self.limit = int(seconds * 32000)  # bytes of 16 kHz int16
        self._lock = threading.Lock()
        self._pcm = bytearray()
        self._mic = None
        self._done: Callable[[Detection], None] | None = None
        self._offered: tuple[str, ...] = ()

    @property
    def listening(self) -> bool:
        return self._mic is not None

    def start(self, offered: Sequence[str], done: Callable[[Detection], None]) -> None:
        """Listen now; ``done(detection)`` runs on the UI thread (no language: nothing heard or no Whisper)."""
        if self._mic is not None:
            return
        self._pcm, self._done, self._offered = bytearray(), done, tuple(offered)
        try:
            if self.microphone_factory is None:
                raise KioskError("audio.no_device", "No microphone is configured.")
            self._mic = self.microphone_factory(self._audio)
            self._mic.start()
        except KioskError as exc:
            _LOGGER.info("just speak: microphone failed (%s)", exc.code)
            self._mic = None
            self.call_soon(lambda: done(decide([])))

    def _audio(self, pcm: bytes) -> None:
        with self._lock:
            if self._mic is None:
                return
            self._pcm += pcm
            full = len(self._pcm) >= self.limit
        if full:
            self.stop()

    def stop(self) -> None:
        """Stop listening (the visitor let go, or the time is up) and detect in the background."""
        with self._lock:
            mic, self._mic = self._mic, None
            pcm, done, offered = bytes(self._pcm[: self.limit]), self._done, self._offered
        if mic is None or done is None:
            return
        try:
            mic.stop()
        except Exception:  # noqa: BLE001 - a microphone that fails to stop must not keep the answer back
            _LOGGER.warning("just speak: microphone did not stop cleanly")

        def work() -> None:
            engine = self.detector()
            ranked = engine.detect_languages(pcm, offered) if engine is not None and pcm else []
            detection = decide(ranked)
            sure = "sure" if detection.confident else "unsure"
            _LOGGER.info("just speak: %s (%s)", detection.best or "nothing", sure)
            self.call_soon(lambda: done(detection))

        self.run_in_background(work, "just-speak")
