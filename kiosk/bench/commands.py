"""`kiosk bench`: is this tablet good enough for the counter? (registered by kiosk.cli)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kiosk.bench.measure import Bench, Plan
from kiosk.bench.quality import quality_lines
from kiosk.bench.report import render_text
from kiosk.config import Settings
from kiosk.packs.catalogue import load_catalogue


def register(sub) -> None:
    p = sub.add_parser("bench", help="measure this tablet against the targets (speed, memory, quality)",
                       description="Measure this tablet's installed engines and packs: speech recognition per "
                                   "language, translation per direction, speech output, the simulated turn, peak "
                                   "memory and start-up; one pass / fail line each.")
    p.add_argument("--quick", action="store_true",
                   help="fewer sentences and one run per clip (speech: every bundled clip, streamed at speaking "
                        "pace as from the microphone): about four minutes")
    p.add_argument("--quality", action="store_true",
                   help="also score every installed route with chrF++ on 200 FLORES-200 sentences")
    p.add_argument("--json", metavar="FILE", type=Path, help="also write the results as JSON to FILE")
    p.add_argument("--no-probes", action="store_true", help="skip the start-up and memory measurements")
    p.set_defaults(func=cmd_bench)


def run_bench(settings: Settings, *, quick: bool, quality: bool, probes: bool = True, progress=None, bench=None):
    """The report of one run (the admin screen calls this off the UI thread)."""
    bench = bench or Bench(settings, plan=Plan.make(quick, probes))
    report = bench.run(progress)
    if quality:
        published = {e.id: list(e.quality) for e in load_catalogue().of_kind("mt") if e.quality}
        lines = quality_lines(settings, bench.translator, sentences=50 if quick else 200,
                              real_route=bench.real_route, published=published, progress=progress)
        report = replace(report, lines=[*report.lines, *lines])
    return report


def cmd_bench(args, settings: Settings) -> int:
    bar = Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    tasks: dict[str, Any] = {}  # phase -> rich TaskID

    def progress(done: int, total: int, label: str) -> None:
        phase = "quality" if label.startswith("quality") else "bench"
        if phase not in tasks:
            tasks[phase] = bar.add_task(label, total=total)
        bar.update(tasks[phase], completed=done, total=total, description=label)

    with bar:
        report = run_bench(settings, quick=args.quick, quality=args.quality, probes=not args.no_probes,
                           progress=progress)
    print(render_text(report))
    if args.json:
        print(f"\nWrote {report.write_json(args.json)}")
    return 1 if report.overall == "fail" else 0
