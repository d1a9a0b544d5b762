"""Synonym groups (content/synonyms.toml), phrase variants and the matcher's guards, on the fixture content."""

from __future__ import annotations

import re

import pytest

from kiosk.cli import main
from kiosk.content.analyse import unload
from kiosk.content.guards import mood, negations, numbers, speaker
from kiosk.content.load import load_content
from kiosk.content.match import PhraseMatcher
from kiosk.content.validate import validate
from kiosk.errors import KioskError
from tests.support.content_fixture import write_content

GROUPS = '''
[[group]]
id = "queue_ticket"
en = ["number ticket", "queue slip", "waiting slip"]
ja = ["番号札", "整理券"]
'''


@pytest.fixture(scope="module", autouse=True)
def _unload_analysers():
    """The analysers hold several hundred MB: free them when this module is done (the suite goes on)."""
    yield

    unload()


def _content(tmp_path, synonyms: str = "", variants: str = ""):
    root = write_content(tmp_path / "content")
    if synonyms:
        (root / "synonyms.toml").write_text(synonyms, encoding="utf-8")
    if variants:
        path = root / "phrasebook" / "procedure.toml"
        text = path.read_text(encoding="utf-8")
        text = text.replace('id = "procedure.wait"', 'id = "procedure.wait"\n' + variants, 1)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_city_synonym_makes_a_paraphrase_match(tmp_path):
    assert PhraseMatcher(load_content(_content(tmp_path))).match("please take a queue slip", "en") is None
    matcher = PhraseMatcher(load_content(_content(tmp_path, GROUPS)))
    m = matcher.match("please take a queue slip", "en")
    assert m.entry_id == "procedure.take_number" and m.reason.synonyms == ("queue_ticket",)
    assert matcher.match("整理券を取ってください", "ja").entry_id == "procedure.take_number"


def test_a_variant_makes_a_paraphrase_match(tmp_path):
    root = _content(tmp_path, variants='variants_en = ["Hang on for a bit."]')
    m = PhraseMatcher(load_content(root)).match("hang on for a bit", "en")
    assert m.entry_id == "procedure.wait" and m.reason.source == "variant"
    assert m.text("en") == "Please wait a moment."  # a variant is never what is shown
    assert validate(root) == []


@pytest.mark.parametrize("synonyms,expected", [
    (GROUPS + GROUPS.replace("queue_ticket", "other").replace("整理券", "整理番号"),
     ["synonyms.toml:8: other [en]: 'number ticket' is also in group 'queue_ticket'; keep it in one group",
      "synonyms.toml:8: other [en]: 'queue slip' is also in group 'queue_ticket'; keep it in one group",
      "synonyms.toml:8: other [en]: 'waiting slip' is also in group 'queue_ticket'; keep it in one group",
      "synonyms.toml:8: other [ja]: '番号札' is also in group 'queue_ticket'; keep it in one group"]),
    ('[[group]]\nid = "x"\nko = ["화장실", "トイレ"]\n',
     ["synonyms.toml:2: x [ko]: 'トイレ': Korean text has no Hangul"]),
    ('[[group]]\nid = "Bad Id"\nen = ["a", "b"]\n',
     ['synonyms.toml: group number 1 needs an id like "lose_item".']),
    ('[[group]]\nid = "x"\nfr = ["a", "b"]\n',
     ["synonyms.toml: x: unknown field 'fr'; use ja, en, vi, zh, ko."]),
])
def test_content_check_reports_bad_synonyms(tmp_path, synonyms, expected):
    assert [str(p) for p in validate(_content(tmp_path, synonyms))] == expected


def test_content_check_reports_bad_variants(tmp_path, capsys):
    root = _content(tmp_path, variants='variants_vi = ["请稍等"]\nvariants_en = ["Wait {minutes} minutes."]')
    assert main(["content", "check", "--dir", str(root)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"procedure.wait \[variants_vi\]: '请稍等': Vietnamese text contains", out)
    assert "procedure.wait [variants_en]: 'Wait {minutes} minutes.': placeholder {minutes} is not in the phrase" in out


def test_loading_a_broken_synonym_file_names_it(tmp_path):
    with pytest.raises(KioskError) as err:
        PhraseMatcher(load_content(_content(tmp_path, '[[group]]\nid = "x"\nen = "lose"\n')))
    assert (err.value.code, err.value.message) == (
        "content.invalid", "synonyms.toml x: en must be a list of non-empty texts.")


def test_guard_facts():
    assert numbers("one moment please", "en") == () and numbers("go to counter one", "en") == ("1",)
    assert numbers("もう一回言ってください", "ja") == () and numbers("一番近い駅", "ja") == ()
    assert numbers("いちばんまどぐち", "ja") == ("1",) and numbers("3번 창구", "ko") == ("3",)
    assert numbers("삼번 창구로 가세요", "ko") == ("3",) and numbers("이번 주", "ko") == ()
    assert negations("cho tôi biên lai được không", "vi") == 0  # a yes/no question, not a negation
    assert negations("tôi không có giấy tờ", "vi") == 1
    assert negations("还有别的事吗", "zh") == 0
    assert mood("Shall I call a taxi for you?", "en") == "offer" and mood("タクシーを呼びましょうか。", "ja") == "offer"
    assert mood("要我帮您叫出租车吗？", "zh") == "offer" and mood("택시를 불러 드릴까요?", "ko") == "offer"
    assert mood("写真を撮ってもいいですよ", "ja") == "statement"
    assert mood("写真を撮ってもいいですか", "ja") == "question"
    assert mood("you can take photos here", "en") == "statement" and mood("can i take photos", "en") == "question"
    assert mood("トイレどこ", "ja") == ""
    assert speaker("I'd like to join", "en") == "i" and speaker("you need to join", "en") == "you"
    assert speaker("please join", "en") == "" and speaker("我想加入", "zh") == ""
