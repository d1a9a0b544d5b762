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
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk import languages
from kiosk.engines.base import SentenceResult, Translation
from kiosk.engines.sentences import SPACELESS, split_sentences
from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)

LENGTH_PENALTY = 0.2  # argostranslate's value
MAX_BATCH_TOKENS = 32  # argostranslate's ARGOS_BATCH_SIZE default, batch_type="tokens"
MAX_DECODING_LENGTH = 256  # CTranslate2's default
EMPTY_SCORE = -99.0  # score of an empty hypothesis (CTranslate2 gives -inf)
INSTALL_HINT = "kiosk packs install PATH"


@dataclass
class Pack:
    """One installed Argos translation pack and, once loaded, its models."""

    folder: Path
    from_code: str
    to_code: str
    version: str = ""
    target_prefix: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    translator: Any = field(default=None, repr=False)
    tokenizer: Any = field(default=None, repr=False)
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
    return Pack(
        folder=folder,
        from_code=str(meta["from_code"]),
        to_code=str(meta["to_code"]),
        version=str(meta.get("package_version", "")),
        target_prefix=str(meta.get("target_prefix", "") or ""),
    )


def mean_log_prob(score: float, length: int, length_penalty: float = LENGTH_PENALTY) -> float:
    """CTranslate2's length-penalised score → mean log-prob per token (incl. end of sentence)."""
    if length <= 0 or not math.isfinite(score):
        return EMPTY_SCORE
    total = score * length**length_penalty
    tokens = length if length >= MAX_DECODING_LENGTH else length + 1  # +1: the end token
    return min(0.0, total / tokens)


class ArgosTranslator:
    """``Translator`` over extracted Argos packs (see the module docstring)."""

    def __init__(
        self,
        pack_dirs: list[Path],
        *,
        inter_threads: int = 1,
        intra_threads: int = 2,
        compute_type: str = "int8",
        beam_size: int = 2,
    ) -> None:
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.packs: dict[tuple[str, str], Pack] = {}
        self.broken: dict[Path, KioskError] = {}
        for folder in pack_dirs:
            try:
                pack = read_pack(Path(folder))
            except KioskError as exc:
                self.broken[Path(folder)] = exc
                _LOGGER.warning("translation pack folder %s skipped: %s", Path(folder).name, exc.code)
                continue
            self.packs.setdefault((pack.from_code, pack.to_code), pack)
        _LOGGER.info("translation packs: %d usable, %d broken", len(self.packs), len(self.broken))

    @classmethod
    def from_settings(cls, settings) -> "ArgosTranslator":
        """Over the installed packs, with the thread counts, compute type and beam of ``settings``."""
        from kiosk.packs.registry import mt_pack_dirs

        return cls(mt_pack_dirs(settings), inter_threads=settings.mt_inter_threads,
                   intra_threads=settings.mt_intra_threads, compute_type=settings.mt_compute_type,
                   beam_size=settings.mt_beam_size)

    # ------------------------------------------------------------------ routing
    def direct_pairs(self) -> set[tuple[str, str]]:
        return set(self.packs)

    def route(self, source: str, target: str) -> tuple[str, ...]:
        languages.get(source)
        languages.get(target)
        if source == target:
            return (source,)
        if (source, target) in self.packs:
            return (source, target)
        pivot = languages.PIVOT
        first, second = (source, pivot) in self.packs, (pivot, target) in self.packs
        if pivot not in (source, target) and first and second:
            return (source, pivot, target)
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
            pack.tokenizer = tokenizer
            pack.translator = translator
            _LOGGER.info("loaded translation pack %s→%s", pack.from_code, pack.to_code)
        return pack

    def warm_up(self, source: str, target: str) -> tuple[str, ...]:
        """Load the models on the route now (so the first visitor does not wait)."""
        route = self.route(source, target)
        for a, b in zip(route, route[1:]):
            self._load(self.packs[(a, b)])
        return route

    # -------------------------------------------------------------- translating
    def _decode(self, pack: Pack, pieces: list[str]) -> str:
        value = pack.tokenizer.decode_pieces(pieces).replace("▁", " ").replace("_", " ")
        if pack.target_prefix and value.startswith(pack.target_prefix):
            value = value[len(pack.target_prefix) :]
        if value.startswith(" "):
            value = value[1:]
        return value

    def _run(self, pack: Pack, sentences: list[str]) -> tuple[list[list[str]], list[str], list[float]]:
        """Translate sentences in one batch: (pieces, texts, mean log-probs) per sentence."""
        pack = self._load(pack)
        tokenized = [pack.tokenizer.encode(s, out_type=str) for s in sentences]
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

    def _paragraph(self, text: str, route: tuple[str, ...]) -> tuple[str, list[SentenceResult]]:
        sources = split_sentences(text, route[0])
        if not sources:
            return "", []
        current, scores = sources, [0.0] * len(sources)
        pieces: list[list[str]] = []
        pack = self.packs[(route[0], route[1])]
        for a, b in zip(route, route[1:]):
            pack = self.packs[(a, b)]
            pieces, current, hop = self._run(pack, current)
            scores = [s + h for s, h in zip(scores, hop)]
        results = [SentenceResult(source=s, text=t, score=sc) for s, t, sc in zip(sources, current, scores)]
        if route[-1] in SPACELESS:
            return "".join(current), results
        return self._decode(pack, [p for ps in pieces for p in ps]), results

    def translate(self, text: str, source: str, target: str) -> Translation:
        route = self.route(source, target)
        if len(route) == 1:
            return Translation(source, target, text, route)
        paragraphs = [self._paragraph(p, route) for p in text.split("\n")]
        joined = "\n".join(p[0] for p in paragraphs)
        sentences = tuple(s for p in paragraphs for s in p[1])
        _LOGGER.debug("translated %d sentence(s) %s", len(sentences), "→".join(route))
        return Translation(source, target, joined, route, sentences)
