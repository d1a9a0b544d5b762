"""The bench result: lines with a verdict, the overall answer, text table and JSON.

``rows(report, label)`` gives the table as plain strings (the CLI prints them, the admin
screen shows them in the staff language by passing its own ``label``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kiosk.bench import targets as T


@dataclass(frozen=True)
class Line:
    kind: str  # stt | mt | tts | e2e | startup | memory | quality
    subject: str  # "ko", "ko→ja", "ja+ko"
    verdict: str  # one of targets.VERDICTS
    target: str  # the target in words ("p95 ≤ 1.00 s"); "" when none
    note: str = ""  # what served it, or what to install
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    lines: list[Line]
    quick: bool
    started: float
    duration_s: float
    targets: T.Targets

    @property
    def overall(self) -> str:
        return T.overall([ln.verdict for ln in self.lines if ln.kind != "quality"])

    def needs_real(self) -> list[Line]:
        return [ln for ln in self.lines if ln.verdict in (T.NEEDS_REAL, T.MISSING)]

    def to_dict(self) -> dict:
        return {"overall": self.overall, "quick": self.quick, "started": self.started,
                "duration_s": round(self.duration_s, 3), "targets": asdict(self.targets),
                "lines": [asdict(ln) for ln in self.lines]}

    def write_json(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        return path


ENGLISH = {
    "stt": "speech recognition", "mt": "translation", "tts": "speech output", "e2e": "turn (clip → text → audio)",
    "startup": "start-up", "memory": "peak memory", "quality": "quality chrF++", "other": "other",
    T.PASS: "PASS", T.FAIL: "FAIL", T.NEEDS_REAL: "needs real pack", T.MISSING: "not installed",
    T.INFO: "info", T.ERROR: "ERROR",
    "what": "what", "result": "result", "measured": "measured", "target": "target", "note": "note",
}


def english(key: str) -> str:
    return ENGLISH.get(key, key)


def measured(line: Line) -> str:
    """The measured values in a few characters."""
    v = line.values
    if line.kind == "stt" and "cer" in v:
        return f"CER {v['cer']:.2f}, RTF {v['rtf']:.2f}, p50/p95 {_ms(v['p50_s'])}/{_ms(v['p95_s'])}"
    if line.kind in ("mt", "tts") and "p95_s" in v:
        return f"p50/p95 {_ms(v['p50_s'])}/{_ms(v['p95_s'])}"
    if line.kind == "e2e" and "text_p95_s" in v:
        return (f"text {_ms(v['text_p50_s'])}/{_ms(v['text_p95_s'])}, "
                f"audio {_ms(v['speech_p50_s'])}/{_ms(v['speech_p95_s'])}")
    if line.kind == "startup" and "s" in v:
        return f"{v['s']:.2f} s"
    if line.kind == "memory" and "mb" in v:
        return f"{v['mb']:.0f} MB" + (f", pair loaded in {v['load_s']:.1f} s" if v.get("load_s") else "")
    if line.kind == "quality" and "chrf" in v:
        text = f"chrF++ {v['chrf']:.1f}"
        if "published" in v:
            text += f" (published {line.note.split('|', 1)[0]})"
        return text
    return "—"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def rows(report: Report, label: Callable[[str], str] = english) -> list[tuple[str, str, str, str, str, str]]:
    """(what, subject, result, measured, target, note) per line."""
    out = []
    for ln in report.lines:
        note = ln.note.split("|", 1)[-1] if ln.kind == "quality" else ln.note
        out.append((label(ln.kind), ln.subject, label(ln.verdict), measured(ln), ln.target, note))
    return out


def render_text(report: Report, label: Callable[[str], str] = english) -> str:
    header = (label("what"), "", label("result"), label("measured"), label("target"), label("note"))
    table = [header, *rows(report, label)]
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 5 else cell for i, cell in enumerate(r)).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    summary = {T.PASS: "This tablet meets every target.",
               T.FAIL: "This tablet misses at least one target (lines marked FAIL or ERROR).",
               T.NEEDS_REAL: "No target failed, but some lines could not be judged: install the real packs "
                             "they name (kiosk packs install PATH) and run kiosk bench again."}[report.overall]
    lines += ["", f"Overall: {label(report.overall)} — {summary}"]
    for verdict, title in ((T.MISSING, "Not installed (nothing to measure)"),
                           (T.NEEDS_REAL, "Measured on test or unknown packs (install the real ones to judge)")):
        which = [f"{label(ln.kind)} {ln.subject}" for ln in report.lines if ln.verdict == verdict]
        if which:
            lines.append(f"{title}: " + ", ".join(which))
    lines.append(f"({'quick run, ' if report.quick else ''}{report.duration_s:.1f} s)")
    return "\n".join(lines)
