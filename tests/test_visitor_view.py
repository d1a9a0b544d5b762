"""The kiosk-mode visitor screen's decisions (no Kivy): everything in the visitor's language,
the Japanese only as one small line for staff reading along."""

from __future__ import annotations

from kiosk.pipeline import events as ev
from kiosk.ui.viewmodels.conversation import ConversationModel
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
    assert (view.heading, view.main) == (t("you_said", "zh"), "洗手间在哪里？")
    assert view.staff_line == "日本語: トイレはどこですか。"
    assert view.warning == "" and view.history == () and view.can_take_away


def test_a_reply_is_shown_translated_and_earlier_lines_move_to_the_history():
    model = ConversationModel(staff_language="ja", visitor_language="ko")
    turn(model, "a", "visitor", "화장실은 어디예요?", "トイレはどこですか。", src="ko")
    turn(model, "b", "staff", "トイレは2階です。", "화장실은 2층에 있습니다.", src="ko")
    view = visitor_view(model, t, error_text)
    assert (view.heading, view.main) == (t("they_said", "ko"), "화장실은 2층에 있습니다.")
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
