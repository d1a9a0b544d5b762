"""Format check of the blind paraphrase sets (tests/data/paraphrases_fresh.tsv, _blind2.tsv, _blind3.tsv,
_blind4.tsv).

Only the files' shape is checked here: the sets are measured against the matcher once per release, never tuned on.
"""

from collections import Counter
from pathlib import Path

import pytest

from kiosk.content.load import load_content

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
LANGS = ("ja", "en", "vi", "zh", "ko")

# file name -> (minimum para rows, minimum distinct para phrase ids, minimum neg rows), per language
BLIND_SETS = {
    "paraphrases_fresh.tsv": (30, 25, 10),
    "paraphrases_blind2.tsv": (24, 24, 8),
    "paraphrases_blind3.tsv": (30, 30, 10),
    "paraphrases_blind4.tsv": (30, 30, 10),
}


def _rows(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@pytest.mark.parametrize("name", sorted(BLIND_SETS))
def test_blind_paraphrase_set_is_well_formed(name: str) -> None:
    min_para, min_distinct, min_neg = BLIND_SETS[name]
    phrase_ids = {p.id for p in load_content(REPO / "content").phrases}
    counts: Counter[tuple[str, str]] = Counter()
    para_ids: dict[str, set[str]] = {lang: set() for lang in LANGS}
    for fields in _rows(DATA / name):
        assert len(fields) == 4, fields
        lang, kind, ids, text = fields
        assert lang in LANGS, fields
        assert kind in ("para", "neg"), fields
        assert text.strip(), fields
        for phrase_id in ids.split("|"):
            assert phrase_id in phrase_ids, fields
        if kind == "neg":
            assert "|" not in ids, fields
        else:
            para_ids[lang].update(ids.split("|"))
        counts[lang, kind] += 1
    for lang in LANGS:
        assert counts[lang, "para"] >= min_para, lang
        assert counts[lang, "neg"] >= min_neg, lang
        assert len(para_ids[lang]) >= min_distinct, lang
