"""Speed of the phrase matcher and glossary checker on the real content/ folder.

    .venv/bin/python benchmarks/content_match.py

Prints: build times, and per-language mean/max time of ``PhraseMatcher.match``
for queries that hit (a phrase's own text, lightly changed) and miss.
"""

from __future__ import annotations

import statistics
import time


def main() -> None:
    from kiosk.content.glossary import GlossaryChecker
    from kiosk.content.load import load_content
    from kiosk.content.match import PhraseMatcher
    from kiosk.content.normalise import normalise

    t0 = time.perf_counter()
    content = load_content()
    t1 = time.perf_counter()
    normalise("転入届", "ja")  # pykakasi dictionary load, once per process
    t2 = time.perf_counter()
    matcher = PhraseMatcher(content)
    t3 = time.perf_counter()
    checker = GlossaryChecker(content)
    t4 = time.perf_counter()
    print(f"load_content: {1000 * (t1 - t0):.0f} ms ({len(content.phrases)} phrases, {len(content.terms)} terms)")
    print(f"pykakasi first use: {1000 * (t2 - t1):.0f} ms")
    print(f"PhraseMatcher build: {1000 * (t3 - t2):.0f} ms ({len(matcher)} matchable phrases)")
    print(f"GlossaryChecker build: {1000 * (t4 - t3):.0f} ms")
    misses = {"en": "how much is the parking near the river", "ja": "川の近くの駐車場はいくらですか",
              "vi": "bãi đỗ xe gần sông giá bao nhiêu", "zh": "河边的停车场多少钱", "ko": "강 근처 주차장은 얼마예요"}
    for lang in ("ja", "en", "vi", "zh", "ko"):
        queries = [p.text(lang).rstrip("。.?？!！") for p in content.phrases if "{" not in p.text(lang)]
        times, hits = [], 0
        for q in queries:
            s = time.perf_counter()
            hits += matcher.match(q, lang) is not None
            times.append(time.perf_counter() - s)
        miss_times = []
        for _ in range(50):
            s = time.perf_counter()
            matcher.match(misses[lang], lang)
            miss_times.append(time.perf_counter() - s)
        print(f"match {lang}: {len(queries)} queries, {hits} hits, mean {1000 * statistics.mean(times):.2f} ms, "
              f"max {1000 * max(times):.2f} ms; miss mean {1000 * statistics.mean(miss_times):.2f} ms")
    pairs = [(p.text(s), s, p.text(t), t) for p in content.phrases for s in ("ja", "en") for t in ("en", "vi", "zh", "ko") if s != t]
    s = time.perf_counter()
    for args in pairs:
        checker.check(*args)
    print(f"glossary check: {len(pairs)} checks, mean {1000 * (time.perf_counter() - s) / len(pairs):.3f} ms")


if __name__ == "__main__":
    main()
