"""The first Korean phrasebook match of a visit, with and without the warm-up at the language pick.

    .venv/bin/python benchmarks/bench_first_match.py [--runs 5]

Each run is a fresh process (the analysers are loaded once per process), the real content and matcher:

- cold: no warm-up; the first match loads Kiwi, analyses its first sentence and builds the Korean index;
- at pick: the warm-up starts (as ``SessionController`` does when Korean is picked) and the first sentence
  arrives at once (the worst case: it waits for the rest of the load);
- warmed: the first sentence arrives after the warm-up is done (a visitor speaks for a few seconds first).

Prints the median and max of each, and the load average (the VM is shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from kiosk.content.load import load_content
from kiosk.content.match import PhraseMatcher
from kiosk.pipeline.content_adapters import ContentPhrases
from kiosk.warm_up import PhraseWarmUp

SENTENCE = "화장실이 어디에 있어요?"
ROOT = Path(__file__).resolve().parents[1]


def one(mode: str) -> float:
    """Seconds from the sentence to the match result, in this (fresh) process."""
    content = load_content()
    phrases = ContentPhrases(PhraseMatcher(content), content)
    warm = PhraseWarmUp()
    if mode != "cold":
        warm.start(phrases, ["ko"])
    if mode == "warmed":
        warm.wait(120)
    t = time.perf_counter()
    phrases.match(SENTENCE, "ko")
    took = time.perf_counter() - t
    warm.wait(120)
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one", choices=("cold", "at-pick", "warmed"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(f"{one(args.one):.4f}")
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for mode in ("cold", "at-pick", "warmed"):
        times = [float(subprocess.run([sys.executable, __file__, "--one", mode], env=env, check=True,
                                      capture_output=True, text=True).stdout.split()[-1])
                 for _ in range(args.runs)]
        print(f"{mode:8} first ko match: median {1000 * statistics.median(times):7.1f} ms, "
              f"max {1000 * max(times):7.1f} ms  ({args.runs} runs)")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
