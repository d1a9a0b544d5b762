"""What the "Check this tablet" panel shows, in the staff language (no Kivy).

``t(key, **fields)`` is the staff-language string lookup.  The table has four columns:
what, subject, verdict, measured values; the bench's English notes stay in the CLI."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.bench.report import Report, measured
from kiosk.packs.routes import served

Lookup = Callable[..., str]
KINDS = ("stt", "mt", "tts", "e2e", "startup", "memory", "quality", "other")
ROUTE_REASONS = {"only": "route_only", "pinned": "route_pinned", "published": "route_published",
                 "measured": "route_measured", "direct": "route_direct"}  # kiosk.packs.routes reasons


def label(t: Lookup) -> Callable[[str], str]:
    """The bench's label keys (kinds, verdicts) → UI strings."""
    def get(key: str) -> str:
        return t(f"bench_kind_{key}") if key in KINDS else t(f"bench_{key}")
    return get


def table(report: Report, t: Lookup) -> list[tuple[str, str, str, str]]:
    name = label(t)
    return [(name(ln.kind), ln.subject, name(ln.verdict), measured(ln)) for ln in report.lines]


def summary(report: Report, t: Lookup) -> str:
    return t(f"bench_overall_{report.overall}")


def progress_text(step: str, t: Lookup) -> str:
    return t("bench_running", step=step)


def route_lines(translator, languages, t: Lookup) -> list[str]:
    """"ko→ja  ko→en→ja (pack + pack) — direct preferred" for every direction a route serves."""
    return [f"{a}→{b}  {choice.chosen.label} — {t(ROUTE_REASONS[choice.reason])}"
            for a, b, choice in served(translator, languages)]
