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

Threading: espeak-ng is one engine per process and pyttsx3 is not
thread-safe, so every call into it holds one module-wide lock.  Synthesis is
fast (tens of milliseconds per sentence); playback happens outside the lock
and ``stop()`` interrupts it from any thread.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
import wave
from pathlib import Path

from kiosk import languages
from kiosk.engines.base import SpeechAudio
from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)
_ENGINE_LOCK = threading.Lock()  # espeak-ng is process-global: one lock for every instance

# our language code -> espeak-ng voice language (matched against pyttsx3's voice list)
VOICES: dict[str, str] = {"ja": "ja", "en": "en-us", "vi": "vi", "zh": "cmn-latn-pinyin", "ko": "ko"}
_FIX = "Install the espeak-ng voices with: apt-get install espeak-ng espeak-ng-data"


class Pyttsx3TextToSpeech:
    """The ``TextToSpeech`` adapter.  ``voices`` overrides the language → espeak-ng voice table."""

    def __init__(self, rate: int = 150, volume: float = 1.0, voices: dict[str, str] | None = None,
                 japanese_to_kana: bool = True, driver: str = "espeak") -> None:
        self.rate, self.volume = int(rate), float(volume)
        self.voices = dict(VOICES if voices is None else voices)
        self.japanese_to_kana = japanese_to_kana
        self.driver = driver
        self._engine = None
        self._voice_ids: dict[str, str] | None = None
        self._stop = threading.Event()

    @classmethod
    def from_settings(cls, settings) -> "Pyttsx3TextToSpeech":
        return cls(rate=settings.tts_rate, volume=settings.tts_volume)

    # -------------------------------------------------------------- engine
    def _get_engine(self):
        """The pyttsx3 engine (created once; call with _ENGINE_LOCK held)."""
        if self._engine is None:
            try:
                import pyttsx3

                self._engine = pyttsx3.init(self.driver)
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

    # ----------------------------------------------------------- synthesis
    def spoken_text(self, text: str, language: str) -> str:
        """The text actually given to espeak-ng (Japanese converted to kana)."""
        if language == "ja" and self.japanese_to_kana:
            from kiosk.engines.japanese import to_kana

            return to_kana(text)
        return text

    def render(self, text: str, language: str) -> tuple[bytes, int]:
        """Synthesize to memory: (mono int16 PCM bytes, sample rate)."""
        voice = self.voice_id(language)
        spoken = self.spoken_text(text, language).strip()
        errors: list[BaseException] = []
        buf = io.BytesIO()
        with _ENGINE_LOCK:
            engine = self._get_engine()
            if not spoken:
                return b"", 22050
            token = engine.connect("error", lambda exception=None, **kw: errors.append(exception))
            try:
                engine.setProperty("voice", voice)
                engine.setProperty("rate", self.rate)
                engine.setProperty("volume", self.volume)
                # the espeak driver print()s "Audio saved to ..." from its callback; keep stdout clean
                with contextlib.redirect_stdout(io.StringIO()):
                    engine.save_to_file(spoken, buf)  # in memory: nothing later can overwrite a real file
                    engine.runAndWait()
            except Exception as exc:
                errors.append(exc)
            finally:
                engine.disconnect(token)
        try:
            if errors:
                raise ValueError(type(errors[0]).__name__)
            buf.seek(0)
            with wave.open(buf, "rb") as w:
                pcm, rate = w.readframes(w.getnframes()), w.getframerate()
        except (ValueError, EOFError, wave.Error) as exc:
            _LOGGER.warning("tts %s: synthesis failed (%s)", language, exc)
            raise KioskError(
                "tts.engine_failed",
                f"The speech-output engine produced no audio for {languages.get(language).english_name} ({language}). "
                "Run 'kiosk doctor' to check the espeak-ng installation.",
            ) from None
        _LOGGER.info("tts %s: %d samples at %d Hz", language, len(pcm) // 2, rate)
        return pcm, rate

    def synthesize(self, text: str, language: str, out_path: str | Path) -> SpeechAudio:
        from kiosk.audio import write_wav

        pcm, rate = self.render(text, language)
        path = write_wav(out_path, pcm, rate)
        return SpeechAudio(path, len(pcm) / 2 / rate, rate)

    # ------------------------------------------------------------ playback
    def speak(self, text: str, language: str) -> None:
        """Synthesize in memory and play on the default speaker until done or ``stop()``."""
        from kiosk.audio import play_pcm

        self._stop.clear()
        pcm, rate = self.render(text, language)
        if pcm and not self._stop.is_set():
            play_pcm(pcm, rate, self._stop)

    def stop(self) -> None:
        self._stop.set()
