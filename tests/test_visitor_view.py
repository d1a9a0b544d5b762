"""The kiosk-mode visitor screen's decisions (no Kivy): everything in the visitor's language,
the Japanese only as one small line for staff reading along."""

from __future__ import annotations

import pytest

from kiosk.pipeline import events as ev
from kiosk.ui.viewmodels.conversation import ConversationModel, Words, with_mark
from kiosk.ui.viewmodels.strings import load_strings
from kiosk.ui.viewmodels.visitor import visitor_view

STRINGS = load_strings()
t = STRINGS.get


def error_text(code: str, lang: str) -> str:
    return t("error_" + code.replace(".", "_"), lang)


def turn(model, tid, side, said, heard, *, sure=True, finish=True, src="zh", dst="ja"):
    if side == "staff":
        src, dst = dst, src
    model.apply(ev.TurnStarted(tid, 0.0, "s", side, src, dst, "speech"))
    model.apply(ev.PartialText(tid, 0.1, said[:2]))
    model.apply(ev.FinalText(tid, 0.2, said, 0.9, 0.0))
    model.apply(ev.TranslationReady(tid, 0.3, heard, (src, dst), -0.3, False, sure, () if sure else ("mt_score",),
                                    (), 0.1))
    if finish:
        model.apply(ev.TurnFinished(tid, 0.4))


def test_idle_screen_invites_in_the_visitors_language():
    model = ConversationModel(staff_language="ja", visitor_language="zh")
    view = visitor_view(model, t, error_text)
    assert (view.status, view.heading, view.main, view.staff_line) == ("idle", t("kiosk_hint", "zh"), "", "")
    assert not view.can_take_away


def test_what_the_visitor_said_is_large_the_japanese_one_small_line():
    model = ConversationModel(staff_language="ja", visitor_language="zh")
    model.apply(ev.TurnStarted("a", 0.0, "s", "visitor", "zh", "ja", "speech"))
    model.apply(ev.PartialText("a", 0.1, "洗手"))
    view = visitor_view(model, t, error_text)
    assert (view.status, view.heading, view.main) == ("listening", t("you_are_saying", "zh"), "洗手")
    turn(model, "a", "visitor", "洗手间在哪里？", "トイレはどこですか。")
    view = visitor_view(model, t, error_text)
    assert (view.heading, view.main) == ("您说的是  ·  " + t("machine_translation", "zh"), "洗手间在哪里？")
    assert view.staff_line == "日本語: トイレはどこですか。"
    assert view.warning == "" and view.history == () and view.can_take_away


def test_a_reply_is_shown_translated_and_earlier_lines_move_to_the_history():
    model = ConversationModel(staff_language="ja", visitor_language="ko")
    turn(model, "a", "visitor", "화장실은 어디예요?", "トイレはどこですか。", src="ko")
    turn(model, "b", "staff", "トイレは2階です。", "화장실은 2층에 있습니다.", src="ko")
    view = visitor_view(model, t, error_text)
    assert view.heading == "상대방의 말  ·  " + t("machine_translation", "ko")
    assert view.main == "화장실은 2층에 있습니다."
    assert view.staff_line == "日本語: トイレは2階です。"
    assert view.history == (f"{t('history_me', 'ko')}: 화장실은 어디예요?",)
    model.apply(ev.TurnStarted("c", 0.0, "s", "visitor", "ko", "ja", "speech"))  # a new turn: both lines are history
    view = visitor_view(model, t, error_text)
    assert view.history == (f"{t('history_me', 'ko')}: 화장실은 어디예요?",
                            f"{t('qr_staff', 'ko')}: 화장실은 2층에 있습니다.")


def test_not_sure_and_failures_are_said_in_the_visitors_language():
    model = ConversationModel(staff_language="ja", visitor_language="vi")
    turn(model, "a", "visitor", "Cái màu xanh kia bị hỏng", "あの青いのが壊れた", sure=False, src="vi")
    assert visitor_view(model, t, error_text).warning == t("not_sure", "vi")
    model.apply(ev.TurnStarted("b", 0.0, "s", "visitor", "vi", "ja", "typed"))
    model.apply(ev.FinalText("b", 0.1, "Xin chào", 1.0, 0.0))
    model.apply(ev.TurnFailed("b", 0.2, "mt.missing_direction", "no pack", "translate"))
    view = visitor_view(model, t, error_text)  # no pack for the pair: kept, marked, never "try again"
    assert (view.status, view.heading, view.main) == ("untranslated", t("not_translated", "vi"), "Xin chào")
    assert (view.warning, view.suggestions) == (t("no_closest_phrases", "vi"), ())
    assert "日本語" not in view.heading + view.main + view.staff_line
    model.suggest("b", [("greet.hello", {"ja": "こんにちは。", "vi": "Xin chào."}),
                        ("greet.bye", {"ja": "さようなら。"})])
    view = visitor_view(model, t, error_text)
    assert (view.warning, view.suggestions) == (t("closest_phrases", "vi"), (("greet.hello", "Xin chào."),))
    model.apply(ev.TurnStarted("c", 0.0, "s", "visitor", "vi", "ja", "typed"))
    model.apply(ev.FinalText("c", 0.1, "Xin chào", 1.0, 0.0))
    model.apply(ev.TurnFailed("c", 0.2, "pipeline.internal", "boom", "translate"))
    view = visitor_view(model, t, error_text)
    assert (view.status, view.heading, view.main) == ("failed", error_text("pipeline.internal", "vi"), "Xin chào")


LANGS = ("ja", "en", "vi", "zh", "ko")


@pytest.mark.parametrize("lang", LANGS)
def test_a_verified_phrase_and_a_machine_translation_are_marked_as_on_a_counter_half(lang):
    """The kiosk says "✓ Verified phrase" / "Machine translation" like the counter halves, and a heading's colon
    goes when the mark follows it ("You said  ·  ✓ Verified phrase", never "You said: · ✓ ...")."""
    model = ConversationModel(staff_language="ja", visitor_language=lang)
    model.apply(ev.TurnStarted("a", 0.0, "s", "visitor", lang, "ja", "phrasebook"))
    model.apply(ev.FinalText("a", 0.1, "Where is the toilet?", 1.0, 0.0))
    model.apply(ev.TranslationReady("a", 0.2, "トイレはどこですか。", (lang, "ja"), 0.0, True, True, (), (), 0.1))
    assert visitor_view(model, t, error_text).heading == t("you_said", lang)  # nothing stands yet: no mark
    model.apply(ev.TurnFinished("a", 0.3))
    verified = "✓\u00a0" + t("verified_phrase", lang)
    view = visitor_view(model, t, error_text)
    assert view.heading == t("you_said", lang).rstrip(":：") + "  ·  " + verified
    assert ":" not in view.heading and "：" not in view.heading
    panel = model.panel("visitor", Words(lambda key, **kw: t(key, lang, **kw), lambda code: ""))
    assert panel.text.heading == view.heading  # the counter half reads the same
    turn(model, "b", "staff", "二階です。", "reply", src=lang)
    view = visitor_view(model, t, error_text)
    assert view.heading == t("they_said", lang).rstrip(":：") + "  ·  " + t("machine_translation", lang)
    assert view.heading.count("  ·  ") == 1 and ":" not in view.heading and "：" not in view.heading


def test_the_english_headings_read_naturally():
    model = ConversationModel(staff_language="ja", visitor_language="en")
    turn(model, "a", "staff", "二階です。", "It is on the second floor.", src="en")
    assert visitor_view(model, t, error_text).heading == "They said  ·  Machine translation"
    assert with_mark("あなたの発言：", "✓\u00a0確認済みの定型文") == "あなたの発言  ·  ✓\u00a0確認済みの定型文"
    assert with_mark("You said:", "") == "You said:"


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_microphone_the_idle_hint_says_to_type(lang):
    model = ConversationModel(staff_language="ja", visitor_language=lang)
    assert visitor_view(model, t, error_text).heading == t("kiosk_hint", lang)
    model.has_microphone = False  # as counter mode: found at start (session._microphone_checked)
    view = visitor_view(model, t, error_text)
    assert (view.status, view.heading) == ("idle", t("kiosk_hint_type", lang))
    assert t("type", lang) in view.heading  # it names the button to press


@pytest.mark.parametrize("lang", LANGS)
def test_an_untranslated_sentence_stays_in_the_history_marked(lang):
    """As on a counter half's history: "You: … (Not translated)"; a staff sentence nobody could translate is not
    the visitor's line."""
    model = ConversationModel(staff_language="ja", visitor_language=lang)
    model.apply(ev.TurnStarted("a", 0.0, "s", "visitor", lang, "ja", "typed"))
    model.apply(ev.FinalText("a", 0.1, "xyz abc", 1.0, 0.0))
    model.apply(ev.TurnFailed("a", 0.2, "mt.missing_direction", "no pack", "translate"))
    assert visitor_view(model, t, error_text).history == ()  # still on the card
    model.apply(ev.TurnStarted("b", 0.0, "s", "staff", "ja", lang, "typed"))
    model.apply(ev.FinalText("b", 0.1, "少々お待ちください", 1.0, 0.0))
    model.apply(ev.TurnFailed("b", 0.2, "mt.missing_direction", "no pack", "translate"))
    turn(model, "c", "visitor", "hello", "こんにちは", src=lang)
    view = visitor_view(model, t, error_text)
    assert view.history == (f"{t('history_me', lang)}: xyz abc ({t('not_translated', lang)})",)
    assert not any("少々" in line for line in view.history)
