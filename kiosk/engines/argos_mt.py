"""Machine translation on installed Argos Translate packs, run with CTranslate2.

We drive ``ctranslate2`` + ``sentencepiece`` ourselves on the Argos pack format
instead of importing ``argostranslate``: importing it creates folders under
``~/.local`` and ``~/.config``, and its sentence splitter (MiniSBD) downloads a
model on first use.  What we do per sentence is exactly what
``argostranslate.translate.apply_packaged_translation`` (1.12) does, so the
text equals argostranslate's for the same pack and settings
(``ARGOS_BEAM_SIZE`` = ``beam_size``, ``ARGOS_COMPUTE_TYPE`` = ``compute_type``;
``tests/test_argos_mt.py`` checks it against argostranslate itself):

* paragraphs (``\\n``) are translated separately and joined with ``\\n``;
* each paragraph is split with ``sentences.split_sentences`` (argostranslate
  would use MiniSBD) and its sentences go to ``translate_batch`` together, with
  the pack's SentencePiece pieces, the pack's ``target_prefix``,
  ``replace_unknowns=True``, ``max_batch_size=32`` tokens, ``beam_size``,
  ``length_penalty=0.2``, ``return_scores=True``;
* each hypothesis is decoded with ``decode_pieces`` then ``▁``/``_`` → space,
  the target prefix and one leading space are removed.  The paragraph text is
  the decoding of all its sentences' pieces together (argostranslate's way)
  except for ja/zh targets, where sentences are joined without a space;
* a pivot (src→en→tgt) feeds each sentence's English text, re-encoded with the
  second pack's tokenizer, to the second pack (argostranslate's
  ``CompositeTranslation`` does the same for single sentences).

Scores: CTranslate2 returns ``sum(log p) / n ** length_penalty`` over the ``n``
returned tokens (the sum includes the end-of-sentence token).  We undo the
length penalty and divide by ``n + 1`` (tokens incl. end of sentence) to get the
mean log-prob per token that ``SentenceResult.score`` promises (<= 0).  A pivot
sentence's score is the sum of its two hops' scores.  An empty hypothesis gets
``EMPTY_SCORE``.

Models load lazily on first use, once per pack (a lock per pack), and stay
loaded.  Nothing is written anywhere.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from kiosk import languages
from kiosk.engines import terms
from kiosk.engines.base import SentenceResult, Translation
from kiosk.engines.sentences import SPACELESS, split_sentences
from kiosk.errors import KioskError
from kiosk.packs import routes
from kiosk.packs.catalogue import load_catalogue
from kiosk.packs.registry import measured_quality, mt_pack_dirs

_LOGGER = logging.getLogger(__name__)

LENGTH_PENALTY = 0.2  # argostranslate's value
MAX_BATCH_TOKENS = 32  # argostranslate's ARGOS_BATCH_SIZE default, batch_type="tokens"
MAX_DECODING_LENGTH = 256  # CTranslate2's default
EMPTY_SCORE = -99.0  # score of an empty hypothesis (CTranslate2 gives -inf)
INSTALL_HINT = "kiosk packs install PATH"


@dataclass
class Pack:
    """One installed translation pack (Argos layout; a converted OPUS-MT pack adds a target
    tokenizer and a source prefix) and, once loaded, its models."""

    folder: Path
    from_code: str
    to_code: str
    version: str = ""
    target_prefix: str = ""
    source_prefix: str = ""  # a token put before the source pieces (">>vie<<" for multi-target OPUS-MT)
    pack_id: str = ""  # the id `kiosk packs list` shows (kiosk-pack.json), else the folder name
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    translator: Any = field(default=None, repr=False)
    tokenizer: Any = field(default=None, repr=False)
    target_tokenizer: Any = field(default=None, repr=False)  # target.spm when the pack has one
    error: KioskError | None = field(default=None, repr=False)


def bad_pack(folder: Path, reason: str) -> KioskError:
    return KioskError(
        "mt.bad_pack",
        f"The translation pack in {folder} cannot be loaded ({reason}). "
        f"Remove it and install it again ({INSTALL_HINT}).",
    )


def read_pack(folder: Path) -> Pack:
    """Read a pack's metadata.json, or raise ``mt.bad_pack``."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise bad_pack(folder, "metadata.json is missing") from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise bad_pack(folder, "metadata.json is not valid JSON") from None
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise bad_pack(folder, "metadata.json has no from_code/to_code")
    try:
        marker = json.loads((folder / "kiosk-pack.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = {}
    return Pack(
        folder=folder,
        from_code=str(meta["from_code"]),
        to_code=str(meta["to_code"]),
        version=str(meta.get("package_version", "")),
        target_prefix=str(meta.get("target_prefix", "") or ""),
        source_prefix=str(meta.get("source_prefix", "") or ""),
        pack_id=str((marker.get("id") if isinstance(marker, dict) else None) or folder.name),
    )


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[._-]", version or "0"))


def mean_log_prob(score: float, length: int, length_penalty: float = LENGTH_PENALTY) -> float:
    """CTranslate2's length-penalised score → mean log-prob per token (incl. end of sentence)."""
    if length <= 0 or not math.isfinite(score):
        return EMPTY_SCORE
    total = score * length**length_penalty
    tokens = length if length >= MAX_DECODING_LENGTH else length + 1  # +1: the end token
    return min(0.0, total / tokens)


class ArgosTranslator:
    """``Translator`` over extracted Argos packs (see the module docstring).

    Several packs may serve one hop (an Argos pack and a converted OPUS-MT pack) and a
    direction may be served direct or via English: ``kiosk.packs.routes.choose`` picks,
    from the facts given here (``published``: pack id → published scores, ``measured``:
    route key → this tablet's chrF++, ``pins``: staff choices); ``choice(a, b)`` says why.
    """

    def __init__(
        self,
        pack_dirs: list[Path],
        *,
        inter_threads: int = 1,
        intra_threads: int = 2,
        compute_type: str = "int8",
        beam_size: int = 2,
        published: Mapping[str, Mapping[str, float]] | None = None,
        measured: Mapping[str, float] | None = None,
        pins: Mapping[tuple[str, str], str] | None = None,
        term_guard: Any = None,
    ) -> None:
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.published = {k: dict(v) for k, v in (published or {}).items()}
        self.measured = dict(measured or {})
        self.pins = dict(pins or {})
        self.terms = term_guard  # agreed-term protection (a kiosk.engines.terms.TermGuard) or None
        self.installed: dict[tuple[str, str], list[Pack]] = {}
        self.broken: dict[Path, KioskError] = {}
        for folder in pack_dirs:
            try:
                pack = read_pack(Path(folder))
            except KioskError as exc:
                self.broken[Path(folder)] = exc
                _LOGGER.warning("translation pack folder %s skipped: %s", Path(folder).name, exc.code)
                continue
            self.installed.setdefault((pack.from_code, pack.to_code), []).append(pack)
        self.packs: dict[tuple[str, str], Pack] = {}  # the pack that serves each hop
        self._hop_choice: dict[tuple[str, str], routes.Choice] = {}
        for hop, packs in self.installed.items():
            packs.sort(key=lambda p: _version_key(p.version), reverse=True)  # newest first on a tie
            choice = routes.choose([self._candidate(hop, (p,)) for p in packs], self.pins.get(hop))
            self._hop_choice[hop] = choice
            self.packs[hop] = next(p for p in packs if p.pack_id == choice.chosen.packs[0])
        _LOGGER.info("translation packs: %d usable, %d broken", len(self.packs), len(self.broken))

    @classmethod
    def from_settings(cls, settings, term_guard: Any = None) -> ArgosTranslator:
        """Over the installed packs, with the thread counts, compute type, beam and route pins of
        ``settings``, the catalogue's published quality and the tablet's measured quality."""
        published = {e.id: e.published() for e in load_catalogue().of_kind("mt") if e.quality}
        return cls(mt_pack_dirs(settings), inter_threads=settings.mt_inter_threads,
                   intra_threads=settings.mt_intra_threads, compute_type=settings.mt_compute_type,
                   beam_size=settings.mt_beam_size, published=published,
                   measured=measured_quality(settings), pins=routes.pins_from_settings(settings.mt_route_pins),
                   term_guard=term_guard)

    # ------------------------------------------------------------------ routing
    def _candidate(self, route: tuple[str, ...], packs: tuple[Pack, ...]) -> routes.Candidate:
        ids = tuple(p.pack_id for p in packs)
        published = self.published.get(ids[0], {}) if len(ids) == 1 else {}
        cand = routes.Candidate(tuple(route), ids, published)
        return routes.Candidate(cand.route, ids, published, self.measured.get(cand.key))

    def direct_pairs(self) -> set[tuple[str, str]]:
        return set(self.packs)

    def candidates(self, source: str, target: str, every_pack: bool = False) -> list[routes.Candidate]:
        """Direct (the pack chosen for the hop, or with ``every_pack`` each installed one) and via
        English, whichever are installed."""
        out: list[routes.Candidate] = []
        if (source, target) in self.packs:
            direct = self.installed[(source, target)] if every_pack else [self.packs[(source, target)]]
            out.extend(self._candidate((source, target), (p,)) for p in direct)
        pivot = languages.PIVOT
        if pivot not in (source, target) and (source, pivot) in self.packs and (pivot, target) in self.packs:
            hops = (self.packs[(source, pivot)], self.packs[(pivot, target)])
            out.append(self._candidate((source, pivot, target), hops))
        return out

    def choice(self, source: str, target: str) -> routes.Choice:
        """Which route serves source→target and why (raises ``mt.missing_direction``)."""
        cands = self.candidates(source, target)
        if not cands:
            self._missing(source, target)
        if len(cands) == 1 and len(cands[0].route) == 2:
            return self._hop_choice[(source, target)]
        return routes.choose(cands, self.pins.get((source, target)))

    def route(self, source: str, target: str) -> tuple[str, ...]:
        languages.get(source)
        languages.get(target)
        if source == target:
            return (source,)
        return self.choice(source, target).chosen.route

    def _missing(self, source: str, target: str) -> None:
        pivot = languages.PIVOT
        first, second = (source, pivot) in self.packs, (pivot, target) in self.packs
        message = f"No translation pack for {source}→{target}. Install a pack for {source}→{target}"
        if pivot in (source, target):
            message += f" ({INSTALL_HINT})."
        elif first:
            message += f", or a pack for {pivot}→{target} to go with the installed {source}→{pivot} ({INSTALL_HINT})."
        elif second:
            message += f", or a pack for {source}→{pivot} to go with the installed {pivot}→{target} ({INSTALL_HINT})."
        else:
            message += f", or packs for both {source}→{pivot} and {pivot}→{target} ({INSTALL_HINT})."
        raise KioskError("mt.missing_direction", message)

    # ------------------------------------------------------------------ loading
    def _compute_type(self) -> str:
        import ctranslate2

        if self.compute_type in ctranslate2.get_supported_compute_types("cpu"):
            return self.compute_type
        _LOGGER.info("compute type %s unsupported on this CPU; using the model's own", self.compute_type)
        return "default"

    def _load(self, pack: Pack) -> Pack:
        if pack.translator is not None:
            return pack
        with pack.lock:
            if pack.error is not None:
                raise pack.error
            if pack.translator is not None:
                return pack
            import ctranslate2
            import sentencepiece

            try:
                tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(pack.folder / "sentencepiece.model"))
                target_spm = pack.folder / "target.spm"
                target_tokenizer = (sentencepiece.SentencePieceProcessor(model_file=str(target_spm))
                                    if target_spm.is_file() else tokenizer)
            except (OSError, RuntimeError):
                pack.error = bad_pack(pack.folder, "sentencepiece.model is missing or unreadable")
                raise pack.error from None
            try:
                translator = ctranslate2.Translator(
                    str(pack.folder / "model"),
                    device="cpu",
                    compute_type=self._compute_type(),
                    inter_threads=self.inter_threads,
                    intra_threads=self.intra_threads,
                )
            except (OSError, RuntimeError, ValueError):
                pack.error = bad_pack(pack.folder, "the CTranslate2 model in model/ is missing or damaged")
                raise pack.error from None
            pack.tokenizer, pack.target_tokenizer = tokenizer, target_tokenizer
            pack.translator = translator
            _LOGGER.info("loaded translation pack %s→%s", pack.from_code, pack.to_code)
        return pack

    def warm_up(self, source: str, target: str) -> tuple[str, ...]:
        """Load the models on the route now (so the first visitor does not wait)."""
        route = self.route(source, target)
        for a, b in pairwise(route):
            self._load(self.packs[(a, b)])
        return route

    def _hops(self, candidate: routes.Candidate) -> list[Pack]:
        hops = list(pairwise(candidate.route))
        return [next(p for p in self.installed[hop] if p.pack_id == pid)
                for hop, pid in zip(hops, candidate.packs, strict=True)]

    # -------------------------------------------------------------- translating
    def _decode(self, pack: Pack, pieces: list[str]) -> str:
        tokenizer = pack.target_tokenizer or pack.tokenizer
        value = terms.decode(tokenizer, pieces, pack.to_code not in SPACELESS).replace("▁", " ").replace("_", " ")
        if pack.target_prefix and value.startswith(pack.target_prefix):
            value = value[len(pack.target_prefix) :]
        if value.startswith(" "):
            value = value[1:]
        return value

    def _run(self, pack: Pack, sentences: list[str]) -> tuple[list[list[str]], list[str], list[float]]:
        """Translate sentences in one batch: (pieces, texts, mean log-probs) per sentence."""
        pack = self._load(pack)
        tokenized = [terms.encode(pack.tokenizer, s) for s in sentences]
        if pack.source_prefix:
            tokenized = [[pack.source_prefix, *t] for t in tokenized]
        prefix = [[pack.target_prefix]] * len(tokenized) if pack.target_prefix else None
        results = pack.translator.translate_batch(
            tokenized,
            target_prefix=prefix,
            replace_unknowns=True,
            max_batch_size=MAX_BATCH_TOKENS,
            batch_type="tokens",
            beam_size=max(1, self.beam_size),
            num_hypotheses=1,
            length_penalty=LENGTH_PENALTY,
            return_scores=True,
        )
        pieces = [r.hypotheses[0] for r in results]
        texts = [self._decode(pack, p) for p in pieces]
        scores = [mean_log_prob(r.scores[0], len(r.hypotheses[0])) for r in results]
        return pieces, texts, scores

    def _paragraph(self, text: str, hops: list[Pack]) -> tuple[str, list[SentenceResult]]:
        sources = split_sentences(text, hops[0].from_code)
        if not sources:
            return "", []
        current, scores = sources, [0.0] * len(sources)
        pieces: list[list[str]] = []
        for pack in hops:
            pieces, current, hop = self._run(pack, current)
            scores = [s + h for s, h in zip(scores, hop, strict=True)]
        results = [SentenceResult(source=s, text=t, score=sc)
                   for s, t, sc in zip(sources, current, scores, strict=True)]
        if hops[-1].to_code in SPACELESS:
            return "".join(current), results
        return self._decode(hops[-1], [p for ps in pieces for p in ps]), results

    def translate(self, text: str, source: str, target: str, via: routes.Candidate | None = None) -> Translation:
        """Translate on the chosen route, or on ``via`` (one of ``candidates(source, target)``).

        With a term guard (``use_terms``), agreed glossary terms are carried through as
        placeholders (kiosk.engines.terms); if the model loses one, the text is translated
        as it is and the quality gate flags the term.
        """
        route = via.route if via is not None else self.route(source, target)
        if len(route) == 1:
            return Translation(source, target, text, route)
        hops = self._hops(via if via is not None else self.choice(source, target).chosen)
        protected = terms.protect(self.terms, text, source, target)
        if protected is not None:
            joined, sentences = self._paragraphs(protected.text, hops)
            if protected.complete(joined):
                sentences = tuple(SentenceResult(protected.source(s.source), protected.restore(s.text), s.score)
                                  for s in sentences)
                _LOGGER.debug("translated with %d protected term(s)", len(protected.targets))
                return Translation(source, target, protected.restore(joined), tuple(route), sentences)
            _LOGGER.info("protected terms lost by the model %s; translated as it is", "→".join(route))
        joined, sentences = self._paragraphs(text, hops)
        _LOGGER.debug("translated %d sentence(s) %s", len(sentences), "→".join(route))
        return Translation(source, target, joined, tuple(route), sentences)

    def _paragraphs(self, text: str, hops: list[Pack]) -> tuple[str, tuple[SentenceResult, ...]]:
        paragraphs = [self._paragraph(p, hops) for p in text.split("\n")]
        return "\n".join(p[0] for p in paragraphs), tuple(s for p in paragraphs for s in p[1])

    def use_terms(self, guard: Any) -> None:
        """Protect agreed terms from now on (a ``kiosk.engines.terms.TermGuard``; None: off)."""
        self.terms = guard
