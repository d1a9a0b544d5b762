"""The phrase matcher on the paraphrase set of issue 11 (tests/data/paraphrases.tsv), the real phrasebook.

Quality thresholds per language (recall of paraphrases, wrong matches, matches of hard negatives);
timings are measured in benchmarks/content_match.py, never asserted here.
"""

from __future__ import annotations

import pytest

from kiosk.content.analyse import unload
from kiosk.content.load import load_content
from kiosk.content.match import PhraseMatcher, Suggestion
from kiosk.content.match_eval import BLIND2_SET, BLIND3_SET, BLIND4_SET, FRESH_SET, evaluate, load_cases
from kiosk.languages import CODES as LANGS

# the goal of issue 11 is 0.90 in every language (reached on this set, which was tuned on: see README)
RECALL_FLOOR = {"ja": 0.90, "en": 0.90, "vi": 0.90, "zh": 0.90, "ko": 0.90}
# the blind sets (tests/data/paraphrases_fresh.tsv, paraphrases_blind2/3/4.tsv): floors against regressions
# only, never targets (the README gives their first, untuned figures; blind4 was never tuned on)
BLIND_RECALL_FLOOR = {FRESH_SET: {"ja": 0.70, "en": 0.60, "vi": 0.55, "zh": 0.60, "ko": 0.75},
                      BLIND2_SET: {"ja": 0.70, "en": 0.70, "vi": 0.60, "zh": 0.55, "ko": 0.70},
                      BLIND3_SET: {"ja": 0.45, "en": 0.35, "vi": 0.30, "zh": 0.45, "ko": 0.20},
                      BLIND4_SET: {"ja": 0.45, "en": 0.35, "vi": 0.40, "zh": 0.40, "ko": 0.40}}


@pytest.fixture(scope="module", autouse=True)
def _unload_analysers():
    """The analysers hold several hundred MB: free them when this module is done (the suite goes on)."""
    yield

    unload()


@pytest.fixture(scope="module")
def matcher():
    m = PhraseMatcher(load_content())
    m.warm_up()
    return m


@pytest.fixture(scope="module")
def scores(matcher):
    return evaluate(matcher, load_cases())


def test_the_set_is_big_enough_and_points_at_real_phrases():
    cases = load_cases()
    ids = {p.id for p in load_content().phrases}
    for lang in LANGS:
        assert sum(c.lang == lang and c.kind == "para" for c in cases) >= 60
        assert sum(c.lang == lang and c.kind == "neg" for c in cases) >= 20
    assert all(i in ids for c in cases for i in c.ids)


@pytest.mark.parametrize("lang", LANGS)
def test_no_wrong_and_no_false_matches(scores, lang):
    s = scores[lang]
    assert (s.wrong, s.false) == (0, 0), "\n".join(f for f in s.failures if not f.startswith("miss"))


@pytest.mark.parametrize("lang", LANGS)
def test_recall(scores, lang):
    assert scores[lang].recall >= RECALL_FLOOR[lang], "\n".join(scores[lang].failures)


def test_match_says_why(matcher):
    m = matcher.match("Somebody stole my wallet", "en")
    assert m.entry_id == "emergency.stolen"
    r = m.reason
    assert (r.lang, r.source, r.wording) == ("en", "text", "My wallet was stolen.")
    assert r.lemma_score >= 75 and "negations=0" in r.guards
    m = matcher.match("パスポートが見つかりません", "ja")  # 見つからない ~ なくす: the negation is part of the synonym
    assert m.entry_id == "tourism_lost.lost_passport" and "lose_item" in m.reason.synonyms


def test_guards_stop_look_alikes(matcher):
    assert matcher.match("i found my wallet", "en") is None
    assert matcher.match("please don't sign here", "en") is None
    assert matcher.match("what time is the first bus", "en") is None
    assert matcher.match("写真を撮ってもいいですよ", "ja") is None  # permission given, not asked
    assert matcher.match("タクシーを呼んでください", "ja") is None  # a request, not the staff's offer


def test_suggest_lists_close_phrases_below_the_threshold(matcher):
    suggestions = matcher.suggest("where can i find a post office or a bank", "en", k=3)
    assert len(suggestions) <= 3
    assert all(isinstance(s, Suggestion) and s.score < matcher.thresholds["en"] for s in suggestions)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    hit = matcher.match("where is the toilet", "en")
    assert hit.entry_id not in [s.phrase_id for s in matcher.suggest("where is the toilet", "en")]
    s = matcher.suggest("I think I lost my wallet somewhere near the big station", "en", k=1)[0]
    assert s.phrase_id == "tourism_lost.lost_wallet" and s.text("ja") == "財布をなくしました。"
    assert matcher.suggest("please don't sign here", "en") == []  # guards hold for suggestions too
    assert matcher.suggest("hello", "xx") == [] and matcher.suggest("hello", "en", k=0) == []


@pytest.fixture(scope="module", params=[FRESH_SET, BLIND2_SET, BLIND3_SET, BLIND4_SET],
                ids=["fresh", "blind2", "blind3", "blind4"])
def blind(request, matcher):
    return request.param, evaluate(matcher, load_cases(request.param))


@pytest.mark.parametrize("lang", LANGS)
def test_blind_sets_no_wrong_and_no_false_matches(blind, lang):
    path, scores = blind
    s = scores[lang]
    assert (s.wrong, s.false) == (0, 0), "\n".join(f for f in s.failures if not f.startswith("miss"))
    assert s.recall >= BLIND_RECALL_FLOOR[path][lang], "\n".join(s.failures)


def test_guards_who_acts_cancel_and_until(matcher):
    # found on the blind set: asking someone to act is not asking leave, ending is not starting,
    # "until what time" asks for the closing time
    assert matcher.match("写真撮ってもらえますか", "ja") is None
    assert matcher.match("could you take a picture of us", "en") is None
    assert matcher.match("사진 좀 찍어 주세요", "ko") is None
    assert matcher.match("印鑑登録をやめたいんです", "ja") is None
    assert matcher.match("i want to cancel my seal registration", "en") is None
    got = matcher.match("何時までやってますか", "ja")
    assert got is None or got.entry_id != "tourism_hours.open_when"
    assert matcher.match("写真を撮ってもいいですか", "ja").entry_id == "tourism_etiquette.photo_ok"
    assert matcher.match("国民健康保険をやめたいんですが", "ja").entry_id == "health_insurance.want_withdraw"
    # found on the second blind set
    assert matcher.match("可以帮我拍张照吗", "zh") is None
    assert matcher.match("我的个人编号卡找到了", "zh") is None
    got = matcher.match("国民健康保险我想退掉", "zh")
    assert got is None or got.entry_id != "health_insurance.want_join"
    assert matcher.match("where can i find the toilet", "en").entry_id == "tourism_facilities.toilet_where"
    # another language named
    assert matcher.match("中国語は話せますか", "ja") is None
    assert matcher.match("can you speak korean", "en") is None
    assert matcher.match("chị có nói được tiếng việt không", "vi") is None
    assert matcher.match("英語は話せますか", "ja").entry_id == "smalltalk.english_ok"


def test_suggestions_are_what_the_speaker_would_say(matcher):
    # found driving the kiosk: a visitor typing "toilet" was offered the staff's "The toilets are at the back"
    speakers = {p.id: p.speaker for p in load_content().phrases}
    for side in ("visitor", "staff"):
        offered = matcher.suggest("toilet", "en", k=3, speaker=side)
        assert offered and all(speakers[s.phrase_id] in (side, "both") for s in offered)
