"""A small, valid content folder for the content tests (written into a tmp dir).

``write_content(root)`` writes topics, a phrasebook of 16 counter/tourism phrases,
12 glossary terms, 2 FAQ answers and site values; every text is real and checked
by ``kiosk content check``.  Tests change single fields to break it on purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

TOPICS = {
    "procedure": ("受付・手続き", "Reception and procedures", "Tiếp nhận và thủ tục", "接待与手续", "접수·절차"),
    "residence": ("住所・転入・転出", "Address, moving in/out", "Địa chỉ, chuyển đến/chuyển "
                                                                "đi", "住址、迁入、迁出", "주소·전입·전출"),
    "certificates": ("証明書", "Certificates", "Giấy chứng nhận", "证明书", "증명서"),
    "tourism_facilities": ("施設", "Facilities", "Tiện ích", "设施", "시설"),
    "tax": ("税金", "Taxes", "Thuế", "税金", "세금"),
}

LANGS = ("ja", "en", "vi", "zh", "ko")

# id: (ja, ja_kana, ja_easy, en, vi, zh, ko)
PHRASES: dict[str, tuple[str, ...]] = {
    "procedure.sign_here": (
        "ここに署名してください。",
        "ここに しょめいしてください。",
        "ここに なまえを かいて ください。",
        "Please sign here.",
        "Vui lòng ký tên vào đây.",
        "请在这里签名。",
        "여기에 서명해 주세요.",
    ),
    "procedure.take_number": (
        "番号札をお取りください。",
        "ばんごうふだを おとりください。",
        "ばんごうの かみを とって ください。",
        "Please take a number ticket.",
        "Vui lòng lấy phiếu số thứ tự.",
        "请取号码牌。",
        "번호표를 뽑아 주세요.",
    ),
    "procedure.wait": (
        "少々お待ちください。",
        "しょうしょう おまちください。",
        "すこし まって ください。",
        "Please wait a moment.",
        "Vui lòng đợi một chút.",
        "请稍等一会儿。",
        "잠시만 기다려 주세요.",
    ),
    "procedure.go_counter_3": (
        "3番窓口へお越しください。",
        "3ばんまどぐちへ おこしください。",
        "3ばんの まどぐちへ いって ください。",
        "Please go to counter 3.",
        "Vui lòng đến quầy số 3.",
        "请到3号窗口。",
        "3번 창구로 가 주세요.",
    ),
    "procedure.fill_form": (
        "この用紙に記入してください。",
        "この ようしに きにゅうしてください。",
        "この かみに かいて ください。",
        "Please fill in this form.",
        "Vui lòng điền vào mẫu đơn này.",
        "请填写这张表格。",
        "이 용지에 기입해 주세요.",
    ),
    "procedure.no_photos": (
        "ここで写真を撮らないでください。",
        "ここで しゃしんを とらないでください。",
        "ここで しゃしんを とらないで ください。",
        "Please do not take photos here.",
        "Vui lòng không chụp ảnh ở đây.",
        "请不要在这里拍照。",
        "여기에서 사진을 찍지 마세요.",
    ),
    "procedure.call_ambulance": (
        "救急車を呼んでください。",
        "きゅうきゅうしゃを よんでください。",
        "きゅうきゅうしゃを よんで ください。",
        "Please call an ambulance.",
        "Vui lòng gọi xe cấp cứu.",
        "请叫救护车。",
        "구급차를 불러 주세요.",
    ),
    "procedure.counter_open": (
        "窓口は{opening_hours}開いています。",
        "まどぐちは {opening_hours} あいています。",
        "まどぐちは {opening_hours} あいて います。",
        "The counter is open {opening_hours}.",
        "Quầy làm việc {opening_hours}.",
        "窗口的开放时间是{opening_hours}。",
        "창구는 {opening_hours} 운영합니다.",
    ),
    "procedure.wait_minutes": (
        "{minutes}分ほどお待ちください。",
        "{minutes}ふんほど おまちください。",
        "{minutes}ふんぐらい まって ください。",
        "Please wait about {minutes} minutes.",
        "Vui lòng đợi khoảng {minutes} phút.",
        "请等大约{minutes}分钟。",
        "{minutes}분 정도 기다려 주세요.",
    ),
    "certificates.need_juminhyo": (
        "住民票が必要です。",
        "じゅうみんひょうが ひつようです。",
        "じゅうみんひょうが いります。",
        "You need a certificate of residence.",
        "Bạn cần giấy chứng nhận cư trú.",
        "您需要住民票。",
        "주민표가 필요합니다.",
    ),
    "certificates.tax_assessment": (
        "課税証明書を取りたいです。",
        "かぜいしょうめいしょを とりたいです。",
        "ぜいきんの しょうめいしょが ほしいです。",
        "I want to get a tax assessment certificate.",
        "Tôi muốn lấy giấy chứng nhận đánh thuế.",
        "我想开课税证明书。",
        "과세증명서를 발급받고 싶습니다.",
    ),
    "residence.moving_in": (
        "転入届を出してください。",
        "てんにゅうとどけを だしてください。",
        "ひっこして きた ひとは、この かみを だして ください。",
        "Please submit a moving-in notification.",
        "Vui lòng nộp thông báo chuyển đến.",
        "请提交迁入申报。",
        "전입신고를 해 주세요.",
    ),
    "residence.show_card": (
        "在留カードを見せてください。",
        "ざいりゅうカードを みせてください。",
        "ざいりゅうカードを みせて ください。",
        "Please show me your residence card.",
        "Vui lòng cho tôi xem thẻ cư trú.",
        "请出示您的在留卡。",
        "재류카드를 보여 주세요.",
    ),
    "tourism_facilities.where_toilet": (
        "トイレはどこですか。",
        "トイレは どこですか。",
        "トイレは どこですか。",
        "Where is the toilet?",
        "Nhà vệ sinh ở đâu?",
        "洗手间在哪里？",
        "화장실은 어디에 있습니까?",
    ),
    "tourism_facilities.closed_monday": (
        "月曜日は休館日です。",
        "げつようびは きゅうかんびです。",
        "げつようびは やすみです。",
        "We are closed on Mondays.",
        "Thứ Hai là ngày đóng cửa.",
        "星期一闭馆。",
        "월요일은 휴관일입니다.",
    ),
    "tax.pay_by_deadline": (
        "期限までに税金を払ってください。",
        "きげんまでに ぜいきんを はらってください。",
        "きめられた ひまでに ぜいきんを はらって ください。",
        "Please pay the tax by the deadline.",
        "Vui lòng nộp thuế trước hạn.",
        "请在期限前缴税。",
        "기한까지 세금을 내 주세요.",
    ),
}

# id: topic, (ja, ja_kana, en, vi, zh, ko), extra fields
TERMS: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {
    "juminhyo": (
        "certificates",
        ("住民票", "じゅうみんひょう", "certificate of residence", "giấy chứng nhận cư trú", "住民票", "주민표"),
        {"aliases_en": ["residence certificate"], "aliases_zh": ["居民证明"]},
    ),
    "koseki_tohon": (
        "certificates",
        (
            "戸籍謄本",
            "こせきとうほん",
            "certified copy of the family register",
            "bản sao hộ tịch",
            "户籍誊本",
            "호적등본",
        ),
        {"aliases_en": ["copy of the family register"]},
    ),
    "kazei_shomeisho": (
        "certificates",
        (
            "課税証明書",
            "かぜいしょうめいしょ",
            "tax assessment certificate",
            "giấy chứng nhận đánh thuế",
            "课税证明书",
            "과세증명서",
        ),
        {},
    ),
    "nozei_shomeisho": (
        "certificates",
        (
            "納税証明書",
            "のうぜいしょうめいしょ",
            "tax payment certificate",
            "giấy chứng nhận nộp thuế",
            "纳税证明书",
            "납세증명서",
        ),
        {},
    ),
    "tennyu_todoke": (
        "residence",
        ("転入届", "てんにゅうとどけ", "moving-in notification", "thông báo chuyển đến", "迁入申报", "전입신고"),
        {"aliases_en": ["moving-in notice"]},
    ),
    "tenshutsu_todoke": (
        "residence",
        ("転出届", "てんしゅつとどけ", "moving-out notification", "thông báo chuyển đi", "迁出申报", "전출신고"),
        {"aliases_en": ["moving-out notice"]},
    ),
    "zairyu_card": (
        "residence",
        ("在留カード", "ざいりゅうカード", "residence card", "thẻ cư trú", "在留卡", "재류카드"),
        {"aliases_vi": ["thẻ lưu trú"], "aliases_ko": ["재류 카드"]},
    ),
    "my_number_card": (
        "residence",
        ("マイナンバーカード", "マイナンバーカード", "My Number Card", "thẻ My Number", "个人编号卡", "마이넘버 카드"),
        {"aliases_ko": ["마이넘버카드"]},
    ),
    "kyukyusha": ("procedure", ("救急車", "きゅうきゅうしゃ", "ambulance", "xe cấp cứu", "救护车", "구급차"), {}),
    "keisatsu": ("procedure", ("警察", "けいさつ", "police", "cảnh sát", "警察", "경찰"), {"aliases_vi": ["công an"]}),
    "toilet": (
        "tourism_facilities",
        ("トイレ", "トイレ", "toilet", "nhà vệ sinh", "洗手间", "화장실"),
        {"aliases_en": ["restroom", "bathroom"], "aliases_zh": ["厕所", "卫生间"], "aliases_ja": ["お手洗い"]},
    ),
    "madoguchi": ("procedure", ("窓口", "まどぐち", "counter", "quầy", "窗口", "창구"), {"accept_en": ["desk"]}),
}

FAQ = {
    "opening_hours": (
        "procedure",
        (
            "受付時間を教えてください。",
            "What are your opening hours?",
            "Giờ làm việc là khi nào?",
            "请问受理时间是什么时候？",
            "접수 시간이 어떻게 되나요?",
        ),
        (
            "受付時間は{opening_hours}です。",
            "Our hours are {opening_hours}.",
            "Giờ làm việc là {opening_hours}.",
            "受理时间为{opening_hours}。",
            "접수 시간은 {opening_hours}입니다.",
        ),
    ),
    "call_us": (
        "procedure",
        (
            "電話番号を教えてください。",
            "What is your phone number?",
            "Số điện thoại của văn phòng là gì?",
            "请告诉我电话号码。",
            "전화번호를 알려 주세요.",
        ),
        (
            "電話番号は{phone}です。",
            "Our phone number is {phone}.",
            "Số điện thoại của chúng tôi là {phone}.",
            "电话号码是{phone}。",
            "전화번호는 {phone}입니다.",
        ),
    ),
}

SITE: dict[str, Any] = {
    "phone": "012-345-6789",
    "opening_hours": {"ja": "平日の午前9時から午後5時まで", "en": "weekdays from 9 a.m. to 5 p.m.",
                      "vi": "các ngày trong tuần từ 9 giờ sáng đến 5 giờ chiều", "zh": "工作日上午9点至下午5点",
                      "ko": "평일 오전 9시부터 오후 5시까지"},
}


def write_content(root: Path, phrases: dict | None = None, terms: dict | None = None,
                  faq: dict | None = None, site: dict | None = None) -> Path:
    phrases = PHRASES if phrases is None else phrases
    terms = TERMS if terms is None else terms
    faq = FAQ if faq is None else faq
    site = SITE if site is None else site
    root.mkdir(parents=True, exist_ok=True)
    topics = {tid: dict(zip(LANGS, names, strict=True)) for tid, names in TOPICS.items()}
    (root / "topics.toml").write_text(tomli_w.dumps({"topics": topics}), encoding="utf-8")
    (root / "phrasebook").mkdir(exist_ok=True)
    by_topic: dict[str, list] = {}
    for pid, texts in phrases.items():
        entry = dict(zip(("ja", "ja_kana", "ja_easy", "en", "vi", "zh", "ko"), texts, strict=True))
        by_topic.setdefault(pid.split(".")[0], []).append(
            {"id": pid, "speaker": "staff", **entry, "reviewed": "no"})
    for topic, entries in by_topic.items():
        text = tomli_w.dumps({"topic": topic, "phrase": entries})
        (root / "phrasebook" / f"{topic}.toml").write_text(text, encoding="utf-8")
    glossary = []
    for tid, (topic, texts, extra) in terms.items():
        names = dict(zip(("ja", "ja_kana", "en", "vi", "zh", "ko"), texts, strict=True))
        glossary.append({"id": tid, "topic": topic, **names, **extra, "reviewed": "no"})
    (root / "glossary.toml").write_text(tomli_w.dumps({"term": glossary}), encoding="utf-8")
    answers = []
    for aid, (topic, questions, texts) in faq.items():
        answers.append({"id": aid, "topic": topic,
                        **{f"question_{lang}": q for lang, q in zip(LANGS, questions, strict=True)},
                        **{f"answer_{lang}": a for lang, a in zip(LANGS, texts, strict=True)}, "reviewed": "no"})
    (root / "faq.toml").write_text(tomli_w.dumps({"answer": answers}), encoding="utf-8")
    (root / "site.toml").write_text(tomli_w.dumps(site), encoding="utf-8")
    return root
