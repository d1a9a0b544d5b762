"""Measure this tablet: speech recognition per language, translation per direction, speech
output, the simulated turn, memory and start-up — on the installed engines and packs.

Speech is measured as the app runs it (``kiosk.bench.speech``): every bundled clip of the
language is streamed in microphone-sized chunks at speaking pace, and the latency is end of
speech → final text; CER is scored on that final text, the real-time factor on one whole pass.

``Bench(settings).run(progress)`` returns a ``Report`` (see report.py).  Every step is
guarded: an engine that fails gives an ``error`` line with its code, never a crash.
Timings use ``time.perf_counter``; nothing here is asserted in tests (the decisions are,
in targets.py).
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

from kiosk.audio import read_wav
from kiosk.bench import targets as T
from kiosk.bench.data import DEFAULT_CLIPS_DIR, Clip, cer, clips, normalise, speed_sentences
from kiosk.bench.engines import InstalledSpeech, SpeechSource
from kiosk.bench.probe import run_probe
from kiosk.bench.report import Line, Report
from kiosk.bench.speech import one_pass_s, stream_like_microphone
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech
from kiosk.errors import KioskError
from kiosk.languages import LANGUAGES
from kiosk.packs.catalogue import load_catalogue
from kiosk.packs.registry import installed

_LOGGER = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Plan:
    quick: bool
    clips_per_language: int | None  # None: every bundled clip (the set the README's figures are measured on)
    mt_sentences: int
    tts_sentences: int
    probes: bool = True  # start-up and memory in a child process
    speech_runs: int = 1  # streamed runs per clip
    realtime: bool = True  # clips arrive at speaking pace, as from the microphone (False: tests, no waiting)

    @classmethod
    def make(cls, quick: bool, probes: bool = True) -> Plan:
        # speech: every clip in both (a subset would not be the figure it is compared with); full: two runs each
        return cls(True, None, 3, 2, probes) if quick else cls(False, None, 15, 5, probes, speech_runs=2)


@dataclass(frozen=True)
class Heard:
    """One streamed run of one clip."""

    clip: Clip
    text: str
    final_s: float  # end of speech → final text


class Bench:
    """Everything a run needs, injected (tests pass fakes or tiny packs)."""

    def __init__(self, settings, *, plan: Plan | None = None, speech: SpeechSource | None = None,
                 translator: Any = None, tts: Any = None, targets: T.Targets | None = None,
                 clips_dir: Path = DEFAULT_CLIPS_DIR, real_packs: Callable[[tuple[str, ...]], bool] | None = None,
                 ) -> None:
        self.settings = settings
        self.plan = plan or Plan.make(quick=False)
        self.targets = targets or T.Targets.from_settings(settings)
        self.speech = speech or InstalledSpeech(settings)
        self._translator, self._tts = translator, tts
        self.clips_dir = clips_dir
        self.real_route = real_packs or self._real_route
        self._known: dict[Path, bool] | None = None
        self._stt_results: dict[str, tuple[Any, list[Heard], float]] = {}

    # ------------------------------------------------------------------ engines
    @property
    def translator(self):
        if self._translator is None:
            self._translator = ArgosTranslator.from_settings(self.settings)
        return self._translator

    @property
    def tts(self):
        if self._tts is None:
            self._tts = Pyttsx3TextToSpeech.from_settings(self.settings)
        return self._tts

    def _real_route(self, route: tuple[str, ...]) -> bool:
        """Every pack on the route is a catalogued, verified pack (not a test or unknown one)."""
        if self._known is None:
            cat = load_catalogue()
            self._known = {p.path.resolve(): (not p.unknown and cat.by_id(p.id) is not None)
                           for p in installed(self.settings) if p.kind == "mt"}
        packs = getattr(self.translator, "packs", {})
        hops = list(pairwise(route))
        return bool(hops) and all(
            (a, b) in packs and self._known.get(Path(packs[(a, b)].folder).resolve(), False) for a, b in hops)

    # ------------------------------------------------------------------ run
    def steps(self) -> list[tuple[str, Callable[[], list[Line]]]]:
        langs = list(self.settings.languages)
        steps: list[tuple[str, Callable[[], list[Line]]]] = []
        try:
            stt_langs = self.speech.languages()
        except KioskError:
            stt_langs = []
        one = _one
        for lang in langs:
            steps.append((f"speech recognition {lang}", partial(self.stt_line, lang, lang in stt_langs)))
        staff = self.settings.staff_language
        for a in langs:
            for b in langs:  # quick: only what a counter translates (staff ↔ visitor); full: every direction
                if a != b and (not self.plan.quick or staff in (a, b)):
                    steps.append((f"translation {a}→{b}", partial(one, self.mt_line, a, b)))
        for lang in langs:
            steps.append((f"speech output {lang}", partial(one, self.tts_line, lang)))
        for lang in langs:
            steps.append((f"turn {lang}", partial(one, self.e2e_line, lang)))
        if self.plan.probes:
            steps.append(("start-up", partial(one, self.startup_line)))
            steps.append(("memory", partial(one, self.memory_line)))
        return steps

    def run(self, progress: Progress | None = None) -> Report:
        started = time.time()
        steps = self.steps()
        lines: list[Line] = []
        for i, (label, step) in enumerate(steps):
            if progress:
                progress(i, len(steps), label)
            try:
                lines.extend(step())
            except KioskError as exc:
                kind, _, subject = label.rpartition(" ")
                lines.append(Line(_KIND.get(kind, kind), subject, T.ERROR, "", f"[{exc.code}] {exc.message}"))
        if progress:
            progress(len(steps), len(steps), "done")
        return Report(lines=lines, quick=self.plan.quick, started=started, duration_s=time.time() - started,
                      targets=self.targets)

    # ------------------------------------------------------------------ speech recognition
    def _recognise(self, lang: str) -> tuple[Any, list[Heard], float]:
        """(serving recogniser, streamed runs, real-time factor of one whole pass), cached for the turn step."""
        if lang not in self._stt_results:
            serving = self.speech.serving(lang)
            chosen = clips(lang, self.clips_dir)[: self.plan.clips_per_language]
            if hasattr(serving.engine, "preload"):
                serving.engine.preload(lang)
            heard: list[Heard] = []
            processing = audio = 0.0
            for clip in chosen:
                pcm = read_wav(clip.path)
                processing += one_pass_s(serving.engine, pcm, lang)  # also warms the decoder up
                audio += len(pcm) / 32000
                for _ in range(self.plan.speech_runs):
                    run = stream_like_microphone(serving.engine, pcm, lang, realtime=self.plan.realtime)
                    heard.append(Heard(clip, run.text, run.final_s))
            self._stt_results[lang] = (serving, heard, processing / max(1e-9, audio))
        return self._stt_results[lang]

    def stt_line(self, lang: str, installed: bool) -> list[Line]:
        tg = self.targets
        target = f"CER ≤ {tg.max_cer:.2f}, RTF ≤ {tg.max_rtf:.1f}, speech end → final text p95 ≤ {tg.text_p95_s:.2f} s"
        if not installed:
            hint = f"no speech model installed (e.g. {LANGUAGES[lang].vosk_pack})"
            return [Line("stt", lang, T.MISSING, target, hint)]
        serving, heard, rtf = self._recognise(lang)
        if not heard:
            hint = f"{serving.name}; no bundled clip in this language to measure on"
            return [Line("stt", lang, T.MISSING, target, hint)]
        finish = [h.final_s for h in heard]
        err = pooled_cer([(h.clip.transcript, h.text) for h in heard])
        p50, p95 = T.percentile(finish, 50), T.percentile(finish, 95)
        values = {"cer": err, "rtf": rtf, "p50_s": p50, "p95_s": p95,
                  "clips": float(len({h.clip.path for h in heard})), "runs": float(len(heard))}
        return [Line("stt", lang, T.stt_verdict(err, rtf, p95, self.targets), target, serving.name, values)]

    # ------------------------------------------------------------------ translation
    def mt_line(self, a: str, b: str) -> Line:
        target = f"p95 ≤ {self.targets.text_p95_s:.2f} s"
        try:
            route = tuple(self.translator.route(a, b))
        except KioskError as exc:
            if exc.code == "mt.missing_direction":
                return Line("mt", f"{a}→{b}", T.MISSING, target, "no pack serves this direction")
            raise
        if hasattr(self.translator, "warm_up"):
            self.translator.warm_up(a, b)
        sentences = speed_sentences(a, self.plan.mt_sentences)
        self.translator.translate(sentences[0], a, b)  # first call warms caches
        times = []
        for s in sentences:
            t0 = time.perf_counter()
            self.translator.translate(s, a, b)
            times.append(time.perf_counter() - t0)
        real = self.real_route(route)
        values = {"p50_s": T.percentile(times, 50), "p95_s": T.percentile(times, 95), "n": float(len(times))}
        note = "→".join(route) + ("" if real else
                                  "; not a catalogued pack (test or unknown): install real packs to judge")
        return Line("mt", f"{a}→{b}", T.mt_verdict(values["p95_s"], real, self.targets), target, note, values)

    # ------------------------------------------------------------------ speech output
    def _render(self, text: str, lang: str) -> float:
        t0 = time.perf_counter()
        if hasattr(self.tts, "render"):
            self.tts.render(text, lang)
        else:
            with tempfile.TemporaryDirectory() as d:
                self.tts.synthesize(text, lang, Path(d) / "out.wav")
        return time.perf_counter() - t0

    def tts_line(self, lang: str) -> Line:
        target = f"p95 ≤ {self.targets.speech_start_s:.2f} s"
        if lang not in self.tts.languages():
            return Line("tts", lang, T.MISSING, target, "no speech-output voice (apt-get install espeak-ng-data)")
        if hasattr(self.tts, "preload"):
            self.tts.preload([lang])
        texts = speed_sentences(lang, self.plan.tts_sentences)
        self._render(texts[0], lang)  # warm
        times = [self._render(t, lang) for t in texts]
        values = {"p50_s": T.percentile(times, 50), "p95_s": T.percentile(times, 95), "n": float(len(times))}
        return Line("tts", lang, T.at_most(values["p95_s"], self.targets.speech_start_s), target, "", values)

    # ------------------------------------------------------------------ the simulated turn
    def _turn_target(self, lang: str) -> str | None:
        """Where a visitor speaking ``lang`` is translated to: the staff language, else the first other."""
        staff = self.settings.staff_language
        order = [staff] + [x for x in self.settings.languages if x != staff]
        for other in order:
            if other == lang:
                continue
            try:
                self.translator.route(lang, other)
                return other
            except KioskError:
                continue
        return None

    def e2e_line(self, lang: str) -> Line:
        tg = self.targets
        target = f"speech end → text p95 ≤ {tg.text_p95_s:.2f} s, → audio ≤ {tg.speech_start_s:.2f} s"
        try:
            has_stt = lang in self.speech.languages()
        except KioskError:
            has_stt = False
        other = self._turn_target(lang)
        if not has_stt or other is None:
            why = "no speech model" if not has_stt else "no translation route from this language"
            return Line("e2e", lang, T.MISSING, target, why)
        _serving, heard, _rtf = self._recognise(lang)
        if not heard or other not in self.tts.languages():
            return Line("e2e", f"{lang}→{other}", T.MISSING, target, "no clip or no voice to measure with")
        text_times, speech_times = [], []
        for h in heard:  # end of speech → final text (streamed), then the translation
            t0 = time.perf_counter()
            out = self.translator.translate(h.text or "-", lang, other)
            text_times.append(h.final_s + time.perf_counter() - t0)
            speech_times.append(self._render(out.text or "-", other))
        route = tuple(self.translator.route(lang, other))
        real = self.real_route(route)
        values = {"text_p50_s": T.percentile(text_times, 50), "text_p95_s": T.percentile(text_times, 95),
                  "speech_p50_s": T.percentile(speech_times, 50), "speech_p95_s": T.percentile(speech_times, 95)}
        verdict = T.e2e_verdict(values["text_p95_s"], values["speech_p95_s"], real, self.targets)
        note = "→".join(route) + ("" if real else "; translation on a test/unknown pack: install real packs to judge")
        return Line("e2e", f"{lang}→{other}", verdict, target, note, values)

    # ------------------------------------------------------------------ child-process probes
    def startup_line(self) -> Line:
        target = f"≤ {self.targets.startup_s:.1f} s"
        out = run_probe(self.settings, ["startup"])
        return Line("startup", "engines + content", T.at_most(out["startup_s"], self.targets.startup_s), target,
                    "fresh process: imports, engines built, content loaded (models load when a language is picked:"
                    " see peak memory)", {"s": out["startup_s"]})

    def memory_line(self) -> Line:
        pair = self.memory_pair()
        target = f"≤ {self.targets.peak_rss_mb:.0f} MB"
        out = run_probe(self.settings, ["memory", *pair])
        both = [(a, b) for a, b in (pair, pair[::-1]) if self._routable(a, b)]
        real = len(both) == 2 and all(self.real_route(tuple(self.translator.route(a, b))) for a, b in both)
        verdict = T.at_most(out["peak_rss_mb"], self.targets.peak_rss_mb)
        note = f"{pair[0]}+{pair[1]} loaded: {', '.join(out.get('loaded', [])) or 'nothing installed'}"
        if verdict == T.PASS and not real:
            verdict = T.NEEDS_REAL
            note += ("; no translation packs for this pair" if len(both) < 2
                     else "; test/unknown translation packs are far smaller than real ones")
        values = {"mb": out["peak_rss_mb"], "load_s": out.get("load_s", 0.0)}
        return Line("memory", "+".join(pair), verdict, target, note, values)

    def _routable(self, a: str, b: str) -> bool:
        try:
            self.translator.route(a, b)
            return True
        except KioskError:
            return False

    def memory_pair(self) -> tuple[str, str]:
        staff = self.settings.staff_language
        others = [x for x in self.settings.languages if x != staff] or [x for x in ("en", "ja") if x != staff]
        best = max(others, key=lambda x: (self._routable(x, staff), x in self.speech.languages()))
        return staff, best


def pooled_cer(pairs: list[tuple[str, str]]) -> float:
    """CER over all (reference, hypothesis) pairs, each weighted by its reference length (as the README's)."""
    chars = [len(normalise(ref)) for ref, _ in pairs]
    return sum(cer(ref, hyp) * n for (ref, hyp), n in zip(pairs, chars, strict=True)) / max(1, sum(chars))


def _one(fn: Callable[..., Line], *args: str) -> list[Line]:
    return [fn(*args)]


_KIND = {"speech recognition": "stt", "translation": "mt", "speech output": "tts", "turn": "e2e", "": "other"}
