"""Speech output with pyttsx3 on espeak-ng.

Voices (espeak-ng 1.51 ids as pyttsx3 lists them): ja ``jpx/ja``, en
``gmw/en-us``, vi ``aav/vi`` (Northern), ko ``ko``, zh ``sit/cmn-latn-pinyin``.
Chinese deliberately does not use ``sit/cmn``: that voice turns each hanzi
into pinyin with a tone digit and then reads the digit in English ("huo
three che one ..."); the ``cmn-latn-pinyin`` voice reads the same pinyin as
Mandarin with tones.  Japanese is converted to kana first (see
``japanese.py``): espeak-ng speaks every kanji as "Chinese letter".

The pyttsx3 overwrite bug: pyttsx3 2.99's espeak driver remembers the last
``save_to_file`` target and never forgets it, so a later ``say()`` is written
into that file instead of being spoken, and two ``save_to_file`` calls queued
in one ``runAndWait`` produce only the last file.  This adapter never calls
``say()``, queues exactly one ``save_to_file`` per ``runAndWait``, and hands
pyttsx3 an in-memory ``BytesIO`` instead of a path; the WAV file is then
written by this module.  So no later call can reach a file we returned, and
speech for ``speak()`` never touches the disk.

Races inside pyttsx3 2.99's espeak driver, and what this module does:
espeak-ng runs in AUDIO_OUTPUT_RETRIEVAL mode, i.e. on its own thread, and the
driver's ``runAndWait`` can return before the audio is complete; ``runAndWait``
also calls the driver's ``stop()``, which cancels espeak-ng whenever it "is
playing" — including when it is merely applying the rate/voice settings just
queued.  Measured before the fixes below: 3 of 16 fresh processes got empty
audio on their first synthesis, 1 ran at the driver's default rate 200, and
about 1 in 70 back-to-back syntheses came back empty.  So each synthesis
waits until espeak-ng and the driver are idle, sets voice/rate/volume, waits
again, then waits for the driver's own "finished-utterance (completed)"
event, and waits for idle once more before releasing the lock.  After that:
0 failures in 200 sequential and 625 five-thread syntheses.  (espeak-ng's
synchronous mode would avoid the thread, but then espeak-ng never sends the
end-of-message event the driver waits for, so ``runAndWait`` hangs.)

Threading: espeak-ng is one engine per process and pyttsx3 is not
thread-safe, so there is one pyttsx3 engine per process, shared by every
instance and never dropped (a dropped engine unregisters the process-wide
synthesis callback whenever the garbage collector gets to it), and every call
into it holds one module-wide lock.  Synthesis takes tens of milliseconds per
sentence; playback happens outside the lock and ``stop()`` interrupts it
from any thread.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk import languages
from kiosk.audio import play_pcm, write_wav
from kiosk.engines.base import SpeechAudio
from kiosk.engines.japanese import to_kana
from kiosk.engines.sentences import split_sentences
from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)
_ENGINE_LOCK = threading.Lock()  # espeak-ng is process-global: one lock for every instance
_ENGINES: dict[str, Any] = {}  # driver name -> pyttsx3 engine, created once and kept for the process

# our language code -> espeak-ng voice language (matched against pyttsx3's voice list)
VOICES: dict[str, str] = {code: lang.espeak_voice for code, lang in languages.LANGUAGES.items()}
_SYNTH_TIMEOUT_S = 30.0
PIECE_CHARS = 400  # longest text handed to espeak-ng at once
_FIX = "Install the espeak-ng voices with: apt-get install espeak-ng espeak-ng-data"


def split_pieces(text: str, language: str, limit: int = PIECE_CHARS) -> list[str]:
    """Whole sentences grouped into pieces of at most ``limit`` characters; longer sentences are cut at a
    space (or anywhere, for text without spaces).  Nothing but whitespace between pieces is lost."""
    if len(text) <= limit:
        return [text] if text.strip() else []
    pieces: list[str] = []
    current = ""
    for sentence in split_sentences(text, language):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", limit // 2, limit + 1)
            cut = cut if cut > 0 else limit
            head, sentence = sentence[:cut].strip(), sentence[cut:].strip()
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        sep = "" if current and ord(current[-1]) >= 0x2E80 else " "  # no space after CJK text
        if current and len(current) + len(sep) + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current = f"{current}{sep}{sentence}" if current else sentence
    if current:
        pieces.append(current)
    return [p for p in pieces if p]


def _wait_until_idle(engine=None, timeout_s: float = 5.0) -> None:
    """Wait until espeak-ng's thread (and the pyttsx3 driver, if given) have finished the last command."""
    from pyttsx3.drivers import _espeak

    deadline = time.monotonic() + timeout_s
    while (_espeak.IsPlaying() or (engine is not None and engine.isBusy())) and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(0.002)  # the driver's callback still runs a few lines after it clears "busy"


class Pyttsx3TextToSpeech:
    """The ``TextToSpeech`` adapter.  ``voices`` overrides the language → espeak-ng voice table."""

    def __init__(self, rate: int = 150, volume: float = 1.0, voices: dict[str, str] | None = None,
                 japanese_to_kana: bool = True, driver: str = "espeak") -> None:
        self.rate, self.volume = int(rate), float(volume)
        self.voices = dict(VOICES if voices is None else voices)
        self.japanese_to_kana = japanese_to_kana
        self.driver = driver
        self._engine: Any = None  # the pyttsx3 engine, once started
        self._voice_ids: dict[str, str] | None = None
        self._stop = threading.Event()

    @classmethod
    def from_settings(cls, settings) -> Pyttsx3TextToSpeech:
        return cls(rate=settings.tts_rate, volume=settings.tts_volume)

    # -------------------------------------------------------------- engine
    def _get_engine(self):
        """The process-wide pyttsx3 engine (call with _ENGINE_LOCK held; never dropped)."""
        if self._engine is None:
            try:
                if self.driver not in _ENGINES:
                    import pyttsx3

                    engine = pyttsx3.init(self.driver)
                    if self.driver == "espeak":
                        _wait_until_idle()  # the driver's initial settings, else runAndWait cancels them
                    engine.runAndWait()  # settle pyttsx3's busy flag; see render()
                    _ENGINES[self.driver] = engine
                self._engine = _ENGINES[self.driver]
            except Exception as exc:  # missing libespeak-ng (OSError), bad driver (ImportError), init failure
                _LOGGER.warning("tts engine failed to start: %s", type(exc).__name__)
                raise KioskError(
                    "tts.engine_failed",
                    "The speech-output engine (pyttsx3 on espeak-ng) could not start. "
                    "Install it with: apt-get install espeak-ng libespeak-ng1",
                ) from None
        return self._engine

    def _available(self) -> dict[str, str]:
        """espeak-ng voice language/id → pyttsx3 voice id, for every installed voice."""
        if self._voice_ids is None:
            with _ENGINE_LOCK:
                voices = self._get_engine().getProperty("voices")
            ids: dict[str, str] = {}
            for v in voices:
                ids.setdefault(v.id, v.id)
                ids.setdefault(v.id.rsplit("/", 1)[-1], v.id)
                for lang in v.languages or ():
                    ids.setdefault(str(lang), v.id)
            self._voice_ids = ids
        return self._voice_ids

    def voice_id(self, language: str) -> str:
        """The pyttsx3 voice id used for a language, or raise ``tts.missing_voice``."""
        lang = languages.get(language)
        wanted = self.voices.get(language)
        found = self._available().get(wanted) if wanted else None
        if found is None:
            raise KioskError(
                "tts.missing_voice",
                f"No speech-output voice for {lang.english_name} ({language}): espeak-ng has no "
                f"'{wanted or language}' voice. {_FIX}",
            )
        return found

    def languages(self) -> list[str]:
        available = self._available()
        return [c for c in languages.CODES if self.voices.get(c) in available]

    def preload(self, languages: list[str] | None = None) -> None:
        """Start the engine now (and pykakasi's dictionary if Japanese is used): ~0.6 s saved on the first reply."""
        if "ja" in (languages or self.languages()) and self.japanese_to_kana:
            to_kana("日本")

    # ----------------------------------------------------------- synthesis
    def spoken_text(self, text: str, language: str) -> str:
        """The text actually given to espeak-ng (Japanese converted to kana)."""
        if language == "ja" and self.japanese_to_kana:
            return to_kana(text)
        return text

    def render(self, text: str, language: str) -> tuple[bytes, int]:
        """Synthesize to memory: (mono int16 PCM bytes, sample rate).

        Long text is synthesized in pieces of at most ``PIECE_CHARS`` characters (whole sentences where
        possible): espeak-ng crashes on one very long utterance and slows down with the square of its length.
        """
        voice = self.voice_id(language)
        spoken = self.spoken_text(text, language).strip()
        pieces = split_pieces(spoken, language)
        if not pieces:
            with _ENGINE_LOCK:
                self._get_engine()
            return b"", 22050
        out, rate = bytearray(), 22050
        for piece in pieces:
            pcm, rate = self._render_piece(piece, voice, language)
            out += pcm
        _LOGGER.info("tts %s: %d samples at %d Hz in %d piece(s)", language, len(out) // 2, rate, len(pieces))
        return bytes(out), rate

    def _render_piece(self, spoken: str, voice: str, language: str) -> tuple[bytes, int]:
        errors: list[BaseException] = []
        buf = io.BytesIO()
        with _ENGINE_LOCK:
            engine = self._get_engine()
            done = threading.Event()

            def finished(completed: bool = True, **kw) -> None:
                if completed:
                    done.set()

            tokens = [engine.connect("error", lambda exception=None, **kw: errors.append(exception)),
                      engine.connect("finished-utterance", finished)]
            try:
                if self.driver == "espeak":
                    _wait_until_idle(engine)  # else stale callbacks and flags mix into this utterance
                engine.setProperty("voice", voice)
                engine.setProperty("rate", self.rate)
                engine.setProperty("volume", self.volume)
                if self.driver == "espeak":
                    _wait_until_idle(engine)  # the settings are queued commands inside espeak-ng too
                # the espeak driver print()s "Audio saved to ..." from its callback; keep stdout clean
                with contextlib.redirect_stdout(io.StringIO()):
                    engine.save_to_file(spoken, buf)  # in memory: nothing later can overwrite a real file
                    engine.runAndWait()
                    # espeak-ng synthesizes on its own thread and runAndWait can return before
                    # it is done, so wait for the driver's own "finished (completed)" event
                    if not done.wait(_SYNTH_TIMEOUT_S):
                        errors.append(TimeoutError())
                    if self.driver == "espeak":
                        _wait_until_idle(engine)
            except Exception as exc:
                errors.append(exc)
            finally:
                for token in tokens:
                    engine.disconnect(token)
        try:
            if errors:
                raise ValueError(type(errors[0]).__name__)
            buf.seek(0)
            with wave.open(buf, "rb") as w:
                return w.readframes(w.getnframes()), w.getframerate()
        except (ValueError, EOFError, wave.Error) as exc:
            _LOGGER.warning("tts %s: synthesis failed (%s)", language, exc)
            raise KioskError(
                "tts.engine_failed",
                f"The speech-output engine produced no audio for {languages.get(language).english_name} ({language}). "
                "Run 'kiosk doctor' to check the espeak-ng installation.",
            ) from None

    def synthesize(self, text: str, language: str, out_path: str | Path) -> SpeechAudio:
        pcm, rate = self.render(text, language)
        path = write_wav(out_path, pcm, rate)
        return SpeechAudio(path, len(pcm) / 2 / rate, rate)

    # ------------------------------------------------------------ playback
    def speak(self, text: str, language: str, on_start: Callable[[], None] | None = None) -> None:
        """Synthesize in memory and play on the default speaker until done or ``stop()``; ``on_start()``
        when the audio starts."""
        self._stop.clear()
        pcm, rate = self.render(text, language)
        if pcm and not self._stop.is_set():
            if on_start is not None:
                on_start()
            play_pcm(pcm, rate, self._stop)

    def stop(self) -> None:
        self._stop.set()
