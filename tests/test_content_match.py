"""Phrase matcher: paraphrases that must match and false friends that must not, per language.

Run against the small fixture phrasebook (tests/support/content_fixture.py) so
the expectations do not move when the real phrasebook grows; one test also runs
the matcher over the real content/ folder.
"""

from __future__ import annotations

import pytest

from kiosk.content.analyse import unload
from kiosk.content.load import load_content
from kiosk.content.match import PhraseMatcher, negations, numbers
from tests.support.content_fixture import write_content

# (query, expected phrase id): recogniser-like or typed paraphrases and near misses
PARAPHRASES = {
    "en": [
        ("please sign here", "procedure.sign_here"),
        ("Could you sign here, please?", "procedure.sign_here"),
        ("sign here please", "procedure.sign_here"),
        ("take a number ticket please", "procedure.take_number"),
        ("please wait a moment", "procedure.wait"),
        ("wait a moment please", "procedure.wait"),
        ("please go to counter three", "procedure.go_counter_3"),
        ("go to counter 3 please", "procedure.go_counter_3"),
        ("you need a certificate of residence", "certificates.need_juminhyo"),
        ("can you show me your residence card", "residence.show_card"),
        ("where's the toilet", "tourism_facilities.where_toilet"),
        ("where is the restroom", "tourism_facilities.where_toilet"),  # glossary alias -> agreed term
        ("please call an ambulance", "procedure.call_ambulance"),
        ("please fill out this form", "procedure.fill_form"),
        ("Please don't take photos here.", "procedure.no_photos"),
        ("the counter is open weekdays from nine a.m. to five p.m.", "procedure.counter_open"),
    ],
    "ja": [
        ("ここに署名してください", "procedure.sign_here"),
        ("ここにしょめいしてください", "procedure.sign_here"),
        ("こちらに署名をお願いします", "procedure.sign_here"),
        ("番号札をとってください", "procedure.take_number"),
        ("少々お待ち下さい", "procedure.wait"),
        ("３番窓口へお越しください", "procedure.go_counter_3"),
        ("住民票が必要です", "certificates.need_juminhyo"),
        ("じゅうみんひょうがひつようです", "certificates.need_juminhyo"),
        ("在留カードをみせてください", "residence.show_card"),
        ("てんにゅうとどけをだしてください", "residence.moving_in"),
        ("トイレはどこですか", "tourism_facilities.where_toilet"),
        ("といれはどこですか", "tourism_facilities.where_toilet"),
        ("お手洗いはどこですか", "tourism_facilities.where_toilet"),
        ("救急車をよんでください", "procedure.call_ambulance"),
        ("月曜日は休館日です", "tourism_facilities.closed_monday"),
    ],
    "vi": [
        ("vui lòng ký tên vào đây", "procedure.sign_here"),
        ("xin ký tên vào đây ạ", "procedure.sign_here"),
        ("vui long ky ten vao day", "procedure.sign_here"),
        ("vui lòng lấy phiếu số thứ tự", "procedure.take_number"),
        ("vui lòng đợi một chút nhé", "procedure.wait"),
        ("làm ơn đến quầy số 3", "procedure.go_counter_3"),
        ("bạn cần giấy chứng nhận cư trú", "certificates.need_juminhyo"),
        ("cho tôi xem thẻ cư trú", "residence.show_card"),
        ("nhà vệ sinh ở đâu", "tourism_facilities.where_toilet"),
        ("nha ve sinh o dau", "tourism_facilities.where_toilet"),
        ("vui lòng gọi xe cấp cứu", "procedure.call_ambulance"),
        ("vui lòng nộp thông báo chuyển đến", "residence.moving_in"),
    ],
    "zh": [
        ("请在这里签名", "procedure.sign_here"),
        ("麻烦您在这里签名", "procedure.sign_here"),
        ("请在这里签个名", "procedure.sign_here"),
        ("请取号码牌", "procedure.take_number"),
        ("请稍等", "procedure.wait"),
        ("请到三号窗口", "procedure.go_counter_3"),
        ("您需要住民票", "certificates.need_juminhyo"),
        ("请出示在留卡", "residence.show_card"),
        ("洗手间在哪里", "tourism_facilities.where_toilet"),
        ("洗手间在哪儿", "tourism_facilities.where_toilet"),
        ("厕所在哪里", "tourism_facilities.where_toilet"),
        ("请叫救护车", "procedure.call_ambulance"),
        ("请 提交 迁入 申报", "residence.moving_in"),
    ],
    "ko": [
        ("여기에 서명해 주세요", "procedure.sign_here"),
        ("여기 서명해 주세요", "procedure.sign_here"),
        ("여기에 서명 해주세요", "procedure.sign_here"),
        ("번호표를 뽑아주세요", "procedure.take_number"),
        ("잠시만 기다려주세요", "procedure.wait"),
        ("삼번 창구로 가 주세요".replace("삼번", "3번"), "procedure.go_counter_3"),
        ("주민표가 필요합니다", "certificates.need_juminhyo"),
        ("재류 카드를 보여 주세요", "residence.show_card"),
        ("화장실은 어디에 있어요", "tourism_facilities.where_toilet"),
        ("화장실은 어디에 있습니까", "tourism_facilities.where_toilet"),
        ("화장실이 어디에 있나요", "tourism_facilities.where_toilet"),
        ("주민표가 필요해요", "certificates.need_juminhyo"),
        ("구급차를 불러주세요", "procedure.call_ambulance"),
        ("전입 신고를 해 주세요", "residence.moving_in"),
    ],
}

# (query, phrase id it must NOT match): negation, other numbers/days, other documents, other requests
FALSE_FRIENDS = {
    "en": [
        ("Please don't sign here.", "procedure.sign_here"),
        ("please do not sign here", "procedure.sign_here"),
        ("please go to counter four", "procedure.go_counter_3"),
        ("please go to counter 5", "procedure.go_counter_3"),
        ("I want to get a tax payment certificate", "certificates.tax_assessment"),
        ("you need a copy of the family register", "certificates.need_juminhyo"),
        ("please show me your My Number Card", "residence.show_card"),
        ("please submit a moving-out notification", "residence.moving_in"),
        ("please call the police", "procedure.call_ambulance"),
        ("we are closed on Tuesdays", "tourism_facilities.closed_monday"),
        ("you can take photos here", "procedure.no_photos"),
        ("please take a seat", "procedure.take_number"),
    ],
    "ja": [
        ("ここに署名しないでください", "procedure.sign_here"),
        ("4番窓口へお越しください", "procedure.go_counter_3"),
        ("戸籍謄本が必要です", "certificates.need_juminhyo"),
        ("住民票は必要ありません", "certificates.need_juminhyo"),
        ("納税証明書を取りたいです", "certificates.tax_assessment"),
        ("転出届を出してください", "residence.moving_in"),
        ("マイナンバーカードを見せてください", "residence.show_card"),
        ("警察を呼んでください", "procedure.call_ambulance"),
        ("火曜日は休館日です", "tourism_facilities.closed_monday"),
        ("ここで写真を撮ってもいいです", "procedure.no_photos"),
    ],
    "vi": [
        ("vui lòng không ký tên vào đây", "procedure.sign_here"),
        ("đừng ký tên vào đây", "procedure.sign_here"),
        ("vui lòng đến quầy số 4", "procedure.go_counter_3"),
        ("bạn cần bản sao hộ tịch", "certificates.need_juminhyo"),
        ("tôi muốn lấy giấy chứng nhận nộp thuế", "certificates.tax_assessment"),
        ("vui lòng nộp thông báo chuyển đi", "residence.moving_in"),
        ("vui lòng gọi cảnh sát", "procedure.call_ambulance"),
        ("thứ Ba là ngày đóng cửa", "tourism_facilities.closed_monday"),
        ("vui lòng chụp ảnh ở đây", "procedure.no_photos"),
    ],
    "zh": [
        ("请不要在这里签名", "procedure.sign_here"),
        ("请到4号窗口", "procedure.go_counter_3"),
        ("请到五号窗口", "procedure.go_counter_3"),
        ("您需要户籍誊本", "certificates.need_juminhyo"),
        ("您不需要住民票", "certificates.need_juminhyo"),
        ("我想开纳税证明书", "certificates.tax_assessment"),
        ("请提交迁出申报", "residence.moving_in"),
        ("请叫警察", "procedure.call_ambulance"),
        ("星期二闭馆", "tourism_facilities.closed_monday"),
        ("请在这里拍照", "procedure.no_photos"),
    ],
    "ko": [
        ("여기에 서명하지 마세요", "procedure.sign_here"),
        ("여기에 서명하지 않아도 됩니다", "procedure.sign_here"),
        ("4번 창구로 가 주세요", "procedure.go_counter_3"),
        ("호적등본이 필요합니다", "certificates.need_juminhyo"),
        ("주민표가 필요 없습니다", "certificates.need_juminhyo"),
        ("납세증명서를 발급받고 싶습니다", "certificates.tax_assessment"),
        ("전출신고를 해 주세요", "residence.moving_in"),
        ("경찰을 불러 주세요", "procedure.call_ambulance"),
        ("화요일은 휴관일입니다", "tourism_facilities.closed_monday"),
        ("여기에서 사진을 찍어 주세요", "procedure.no_photos"),
    ],
}


@pytest.fixture(scope="module", autouse=True)
def _unload_analysers():
    """The analysers hold several hundred MB: free them when this module is done (the suite goes on)."""
    yield

    unload()


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    root = write_content(tmp_path_factory.mktemp("content"))
    return PhraseMatcher(load_content(root))


def _cases(table):
    return [
        pytest.param(lang, q, pid, id=f"{lang}-{i}") for lang, rows in table.items() for i, (q, pid) in enumerate(rows)
    ]


@pytest.mark.parametrize("lang,query,expected", _cases(PARAPHRASES))
def test_paraphrase_matches(matcher, lang, query, expected):
    m = matcher.match(query, lang)
    assert m is not None, f"{query!r} matched nothing"
    assert m.entry_id == expected
    assert 0 <= m.similarity <= 100


@pytest.mark.parametrize("lang,query,forbidden", _cases(FALSE_FRIENDS))
def test_false_friend_does_not_match(matcher, lang, query, forbidden):
    m = matcher.match(query, lang)
    assert m is None or m.entry_id != forbidden, f"{query!r} matched {m.entry_id} ({m.similarity})"


def test_each_language_has_enough_cases():
    for lang in ("ja", "en", "vi", "zh", "ko"):
        assert len(PARAPHRASES[lang]) >= 8 and len(FALSE_FRIENDS[lang]) >= 8


def test_match_fills_site_values_and_returns_all_languages(matcher):
    m = matcher.match("The counter is open weekdays from 9 a.m. to 5 p.m.", "en")
    assert m.entry_id == "procedure.counter_open"
    assert m.text("ja") == "窓口は平日の午前9時から午後5時まで開いています。"
    assert m.text("ko") == "창구는 평일 오전 9시부터 오후 5시까지 운영합니다."
    assert m.phrase.texts["en"] == "The counter is open {opening_hours}."


def test_phrase_with_unfilled_slot_is_not_matched(matcher):
    assert matcher.match("Please wait about minutes.", "en") is None
    assert len(matcher) == 15  # 16 fixture phrases, one with a {minutes} slot


def test_exact_text_scores_100(matcher):
    m = matcher.match("Please sign here.", "en")
    assert m.similarity == 100.0


def test_empty_or_punctuation_only_matches_nothing(matcher):
    assert matcher.match("", "en") is None
    assert matcher.match("。、！", "ja") is None
    assert matcher.match("hello", "xx") is None


def test_guards_facts():
    assert numbers("Please go to counter three on Monday", "en") == ("3", "wd1")
    assert numbers("三号窗口", "zh") == ("3",)
    assert numbers("２０番窓口、金曜日", "ja") == ("20", "wd5")
    assert negations("Please don't sign here.", "en") == 1
    assert negations("案内します", "ja") == 0
    assert negations("署名しないでください", "ja") == 1
    assert negations("すみません、どの窓口に行けばいいですか", "ja") == 0
    assert negations("ここで写真を撮ってはいけません", "ja") == 1
    assert negations("여기에 서명하지 마세요", "ko") == 1
    assert negations("vui lòng không ký", "vi") == 1
    assert negations("请不要签名", "zh") == 1
    assert negations("不好意思，对不起，没关系", "zh") == 0


def test_matcher_on_the_real_phrasebook_finds_its_own_phrases():
    content = load_content()
    matcher = PhraseMatcher(content)
    for phrase in content.phrases[:: max(1, len(content.phrases) // 40)]:
        for lang in ("ja", "en", "vi", "zh", "ko"):
            if "{" in phrase.text(lang):
                continue
            m = matcher.match(phrase.text(lang), lang)
            assert m is not None, (phrase.id, lang)
            # a phrase may share its exact text with another in one language (e.g. ko 안녕하세요)
            assert m.text(lang) == phrase.text(lang) or m.entry_id == phrase.id
