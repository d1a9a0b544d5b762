"""Start-up to interactive: the real app (real engines, offscreen window) until its first frame.

    .venv/bin/python benchmarks/bench_startup.py [--runs 3]

Each run is a fresh process (cold Python imports, Kivy window, fonts, content);
engines and content then load in the background, which is also timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import os, sys, time
t0 = time.perf_counter()
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ["KIVY_NO_ARGS"] = "1"; os.environ["KIVY_NO_CONSOLELOG"] = "1"
from kiosk.config import load_settings
from kiosk.ui.launch import build_app
settings = load_settings(sys.argv[1], env={})
app = build_app(settings)
from kivy.clock import Clock
marks = {}
def first(dt): marks["interactive"] = time.perf_counter() - t0
def check(dt):
    if app.session.conversation is not None and "ready" not in marks:
        marks["ready"] = time.perf_counter() - t0
    if "ready" in marks or time.perf_counter() - t0 > 60:
        app.stop()
Clock.schedule_once(first, 0)
Clock.schedule_interval(check, 0.05)
app.run()
print(f"{marks['interactive']:.3f} {marks.get('ready', float('nan')):.3f}")
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    inter, ready = [], []
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "KIVY_HOME": os.path.join(data, "kivy")}
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, data], capture_output=True, text=True, env=env, check=True
            )
            a, b = out.stdout.strip().splitlines()[-1].split()
            inter.append(float(a))
            ready.append(float(b))
    print("| start-up | runs | median s | max s |\n|---|---|---|---|")
    print(f"| process start → first frame (interactive) | {args.runs} | {statistics.median(inter):.2f} | "
          f"{max(inter):.2f} |")
    print(f"| process start → engines + content ready (background) | {args.runs} | {statistics.median(ready):.2f} | "
          f"{max(ready):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
