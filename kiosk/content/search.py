"""Search the phrasebook and glossary for the staff side (typed queries, any language)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.content.load import Content
from kiosk.content.normalise import normalise


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "phrase" | "term"
    id: str
    score: float  # 0..100
    text: str  # the entry in the searched language


def search(content: Content, query: str, lang: str, limit: int = 10, topic: str | None = None,
           min_score: float = 60.0) -> list[SearchHit]:
    """Phrases and terms whose ``lang`` text contains or resembles ``query`` (best first)."""
    from rapidfuzz import fuzz

    q = normalise(query, lang)
    if not q:
        return []
    hits = []
    entries = [("phrase", p.id, p.topic, [p.text(lang)] + ([p.ja_kana] if lang == "ja" else []))
               for p in content.phrases]
    entries += [("term", t.id, t.topic, list(t.variants(lang))) for t in content.terms]
    for kind, eid, etopic, texts in entries:
        if topic and etopic != topic:
            continue
        best = 0.0
        for text in texts:
            key = normalise(text, lang)
            score = 100.0 if q in key else fuzz.partial_ratio(q, key) if len(q) >= 3 else 0.0
            best = max(best, score)
        if best >= min_score:
            hits.append(SearchHit(kind, eid, round(best, 1), texts[0]))
    hits.sort(key=lambda h: (-h.score, h.kind != "term", h.id))
    return hits[:limit]
