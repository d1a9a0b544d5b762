"""Content validation (`kiosk content check`) and loading: good and broken files, exact messages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.load import load_content
from kiosk.content.validate import check_content, validate
from kiosk.errors import KioskError
from tests.support.content_fixture import PHRASES, TERMS, write_content

FIELDS = ("ja", "ja_kana", "ja_easy", "en", "vi", "zh", "ko")


def _with(phrase_id: str, **changes: str) -> dict:
    phrases = dict(PHRASES)
    texts = dict(zip(FIELDS, phrases[phrase_id], strict=True))
    texts.update(changes)
    phrases[phrase_id] = tuple(texts[f] for f in FIELDS)
    return phrases


def _problems(tmp_path: Path, **kwargs) -> list[str]:
    return [str(p) for p in validate(write_content(tmp_path / "content", **kwargs))]


def test_fixture_content_is_valid(tmp_path):
    assert _problems(tmp_path) == []


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"zh": "請在這裡簽名。"},
         "phrasebook/procedure.toml:4: procedure.sign_here [zh]: Chinese must be Simplified; Traditional characters: "
         "請 這 裡 簽"),
        ({"zh": "在留カードを見せて。"},
         "phrasebook/procedure.toml:4: procedure.sign_here [zh]: Chinese text contains hiragana, katakana"),
        ({"zh": "请出示转入证明。".replace("转", "転")},
         "phrasebook/procedure.toml:4: procedure.sign_here [zh]: Chinese uses Japanese character forms: 転 (use 转)"),
        ({"ja_kana": "ここに署名してください。"},
         "phrasebook/procedure.toml:4: procedure.sign_here [ja_kana]: ja_kana must be kana only; found 署 名"),
        ({"ja_easy": "此処に署名記入して下さい。"},
         "phrasebook/procedure.toml:4: procedure.sign_here [ja_easy]: ja_easy should be mostly kana (58% kanji); use "
         "easier words or kana"),
        ({"ja": "Please sign here."},
         "phrasebook/procedure.toml:4: procedure.sign_here [ja]: Japanese text has no kana or kanji"),
        ({"ko": "ここに署名"},
         "phrasebook/procedure.toml:4: procedure.sign_here [ko]: Korean text has no Hangul"),
        ({"vi": "Vui long ky ten vao day."},
         "phrasebook/procedure.toml:4: procedure.sign_here [vi]: Vietnamese text of 3 or more words has no Vietnamese "
         "diacritics (tone marks, ă â đ ê ô ơ ư)"),
        ({"en": "ここに署名してください。"},
         "phrasebook/procedure.toml:4: procedure.sign_here [en]: English text contains hiragana, kanji/hanzi"),
        ({"vi": ""}, "phrasebook/procedure.toml:4: procedure.sign_here [vi]: is empty"),
        ({"en": "Please sign {here."},
         "phrasebook/procedure.toml:4: procedure.sign_here [en]: has a stray { or }; placeholders look like "
         "{counter_name}"),
        ({"en": "Please sign at {counter_name}."},
         "phrasebook/procedure.toml:4: procedure.sign_here [en]: placeholders {counter_name} differ from ja's (none)"),
    ],
)
def test_broken_phrase_is_reported_exactly(tmp_path, changes, expected):
    assert _problems(tmp_path, phrases=_with("procedure.sign_here", **changes)) == [expected]


def test_length_outlier_blames_the_right_language(tmp_path):
    long_en = "Please do not take photos here or anywhere else in this building, thank you very much for understanding."
    assert _problems(tmp_path, phrases=_with("procedure.no_photos", en=long_en)) == [
        "phrasebook/procedure.toml:64: procedure.no_photos [en]: length 104 is far from what the other languages "
        "suggest; is it a translation of the same text?"
    ]
    short_vi = "Cấm."
    assert _problems(
        tmp_path / "b",
        phrases=_with(
            "procedure.call_ambulance",
            en="Please call an ambulance right now, it is urgent.",
            ja="救急車を今すぐ呼んでください。緊急です。",
            zh="请马上叫救护车，情况紧急。",
            ko="지금 바로 구급차를 불러 주세요. 긴급합니다.",
            vi=short_vi,
        ),
    ) == [
        "phrasebook/procedure.toml:76: procedure.call_ambulance [vi]: length 4 is far from the expected ~54 "
        "(English has 49); is it a translation of the same text?"
    ]


def test_short_texts_may_differ_in_length_and_lack_diacritics(tmp_path):
    phrases = {"procedure.ok": ("はい。", "はい。", "はい。", "OK.", "OK.", "好的。", "네.")}
    assert _problems(tmp_path, phrases=phrases) == []


def test_quoted_signs_may_be_in_another_script(tmp_path):
    phrases = _with("procedure.sign_here", en='Look for the "プラ" mark.', vi='Tìm ký hiệu "プラ".',
                    zh="请找“プラ”标志。", ko="'プラ' 마크를 찾으세요.")
    assert _problems(tmp_path, phrases=phrases) == []


def test_latin_words_from_ja_may_stay_in_ja_kana(tmp_path):
    phrases = _with("procedure.sign_here", ja="無料Wi-Fiがあります。", ja_kana="むりょうWi-Fiが あります。",
                    ja_easy="ただの Wi-Fiが あります。")
    assert _problems(tmp_path, phrases=phrases) == []


def test_a_text_of_only_placeholders_and_punctuation_has_no_script_to_check(tmp_path):
    # e.g. the "just speak" confirmation "{name}?": the words come from the placeholder
    phrases = {"procedure.which": ("{counter_name}？", "{counter_name}？", "{counter_name}？", "{counter_name}?",
                                   "{counter_name}?", "{counter_name}？", "{counter_name}?")}
    assert _problems(tmp_path, phrases=phrases) == []
    # one real word in the wrong script is still caught
    phrases = {"procedure.which": ("{counter_name}？", "{counter_name}？", "{counter_name}？", "{counter_name}は?",
                                   "{counter_name}?", "{counter_name}？", "{counter_name}?")}
    assert _problems(tmp_path / "b", phrases=phrases) == [
        "phrasebook/procedure.toml:4: procedure.which [en]: English text contains hiragana"]


def test_duplicate_ids_topic_and_id_shape(tmp_path):
    root = write_content(tmp_path / "content")
    extra = (root / "phrasebook" / "procedure.toml").read_text(encoding="utf-8")
    (root / "phrasebook" / "tax.toml").write_text(
        extra.replace('topic = "procedure"', 'topic = "tax"'), encoding="utf-8")
    problems = [str(p) for p in validate(root)]
    assert (
        "phrasebook/tax.toml:4: procedure.sign_here [id]: duplicate id (also in phrasebook/procedure.toml); rename one"
        in problems
    )
    assert (
        "phrasebook/tax.toml:24: procedure.take_number [id]: duplicate id (also in phrasebook/procedure.toml); rename "
        "one"
        not in problems
    )
    root2 = write_content(tmp_path / "c2", phrases={"tourism_lost.wallet": PHRASES["procedure.wait"]})
    assert [str(p) for p in validate(root2)] == [
        "phrasebook/tourism_lost.toml: [topic]: topic 'tourism_lost' is not in topics.toml"]


def test_bad_toml_names_the_line(tmp_path):
    root = write_content(tmp_path / "content")
    path = root / "glossary.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = 'ja = "住民票'  # unterminated string on line 3
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = validate(root)
    assert len(problems) == 1
    assert (problems[0].file, problems[0].line) == ("glossary.toml", 3)
    assert problems[0].message.startswith("not valid TOML: ")
    with pytest.raises(KioskError) as exc:
        load_content(root)
    assert exc.value.code == "content.invalid"
    assert exc.value.message.startswith("glossary.toml is not valid TOML (")
    assert exc.value.message.endswith("); fix that line.")


def test_missing_files_and_fields(tmp_path):
    root = write_content(tmp_path / "content")
    (root / "faq.toml").unlink()
    assert [str(p) for p in validate(root)] == ["faq.toml: file is missing"]
    with pytest.raises(KioskError) as exc:
        load_content(root)
    assert (exc.value.code, exc.value.message) == (
        "content.missing", "faq.toml is missing; restore it from the kiosk repository.")
    with pytest.raises(KioskError) as exc:
        load_content(tmp_path / "nowhere")
    assert exc.value.code == "content.missing"


def test_missing_language_and_reviewed_fields(tmp_path):
    root = write_content(tmp_path / "content")
    path = root / "phrasebook" / "tax.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('ko = "기한까지 세금을 내 주세요."\n', "").replace('reviewed = "no"\n', "")
    path.write_text(text, encoding="utf-8")
    assert [str(p) for p in validate(root)] == [
        "phrasebook/tax.toml:4: tax.pay_by_deadline [ko]: missing; add it",
        'phrasebook/tax.toml:4: tax.pay_by_deadline [reviewed]: missing; write reviewed = "no" until a person has '
        'checked it',
    ]
    with pytest.raises(KioskError) as exc:
        load_content(root)
    assert (exc.value.code, exc.value.message) == (
        "content.invalid", "phrasebook/tax.toml:4 tax.pay_by_deadline: field 'ko' is missing; add it.")


def test_glossary_and_faq_checks(tmp_path):
    terms = dict(TERMS)
    topic, texts, extra = terms["juminhyo"]
    terms["juminhyo"] = (topic, texts, {**extra, "aliases_zh": ["住民證明"], "aliases_en": "residence certificate"})
    terms["Bad-Id"] = ("nowhere", texts, {})
    faq = {
        "x": (
            "procedure",
            ("a", "b", "c", "d", "e"),
            (
                "窓口は{counter_name}です。",
                "It is {counter_name}.",
                "Đó là {counter_name}.",
                "是{counter_name}。",
                "{counter_name}입니다.",
            ),
        )
    }
    problems = _problems(tmp_path, terms=terms, faq=faq)
    assert "glossary.toml:2: juminhyo [aliases_zh]: Chinese must be Simplified; Traditional characters: 證" in problems
    assert "glossary.toml:2: juminhyo [aliases_en]: must be a list of non-empty texts" in problems
    bad_id = [p.split(": ", 1)[1] for p in problems if "Bad-Id" in p]
    assert bad_id == ["Bad-Id [id]: id must be snake_case (a-z, 0-9, _)",
                      "Bad-Id [topic]: topic 'nowhere' is not in topics.toml"]
    assert "faq.toml:2: x [answer_ja]: placeholder {counter_name} is not defined in site.toml" in problems
    assert "faq.toml:2: x [question_ja]: Japanese text has no kana or kanji" in problems


def test_check_content_raises_first_problem(tmp_path):
    root = write_content(tmp_path / "content", phrases=_with("procedure.sign_here", vi="", zh=""))
    with pytest.raises(KioskError) as exc:
        check_content(root)
    assert exc.value.code == "content.invalid"
    assert exc.value.message == (
        "phrasebook/procedure.toml:4: procedure.sign_here [vi]: is empty (and 1 more; run `kiosk content check`)")


def test_cli_check_on_fixture_and_broken(tmp_path, capsys):
    root = write_content(tmp_path / "content")
    assert main(["content", "check", "--dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"content OK: {root}" in out
    assert "  phrases: 16" in out
    assert "  unreviewed: 16 phrases, 12 terms, 2 FAQ answers" in out
    broken = write_content(tmp_path / "broken", phrases=_with("procedure.sign_here", vi=""))
    assert main(["content", "check", "--dir", str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["phrasebook/procedure.toml:4: procedure.sign_here [vi]: is empty", f"1 problem(s) in {broken}"]


def test_cli_check_on_the_real_content(capsys):
    code = main(["content", "check"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "content OK" in out


def test_real_content_sizes():
    content = load_content()
    assert len(content.terms) >= 150
    assert len(content.faq) >= 25
    assert set(content.topics) >= {"procedure", "residence", "certificates", "tourism_etiquette", "smalltalk"}
    for must in ("住民票", "在留カード", "転入届", "転出届", "国民健康保険", "粗大ごみ", "印鑑登録証明書",
                 "マイナンバーカード", "児童手当", "課税証明書", "納税証明書", "避難所"):
        assert any(t.text("ja") == must for t in content.terms), must


def test_readme_examples_are_valid(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "content" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    phrase = tomllib.loads(blocks[0])["phrase"][0]
    term = tomllib.loads(blocks[1])["term"][0]
    topics_path = tmp_path / "content"
    root = write_content(topics_path)
    with (root / "phrasebook" / "garbage.toml").open("w", encoding="utf-8") as f:
        f.write('topic = "garbage"\n\n' + blocks[0])
    with (root / "glossary.toml").open("a", encoding="utf-8") as f:
        f.write("\n" + blocks[1])
    (root / "topics.toml").write_text((root / "topics.toml").read_text(encoding="utf-8") + (
        '\n[topics.garbage]\nja = "ごみ"\nen = "Garbage"\nvi = "Rác"\nzh = "垃圾"\nko = "쓰레기"\n'), encoding="utf-8")
    assert [str(p) for p in validate(root)] == []
    content = load_content(root)
    assert content.phrase(phrase["id"]).text("en") == phrase["en"]
    assert content.term(term["id"]).accepted("en")[-1] == "garbage"
