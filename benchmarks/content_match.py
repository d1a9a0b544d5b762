"""Quality and speed of the phrase matcher (and the glossary checker) on the real content/ folder.

    .venv/bin/python benchmarks/content_match.py [--failures]

Prints: build times; per language the analyser's load time and memory; and on each paraphrase set
(tests/data/paraphrases.tsv, the held-out paraphrases_heldout.tsv, the blind sets paraphrases_fresh.tsv and
paraphrases_blind2/3/4.tsv) the recall, the share found when the top 3 suggestions count too, wrong matches,
false matches of hard negatives and the mean/max time of ``PhraseMatcher.match``; ``--failures`` lists every
miss, wrong and false match.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from kiosk.content.glossary import GlossaryChecker
from kiosk.content.load import load_content
from kiosk.content.match import PhraseMatcher
from kiosk.content.match_eval import (
    BLIND2_SET,
    BLIND3_SET,
    BLIND4_SET,
    DEFAULT_SET,
    FRESH_SET,
    HELD_OUT_SET,
    evaluate,
    load_cases,
)
from kiosk.languages import CODES as LANGS


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--failures", action="store_true", help="list every miss, wrong and false match")
    args = parser.parse_args()

    t0 = time.perf_counter()
    content = load_content()
    t1 = time.perf_counter()
    matcher = PhraseMatcher(content)
    t2 = time.perf_counter()
    checker = GlossaryChecker(content)
    t3 = time.perf_counter()
    print(f"load_content: {1000 * (t1 - t0):.0f} ms ({len(content.phrases)} phrases, {len(content.terms)} terms)")
    print(f"PhraseMatcher build: {1000 * (t2 - t1):.0f} ms ({len(matcher)} matchable phrases; languages load lazily)")
    print(f"GlossaryChecker build: {1000 * (t3 - t2):.0f} ms")
    for lang in LANGS:  # analyser load + index build, one language at a time (peak RSS grows)
        before, s = _rss_mb(), time.perf_counter()
        matcher.warm_up([lang])
        print(f"warm up {lang}: {time.perf_counter() - s:.2f} s, peak RSS +{_rss_mb() - before:.0f} MB "
              f"(now {_rss_mb():.0f} MB)")

    evaluate(matcher, load_cases()[:20])  # first calls (caches) not timed
    sets = (("tuning set", DEFAULT_SET), ("held-out set (written after the first tuning)", HELD_OUT_SET),
            ("blind set 1 (fresh; measured once, then tuned on)", FRESH_SET),
            ("blind set 2 (measured once, then tuned on)", BLIND2_SET),
            ("blind set 3 (measured once, then tuned on)", BLIND3_SET),
            ("blind set 4 (never tuned on)", BLIND4_SET))
    for name, path in sets:
        if not path.is_file():
            continue
        cases = load_cases(path)
        scores = evaluate(matcher, cases)
        print(f"\n{name}: {len(cases)} utterances ({sum(c.kind == 'para' for c in cases)} paraphrases, "
              f"{sum(c.kind == 'neg' for c in cases)} hard negatives)")
        print(f"{'lang':<5} {'recall':>12} {'+top 3':>7} {'wrong':>6} {'false':>8} {'mean ms':>8} {'max ms':>7}")
        for lang, s in scores.items():
            print(f"{lang:<5} {s.recall:>6.1%} {s.hits:>3}/{s.paraphrases:<3}{s.with_suggestions:>7.0%}{s.wrong:>5} "
                  f"{s.false:>4}/{s.negatives:<3}{1000 * statistics.mean(s.times):>8.2f} {1000 * max(s.times):>7.2f}")
        if args.failures:
            for s in scores.values():
                for line in s.failures:
                    print(line)

    pairs = [(p.text(s), s, p.text(t), t) for p in content.phrases for s in ("ja", "en")
             for t in ("en", "vi", "zh", "ko") if s != t]
    s = time.perf_counter()
    for pair in pairs:
        checker.check(*pair)
    print(f"\nglossary check: {len(pairs)} checks, mean {1000 * (time.perf_counter() - s) / len(pairs):.3f} ms")


if __name__ == "__main__":
    main()
