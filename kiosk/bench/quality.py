"""``kiosk bench --quality``: chrF++ of every installed route on FLORES-200 sentences.

Every direction among the configured languages is scored on each of its routes (each
installed direct pack, and via English) with sacrebleu's chrF++ (``CHRF(word_order=2)``)
against the packaged references.  The published figure of the pack (catalogue ``quality``)
is printed beside it where there is one.  Scores are saved to
``<data_dir>/bench/quality.json`` keyed by route and pack ids, so route choice can use
them (a changed pack gets a new key and is measured again).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.bench import targets as T
from kiosk.bench.data import flores_pairs
from kiosk.bench.report import Line
from kiosk.errors import KioskError
from kiosk.packs.registry import QUALITY_FILE

Progress = Callable[[int, int, str], None]


def chrf_pp(hypotheses: list[str], references: list[str]) -> float:
    """Corpus chrF++ (character n-grams up to 6 plus word n-grams up to 2), 0..100."""
    from sacrebleu.metrics import CHRF

    return CHRF(word_order=2).corpus_score(hypotheses, [references]).score


def quality_lines(settings, translator, *, sentences: int, real_route: Callable[[tuple[str, ...]], bool],
                  published: dict[str, list] | None = None, progress: Progress | None = None) -> list[Line]:
    """One line per installed route of every direction; also saves the scores."""
    jobs: list[tuple[str, str, Any]] = []
    for a in settings.languages:
        for b in settings.languages:
            if a != b:
                try:
                    jobs.extend((a, b, c) for c in translator.candidates(a, b, every_pack=True))
                except KioskError:
                    continue
    lines, scores = [], {}
    total, done = len(jobs) * sentences, 0  # progress per sentence: a real route takes a minute or more
    for a, b, cand in jobs:
        label = f"quality {'→'.join(cand.route)}"
        pairs = flores_pairs(a, b, sentences)
        hyps = []
        for src, _ref in pairs:
            if progress:
                progress(done, total, label)
            hyps.append(translator.translate(src, a, b, via=cand).text)
            done += 1
        score = chrf_pp(hyps, [ref for _src, ref in pairs])
        scores[cand.key] = {"chrf": round(score, 2), "sentences": len(pairs)}
        real = real_route(cand.route)
        figures = (published or {}).get(cand.packs[0], []) if len(cand.packs) == 1 else []
        pub = "; ".join(f"{q.metric} {q.score:g} on {q.testset}" for q in figures)
        note = f"{pub}|{cand.label}" + ("" if real else "; test/unknown pack: the score says nothing about a real one")
        values = {"chrf": score, "n": float(len(pairs))}
        if figures:
            values["published"] = figures[0].score
        how = f"direct {cand.packs[0]}" if len(cand.route) == 2 else "via " + cand.route[1]
        lines.append(Line("quality", f"{a}→{b} {how}",
                          T.quality_verdict(score, real), "", note, values))
    if progress:
        progress(total, total, "done")
    save_scores(settings, scores)
    return lines


def save_scores(settings, scores: dict[str, dict]) -> Path:
    path = settings.data_dir / QUALITY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        doc = {}
    routes = doc.get("routes", {}) if isinstance(doc, dict) else {}
    today = _dt.date.today().isoformat()
    routes.update({k: {**v, "measured_on": today} for k, v in scores.items()})
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"metric": "chrF++ (sacrebleu, FLORES-200 devtest rows 1-200)", "routes": routes},
                              indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path
