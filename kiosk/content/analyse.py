"""Content lemmas of a sentence, per language, for the phrase matcher.

``lemmas(text, lang)`` returns the words that carry meaning, in their dictionary form, in order:

- ja: SudachiPy (sudachidict-small), normalised forms (取って/お取り/とって -> 取る, 一回 -> 一度 via the
  synonym table), particles, auxiliaries, honorific prefixes and helper verbs (ください, いる, もらう) dropped;
- ko: Kiwi (kiwipiepy + kiwipiepy-model) morphemes: nouns, verbs and adjectives as stem + 다 (열다, to open,
  is not 열, fever), adverbs; particles and endings dropped;
- zh: the characters of jieba's words, minus particles and politeness words (请, 吗, 了, 的 ...) and
  their affixes (请稍等 / 稍等一下 -> 稍 等);
- en: words lemmatised by simplemma (stole -> steal, photos -> photo) minus function words;
- vi: syllables minus pronouns, particles and politeness words (no analyser: Vietnamese words do not inflect).

Negation words are kept (``NEG`` marks them) so that a synonym rule may absorb them ("can not find" ~ "lose").
Every analyser is imported and loaded on first use of its language (Kiwi: ~4 s and ~320 MB; jieba ~2 s,
~80 MB; Sudachi ~0.1 s, ~45 MB; simplemma ~0.6 s): build the matcher's language index off the UI thread
(``PhraseMatcher.warm_up``).  Everything is bundled in the wheels: nothing is downloaded at run time.
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from functools import lru_cache

from kiosk.content.guards import VI_QUESTION_END, number_words, zh_a_not_a
from kiosk.content.normalise import (
    _kakasi,
    cjk_numbers_to_digits,
    match_key,
    normalise,
    number_words_to_digits,
    strip_tones,
    to_hiragana,
)

NEG = "¬"  # the lemma every negation word becomes (kept by the punctuation filter)

_LOCK = threading.Lock()

# --------------------------------------------------------------------------- Japanese

_JA_DROP_POS = {"助詞", "補助記号", "空白", "接頭辞", "記号"}
# interjections carry meaning (ありがとう, すみません, こんにちは) except the fillers of speech
_JA_FILLERS = set("あ あっ ああ あのう あの え えー ええ えーと えっと ま まあ うーん うん ほら さあ".split())
_JA_DROP_LEMMAS = set("""
下さる くださる 居る いる 貰う もらう 頂く いただく 為る する 御座る ござる 致す いたす 願う 申す
です ます だ た ちゃう てる れる られる せる おる しまう 仕舞う
ちょっと あのう あの えーと えっと 其の そう ね よ さん 様 ん の こと 良く 出来る できる
本当 本当に 迚も とても 凄い すごい 多分 大変 是非 みたい らしい
""".split())
_JA_COPY_COUNTERS = {"通", "部", "枚"}
_JA_ASKING = {"もらえ", "くれ", "いただけ", "頂け"}  # ~てもらえませんか: a request, not a negation
_JA_NEG_LEMMAS = {"ない", "ず", "ぬ", "無い"}
_JA_KEEP_PARTICLES = {"しか", "だけ", "のみ", "まで", "から"}
# polite and plain demonstratives mean the same place (こちら = ここ, どちら = どこ)
_JA_PLAIN = {"此方": "此処", "こっち": "此処", "其方": "其処", "そっち": "其処", "彼方": "彼処", "あっち": "彼処",
             "何方": "何処", "どっち": "何処", "何処": "何処", "どこ": "何処", "ここ": "此処", "あそこ": "彼処",
             "どちら": "何処", "こちら": "此処", "そちら": "其処", "あちら": "彼処"}


@lru_cache(maxsize=1)
def _sudachi():
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="small").tokenizer(mode=SplitMode.C)


def _ja(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    text = cjk_numbers_to_digits(text)
    out: list[str] = []
    prev = prev_pos = ""
    how_te = False
    tokens = list(_sudachi().tokenize(text))
    for i, m in enumerate(tokens):
        pos = m.part_of_speech()
        lemma = m.normalized_form()
        if m.surface() == "なく" and i + 1 < len(tokens) and tokens[i + 1].surface().startswith("し"):
            out.append("なくす")  # なくしました read as ない + し: it is the verb なくす (to lose)
            prev = "なく"
            continue
        if m.surface() == "どう" and i + 1 < len(tokens) and tokens[i + 1].surface() == "も" and (
                i + 2 == len(tokens) or tokens[i + 2].part_of_speech()[0] != "動詞"):
            out.append("どうも")  # どうも (thanks, very much), not どう (how) + も
            prev = "も"
            continue
        if lemma == "遣る" and out and out[-1] == "どう":  # どうやって: how (not やる, to be open)
            prev = ""
            how_te = True
            continue
        if how_te and m.surface() == "て":  # どうやって行く: 行く is the verb, not a helper after て
            how_te = False
            continue
        before, prev = prev, m.surface()
        before_pos, prev_pos = prev_pos, pos[0] if pos[1] != "接続助詞" else "接続助詞"
        after_te = before in ("て", "で") and before_pos == "接続助詞"
        if pos[0] == "感動詞" and m.surface() in _JA_FILLERS:
            continue
        if lemma == "禁止":  # 撮影禁止: prohibited, like 撮らないで
            out.append(NEG)
            continue
        if lemma in _JA_NEG_LEMMAS and pos[0] in ("助動詞", "形容詞"):
            if out and out[-1] in ("済む", "すむ"):  # すみません: an apology, not a negation
                out.pop()
                out.append("済みません")
                continue
            asking = any(t.surface() in _JA_ASKING for t in tokens[max(0, i - 2):i]) and any(
                t.surface() == "か" for t in tokens[i + 1:i + 3])
            if not asking and "しか" not in out:  # 書いてもらえませんか asks; 少ししかわからない is "only"
                out.append(NEG)
            continue
        if m.surface() == "か" and out and before in ("何", "なに", "なん", "どこ", "誰", "だれ", "いつ"):
            out[-1] += "か"  # 何か / どこか / 誰か: something, somewhere, someone (not a question word)
            continue
        if pos[0] == "助詞" and lemma in _JA_KEEP_PARTICLES:
            out.append(lemma)
            continue
        if lemma in ("御座る", "ござる") and not (out and before_pos == "感動詞"):  # ございますか = ありますか
            out.append("ある")
            continue
        if m.surface() in _JA_COPY_COUNTERS and out and (out[-1] == "何" or out[-1].isdigit()):
            out.append("枚")  # 何通 / 2部 / 3枚: copies of a document
            continue
        passive = i + 1 < len(tokens) and tokens[i + 1].normalized_form() in ("れる", "られる")
        if m.surface() in ("す", "すら") and passive:
            out.append("ぬすむ")  # すられた: pickpocketed (掏る), not する
            continue
        if lemma == "たい" and pos[0] == "助動詞":  # 取りたい / 入れたい: wanting, like ほしい
            out.append("ほしい")
            continue
        if pos[0] in _JA_DROP_POS or pos[0] == "助動詞" or lemma in _JA_DROP_LEMMAS:
            continue
        if pos[1] == "非自立可能" and pos[0] == "動詞" and after_te:  # helper verb after て: 待っている, 見てみる
            continue
        if pos[1] == "数詞" and lemma.isdigit():
            out.append(lemma)
            continue
        if _is_punct(lemma):
            continue
        if pos[0] in ("動詞", "形容詞"):  # 無くす / なくす, 見付かる / 見つかる: compare verbs by their reading
            lemma = _ja_reading(lemma)
            if lemma == "とる" and i + 1 < len(tokens) and tokens[i + 1].normalized_form() in ("れる", "られる"):
                lemma = "ぬすむ"  # 取られた / 盗られた (had it taken): stolen
        out.append(_JA_PLAIN.get(lemma, lemma))
    return out


@lru_cache(maxsize=4096)
def _ja_reading(word: str) -> str:
    return to_hiragana(word)


# --------------------------------------------------------------------------- Korean

_KO_KEEP_TAGS = {"NNG", "NNP", "NR", "NP", "SL", "SN", "SH", "XR", "VV", "VA", "MAG", "MM", "VV-R", "VV-I", "VA-R",
                 "VA-I", "VX", "XSN"}
_KO_DROP = set("""
주 드리 보 있 하 되 좀 그 저기 음 이 것 거 수 정말 진짜 너무 아주 매우 혹시 그냥 꼭 계 계시 같
""".split())
_KO_PRONOUNS = {"제", "저", "나", "내"}  # I, my: dropped as pronouns only (내다, to pay, and 나다 stay)
_KO_SAME = {"갖": "가지"}  # 갖고 = 가지고
_KO_NEG = {"않", "못", "없", "말", "안", "아니"}


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi(load_typo_dict=False, load_multi_dict=False)


def _ends_in_rieul(form: str) -> bool:
    """The last syllable ends in ㄹ: before the modifier ㄹ such a stem reads the same as the stem without it."""
    code = ord(form[-1]) - 0xAC00
    return 0 <= code < 11172 and code % 28 == 8


_KO_KEEP_PARTICLES = {"만", "부터", "까지"}  # only, from, until: they change what is asked


def _ko(text: str) -> list[str]:
    out: list[str] = []
    toks = _kiwi().tokenize(unicodedata.normalize("NFKC", text))
    for i, tok in enumerate(toks):
        tag, form = tok.tag, tok.form
        if tag == "NNG" and len(form) == 1 and i and toks[i - 1].tag == "NNG" and out and out[-1] == toks[i - 1].form \
                and toks[i - 1].start + toks[i - 1].len == tok.start:
            out[-1] += form  # 주민 + 표 written together: 주민표 (a certificate), not 표 (a ticket)
            continue
        nxt = toks[i + 1].form if i + 1 < len(toks) else ""
        if tag == "NNB" and (form, nxt) in (("수", "있"), ("줄", "알")):  # 할 수 있다 / 할 줄 알다: can
            out.append("can")
            continue
        if form == "되" and tag.startswith("VV") and i + 1 < len(toks) and toks[i + 1].tag in ("EF", "EP") and (
                i == 0 or toks[i - 1].tag != "EC"):  # 현금만 돼요 / 카드 돼요: it is possible, can
            out.append("can")
            continue
        if form in ("가", "오") and tag[:2] in ("VV", "VX") and i and toks[i - 1].tag == "EC":  # 훔쳐 갔어요: helper
            if out and out[-1] in ("두다", "놓다"):
                out[-1] = "두고 오다"  # 놓고 왔어요 / 두고 왔어요: left it behind (놓아 주세요 is only "put")
            continue
        if tag == "EC" and form in ("어도", "아도") and nxt in ("되", "괜찮"):  # 찍어도 돼요: may
            out.append("may")
            continue
        if tag == "NNB" and (form, nxt) == ("수", "없"):  # 할 수 없다: can not
            out += ["can", NEG]
            continue
        if form in ("있", "알", "없") and i and toks[i - 1].tag == "NNB" and toks[i - 1].form in ("수", "줄"):
            continue
        if form in _KO_NEG and tag in ("VX", "MAG", "VA", "VCN", "VV") or form == "금지":  # 금지: prohibited
            out.append(NEG)
            continue
        if tag.startswith("J") and form in _KO_KEEP_PARTICLES:
            out.append(form)
            continue
        if tag == "NNB" and i and (toks[i - 1].form == "몇" or toks[i - 1].tag in ("SN", "NR")):
            out.append(form)  # 몇 살 (age), 몇 시 (time), 몇 장 (sheets): the counter says what is counted
            continue
        if tag not in _KO_KEEP_TAGS or form in _KO_DROP or form in _KO_PRONOUNS and tag in ("NP", "MM"):
            continue
        if tag.startswith("VV") and len(form) > 3 and form.endswith(("어버리", "아버리")):  # 잃어버리 = 잃 + 버리
            form = form[:-3]
        verb = "다" if tag.startswith(("VV", "VA", "VX")) else ""  # 열다 (open) is not 열 (fever)
        if verb and nxt == "ᆯ" and _ends_in_rieul(form):  # 살 수: 사다 (buy) or 살다 (live)
            out.append(form[:-1] + chr(ord(form[-1]) - 8) + verb)
        out.append(_KO_SAME.get(form, form) + verb)
    return out


# --------------------------------------------------------------------------- Chinese

_ZH_DROP = set("""
请 请问 麻烦 麻烦您 麻烦你 您 你 我 的 了 吗 呢 吧 啊 呀 嗯 一下 一会儿 一会 下 个 这个 那个
是 在 把 给 被 能 可以 会 想 要 帮 帮忙 点 一点 得 地 就 都 也 还 有点 过 着 呗 哦 嘛 哈
""".split())
_ZH_NEG = {"不", "没", "没有", "别", "不要", "不用", "勿", "未", "无法", "不能", "不可以", "禁止", "不会"}
_ZH_NOT_NEG = {"不好意思", "对不起", "没关系", "别的", "不错"}


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


_ZH_ERHUA = (("哪儿", "哪里"), ("这儿", "这里"), ("那儿", "那里"))  # Beijing -er forms mean the same place


_ZH_PREFIX = re.compile(r"^(?:请问|请|麻烦您|麻烦你|麻烦|您|你|我|非常|特别|真|很|太)+")
_ZH_SUFFIX = re.compile(r"(?:一下|一会儿|一会|吧|吗|呢|了|啊|呀)+$")
_ZH_NEG_CHARS = set("不没别勿未")
_ZH_STOP_CHARS = set("个一的了吗呢吧把给想要能会先请您你我")  # inside longer jieba words (我要, 能给, 先拿)


def _zh(text: str) -> list[str]:
    """Characters of the jieba words that carry meaning (a Chinese word's characters are its morphemes:
    稍等 / 请稍等 / 稍等一下 all give 稍 等); negations as NEG."""
    text = cjk_numbers_to_digits(normalise(zh_a_not_a(text), "zh")).replace("啥", "什么")  # 啥: spoken 什么
    for er, plain in _ZH_ERHUA:
        text = text.replace(er, plain)
    out: list[str] = []
    for word in _jieba().lcut(text):
        if word in _ZH_NOT_NEG:
            out.append(word)
            continue
        if word in _ZH_NEG:
            out.append(NEG)
            continue
        if word in _ZH_DROP or not word.strip():
            continue
        word = _ZH_SUFFIX.sub("", _ZH_PREFIX.sub("", word)) or word
        for ch in word:
            if ch in _ZH_NEG_CHARS:
                out.append(NEG)
            elif ch not in _ZH_STOP_CHARS or len(word) == 1:
                out.append(ch)
    return out


# --------------------------------------------------------------------------- English

_EN_STOP = set("""
a an the to of in on at for from with by about into over as and or but so if then than that this these those it its
i me my mine you your yours we us our they them their he him his she her there here is am are was were be been being
do does did doing done have has had having can could would will shall should may might must please kindly just um uh
er oh okay ok hi hey well really very some any one what which who whom whose when where why how
let get got go going gonna wanna want like need would'd also again still yet already now could
think guess maybe perhaps lot lots actually possible anyone anybody
""".split())
_EN_KEEP = {"where", "when", "what", "how", "which", "who", "why", "here", "again", "now"}
_EN_NEG = {"not", "no", "never", "without", "nothing", "none", "nobody", "nowhere", "don't", "cannot"}


@lru_cache(maxsize=4096)
def _en_lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="en").lower()


def _en(text: str) -> list[str]:
    words = normalise(text, "en").split()
    out: list[str] = []
    for w in words:
        if w in _EN_NEG:
            out.append(NEG)
            continue
        if w in _EN_KEEP:
            out.append(w)
            continue
        if w in _EN_STOP:
            continue
        lemma = _en_lemma(w)
        if lemma in _EN_STOP and lemma not in _EN_KEEP:
            continue
        out.append(lemma)
    return out


# --------------------------------------------------------------------------- Vietnamese

_VI_DROP = set("""
tôi em anh chị bạn quý khách mình ông bà cô chú cháu của ạ nhé nhe nha ơi à ừ dạ
giúp hỏi vậy thế thì là có được rồi đi cái chiếc này kia đó những các một chút với
rất lắm quá thật nhỉ đấy ấy đang sẽ sắp vừa chút lát hãy bằng vào thôi bị nổi
""".split())
_VI_NEG = {"không", "chưa", "đừng", "chẳng", "chớ", "cấm", "chả", "khong", "chua"}  # and typed without tones


_VI_ME = {"tôi", "toi", "em", "mình", "minh", "con", "cháu", "chau"}
_VI_SHOW = {"cho", "đường", "duong", "dẫn", "dan", "giúp", "giup", "giùm", "gium"}


def _toneless(words: set[str]) -> set[str]:
    return words | {strip_tones(w) for w in words}


_VI_DROP = _toneless(_VI_DROP)


def _vi(text: str) -> list[str]:
    words = VI_QUESTION_END.sub("", match_key(text, "vi")).split()
    out: list[str] = []
    for i, w in enumerate(words):
        if i and words[i - 1] in ("tiếng", "tieng", "người", "nguoi", "nước", "nuoc", "chuyển", "chuyen"):
            # tiếng Anh: English; chuyển đi / chuyển đến: moving out / in
            out.append(w)
        elif w in ("đâu", "dau") and i + 1 < len(words) and words[i + 1] in ("đó", "do", "mất", "mat"):
            out.append("đâu đó")  # đâu đó / đâu mất rồi: somewhere (not "where?")
        elif w in ("này", "nay") and i and words[i - 1] in ("chỗ", "cho"):
            out[-1] = "đây"  # chỗ này: here (chỗ alone is a place)
        elif w in ("chỉ", "chi") and i + 1 < len(words) and (words[i + 1] in _VI_SHOW or i + 2 < len(words) and (
                words[i + 1] in _VI_ME and words[i + 2] in ("cách", "cach", "đường", "duong", "chỗ", "cho"))):
            out.append("chỉ dẫn")  # chỉ cho tôi / chỉ đường: show, guide (not chỉ, only)
        elif w in _VI_NEG:
            out.append(NEG)
        elif w in _VI_DROP:
            continue
        else:
            out.append(w)
    return out


# --------------------------------------------------------------------------- common

_ANALYSERS = {"ja": _ja, "ko": _ko, "zh": _zh, "en": _en, "vi": _vi}
_PUNCT = re.compile(r"^[\W_]+$")


def _is_punct(s: str) -> bool:
    return bool(_PUNCT.match(s))


def lemmas(text: str, lang: str) -> tuple[str, ...]:
    """The content lemmas of ``text`` (see module doc); loads the language's analyser on first use."""
    text = number_words_to_digits(text.lower()) if lang == "en" else number_words(text, lang)
    with _LOCK:  # the analysers are not documented as thread-safe; the matcher may be warmed from a worker
        found = _ANALYSERS[lang](text)
    return tuple(lemma.lower() for lemma in found if lemma == NEG or lemma and not _is_punct(lemma))


def load(lang: str) -> None:
    """Load the analyser of ``lang`` now (slow for ko/zh; call off the UI thread)."""
    lemmas("はい" if lang == "ja" else "a", lang)


def unload() -> None:
    """Drop the loaded analysers (several hundred MB with Korean); they load again on next use."""
    with _LOCK:
        for cached in (_sudachi, _kiwi, _jieba, _en_lemma, _ja_reading, _kakasi):
            cached.cache_clear()
        jieba = sys.modules.get("jieba")
        if jieba is not None and getattr(jieba.dt, "initialized", False):  # its dictionary lives in the module
            jieba.dt.FREQ, jieba.dt.initialized = {}, False
