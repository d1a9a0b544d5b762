"""Which route serves a direction: a pure choice among candidates, with the reason.

More than one way may serve ja→en (an Argos pack, a converted OPUS-MT pack) or ko→ja
(a direct pack, or ko→en→ja).  ``choose`` decides, in this order:

1. a staff **pin** (setting ``mt_route_pins``: ``"ja-en=opus-mt-ja-en"``, ``"ko-ja=via-en"``
   or ``"ko-ja=direct"``) that matches an installed candidate;
2. the catalogue's **published quality**, when every candidate has a score on the same
   metric and test set (``lang_packs/catalogue.json``, field ``quality``);
3. this tablet's own **measured** chrF++ (``kiosk bench --quality``), when every
   candidate has been measured;
4. **direct over pivot** (fewer hops), then the order given (newest version first).

``pins_from_settings`` parses the setting.  Nothing here loads a model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kiosk.errors import KioskError
from kiosk.languages import CODES, PIVOT

PINNED, PUBLISHED, MEASURED, DIRECT, ONLY = "pinned", "published", "measured", "direct", "only"


@dataclass(frozen=True)
class Candidate:
    route: tuple[str, ...]  # ("ja", "en") or ("ko", "en", "ja")
    packs: tuple[str, ...]  # pack id per hop
    published: Mapping[str, float] = field(default_factory=dict)  # "metric @ testset" -> score (higher is better)
    measured: float | None = None  # this tablet's chrF++ on the bundled FLORES sentences

    @property
    def key(self) -> str:
        """Stable id of this route and its packs (the measured-quality store uses it)."""
        return ">".join(self.route) + "|" + "+".join(self.packs)

    @property
    def label(self) -> str:
        return "→".join(self.route) + " (" + " + ".join(self.packs) + ")"


@dataclass(frozen=True)
class Choice:
    chosen: Candidate
    reason: str  # PINNED | PUBLISHED | MEASURED | DIRECT | ONLY
    why: str  # one sentence for `kiosk packs list` and the admin screen
    others: tuple[Candidate, ...] = ()


def _matches(pin: str, c: Candidate) -> bool:
    if pin == "direct":
        return len(c.route) == 2
    if pin in ("via-en", f"via-{PIVOT}"):
        return len(c.route) == 3
    return pin in c.packs or pin == "-".join(c.route)


def choose(candidates: Sequence[Candidate], pin: str | None = None) -> Choice:
    """The candidate that serves the direction and why (see the module docstring)."""
    if not candidates:
        raise ValueError("no candidates")
    cands = list(candidates)
    rest = lambda c: tuple(x for x in cands if x is not c)  # noqa: E731
    if len(cands) == 1:
        return Choice(cands[0], ONLY, "the only installed route", ())
    if pin:
        hit = next((c for c in cands if _matches(pin, c)), None)
        if hit is not None:
            return Choice(hit, PINNED, f"pinned by staff ({pin})", rest(hit))
    common = set(cands[0].published)
    for c in cands[1:]:
        common &= set(c.published)
    if common:
        metric = sorted(common)[0]
        best = max(cands, key=lambda c: c.published[metric])
        scores = ", ".join(f"{c.packs[0] if len(c.packs) == 1 else c.label} {c.published[metric]:g}" for c in cands)
        return Choice(best, PUBLISHED, f"best published quality ({metric}: {scores})", rest(best))
    if all(c.measured is not None for c in cands):
        best = max(cands, key=lambda c: c.measured or 0.0)
        scores = ", ".join(f"{'→'.join(c.route)} {c.measured:.1f}" for c in cands)
        return Choice(best, MEASURED, f"best chrF++ measured on this tablet ({scores})", rest(best))
    best = min(cands, key=lambda c: len(c.route))  # min is stable: the first of the shortest
    if len(best.route) == 2 and any(len(c.route) > 2 for c in cands):
        why = "direct pack preferred over a route via English"
    else:
        why = "newest of the installed packs (no published or measured quality to compare)"
    return Choice(best, DIRECT, why, rest(best))


def pins_from_settings(values: Iterable[str]) -> dict[tuple[str, str], str]:
    """``["ja-en=opus-mt-ja-en", "ko-ja=via-en"]`` → ``{("ja","en"): "opus-mt-ja-en", ...}``."""
    pins: dict[tuple[str, str], str] = {}
    for raw in values:
        direction, sep, value = str(raw).partition("=")
        src, dash, dst = direction.strip().partition("-")
        if not sep or not dash or src not in CODES or dst not in CODES or src == dst or not value.strip():
            raise KioskError("config.invalid", f"Setting 'mt_route_pins' has a bad entry {raw!r}; write it as "
                             "FROM-TO=PACK_ID, FROM-TO=direct or FROM-TO=via-en (e.g. ja-en=opus-mt-ja-en).")
        pins[(src, dst)] = value.strip()
    return pins


def served(translator, languages: Sequence[str]) -> list[tuple[str, str, Choice]]:
    """(source, target, the route's Choice) for every direction among ``languages`` that some route serves;
    ``translator`` answers ``choice(a, b)`` and raises a KioskError for a direction nothing serves."""
    out = []
    for a in languages:
        for b in languages:
            if a == b:
                continue
            try:
                out.append((a, b, translator.choice(a, b)))
            except KioskError:
                continue
    return out
