"""Child-process probes for ``kiosk bench``: start-up time and peak memory are measured in a
fresh Python process, so the bench's own imports and models do not count.

    python -m kiosk.bench.probe --data-dir DIR startup
    python -m kiosk.bench.probe --data-dir DIR memory ja ko

prints one JSON object.  ``run_probe`` starts it and reads the answer.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

from kiosk.config import load_settings
from kiosk.engines.factory import build_engines
from kiosk.errors import KioskError
from kiosk.pipeline.content_adapters import load_lookups

TIMEOUT_S = 300


def run_probe(settings, args: list[str]) -> dict:
    """Run a probe in a child process; ``startup_s`` is the child's whole wall time."""
    cmd = [sys.executable, "-m", "kiosk.bench.probe", "--data-dir", str(settings.data_dir), *args]
    env = {**os.environ, "PULSE_SERVER": os.environ.get("PULSE_SERVER", "none")}
    t0 = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False, env=env)
    except subprocess.TimeoutExpired:
        raise KioskError("bench.probe_failed", f"The {args[0]} probe did not finish within {TIMEOUT_S} s.") from None
    wall = time.perf_counter() - t0
    try:
        out = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise KioskError("bench.probe_failed", f"The {args[0]} probe failed (exit code {done.returncode}); "
                         "run `kiosk doctor` to see what is broken.") from None
    out.setdefault("startup_s", wall)
    return out


def _startup(settings) -> dict:
    build_engines(settings)
    load_lookups(settings)
    return {}


def _memory(settings, pair: list[str]) -> dict:
    t0 = time.perf_counter()
    engines: Any = build_engines(settings)  # the real adapters (preload, warm_up, render)
    loaded = []
    for lang in pair:
        try:
            engines.stt.preload(lang)
            loaded.append(f"speech {lang}")
        except KioskError:
            pass
    for a, b in (pair, pair[::-1]):
        try:
            route = engines.translator.warm_up(a, b)
            sample = {"en": "Where is the city office?", "ja": "市役所はどこですか。"}.get(a, "test")
            engines.translator.translate(sample, a, b)
            loaded.append("→".join(route))
        except KioskError:
            pass
    try:
        engines.tts.preload(pair)
        for lang in pair:
            engines.tts.render("1 2 3", lang)
        loaded.append("voices")
    except KioskError:
        pass
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"peak_rss_mb": peak_mb, "loaded": loaded, "load_s": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="kiosk.bench.probe")
    ap.add_argument("--data-dir")
    ap.add_argument("what", choices=("startup", "memory"))
    ap.add_argument("languages", nargs="*")
    args = ap.parse_args(argv)
    settings = load_settings(args.data_dir)
    out = _startup(settings) if args.what == "startup" else _memory(settings, args.languages[:2])
    print(json.dumps(out))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
