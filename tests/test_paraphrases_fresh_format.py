"""Format check of the blind, fresh paraphrase set (tests/data/paraphrases_fresh.tsv).

Only the file's shape is checked here: the set is measured against the matcher once per release, never tuned on.
"""

from collections import Counter
from pathlib import Path

from kiosk.content.load import load_content

REPO = Path(__file__).resolve().parent.parent
FRESH = REPO / "tests" / "data" / "paraphrases_fresh.tsv"
LANGS = ("ja", "en", "vi", "zh", "ko")


def _rows() -> list[list[str]]:
    rows = []
    for line in FRESH.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def test_fresh_paraphrase_set_is_well_formed() -> None:
    phrase_ids = {p.id for p in load_content(REPO / "content").phrases}
    counts: Counter[tuple[str, str]] = Counter()
    para_ids: dict[str, set[str]] = {lang: set() for lang in LANGS}
    for fields in _rows():
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
        assert counts[lang, "para"] >= 30, lang
        assert counts[lang, "neg"] >= 10, lang
        assert len(para_ids[lang]) >= 25, lang
