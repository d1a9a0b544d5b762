"""Agreed terms through machine translation: placeholders CTranslate2 copies through.

Before translation each glossary term in the text becomes a token ``<Tn>``
(``GlossaryChecker.placeholders``).  ``encode`` gives that token to CTranslate2 as one
source token that is not in the vocabulary; the model sees ``<unk>`` there and, with
``replace_unknowns=True``, an ``<unk>`` it writes is replaced by the source token it
attends to most — the placeholder.  ``decode`` keeps the copied token whole, and the
translator puts the agreed target term in its place.  A pivot hop copies it again.

If the model drops or garbles a placeholder, the protected attempt is thrown away and
the sentence is translated as it is (``ProtectedText.complete``); the quality gate then
flags the missing term as before.  CTranslate2 has no lexical constraints; a target
prefix could only force the beginning of a sentence, so placeholders are what it
supports cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

PLACEHOLDER = re.compile(r"<\s*T\s*(\d+)\s*>")
_TOKEN = re.compile(r"(<T\d+>)")
_REPEAT = re.compile(r"(<T\d+>)(?:\s*\1)+")


class TermGuard(Protocol):
    def placeholders(self, text: str, lang: str, target_lang: str) -> tuple[str, dict[str, str], dict[str, str]]:
        """(protected text, {token: agreed target term}, {token: source surface})."""


@dataclass(frozen=True)
class ProtectedText:
    text: str  # with <Tn> tokens
    targets: dict[str, str]  # token -> agreed target term
    surfaces: dict[str, str]  # token -> the source words it replaced

    def restore(self, translated: str) -> str:
        """Agreed terms in place of the tokens (a token the model repeated back to back counts once)."""
        tidy = PLACEHOLDER.sub(lambda m: f"<T{m.group(1)}>", translated)  # "< T0 >" → "<T0>"
        collapsed = _REPEAT.sub(r"\1", tidy)
        return PLACEHOLDER.sub(lambda m: self.targets.get(f"<T{m.group(1)}>", m.group(0)), collapsed)

    def source(self, protected_sentence: str) -> str:
        """A protected source sentence with its own words back (for SentenceResult.source)."""
        return PLACEHOLDER.sub(lambda m: self.surfaces.get(f"<T{m.group(1)}>", m.group(0)), protected_sentence)

    def complete(self, translated: str) -> bool:
        """Every placeholder came through, and no other (else the attempt is not used)."""
        return {f"<T{n}>" for n in PLACEHOLDER.findall(translated)} == set(self.targets)


def protect(guard: Any, text: str, source: str, target: str) -> ProtectedText | None:
    """The protected text, or None when ``text`` holds no agreed term (or already looks like a token)."""
    if guard is None or PLACEHOLDER.search(text):
        return None
    out, targets, surfaces = guard.placeholders(text, source, target)
    return ProtectedText(out, targets, surfaces) if targets else None


def encode(tokenizer: Any, sentence: str) -> list[str]:
    """SentencePiece pieces, with each ``<Tn>`` kept as one (out-of-vocabulary) token."""
    if "<T" not in sentence:
        return tokenizer.encode(sentence, out_type=str)
    pieces: list[str] = []
    for part in _TOKEN.split(sentence):
        if _TOKEN.fullmatch(part):
            pieces.append(part)
        elif part.strip():
            encoded = tokenizer.encode(part, out_type=str)
            if pieces and not part[0].isspace() and encoded and encoded[0].startswith("▁"):
                encoded = _glued(tokenizer, encoded)  # "<T0>." is not "<T0> ."
            pieces.extend(encoded)
    return pieces


def _glued(tokenizer: Any, encoded: list[str]) -> list[str]:
    """Drop the word-start mark SentencePiece puts on a fragment that continues a word."""
    first = encoded[0][1:]
    if not first:
        return encoded[1:]
    if tokenizer.piece_to_id(first) != tokenizer.unk_id():
        return [first, *encoded[1:]]
    return encoded  # no such piece without the mark: a space it is


def decode(tokenizer: Any, pieces: list[str], spaced: bool) -> str:
    """Decode pieces, keeping copied ``<Tn>`` tokens whole (spaced apart in spaced languages)."""
    if not any(_TOKEN.fullmatch(p) for p in pieces):
        return tokenizer.decode_pieces(pieces)
    out, run = "", list[str]()
    for piece in [*pieces, None]:
        if piece is None or _TOKEN.fullmatch(piece):
            text = tokenizer.decode_pieces(run) if run else ""
            if run and run[0].startswith("▁") and spaced:
                text = " " + text
            out += text
            run = []
            if piece is not None:
                out += (" " if spaced and out and not out.endswith(" ") else "") + piece
        else:
            run.append(piece)
    return out.strip() if spaced else out
