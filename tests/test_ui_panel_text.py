"""The words each conversation half shows (role × status), decided by the view model without Kivy."""

from __future__ import annotations

from kiosk.pipeline import events as ev
from kiosk.ui.viewmodels.conversation import ConversationModel, PanelText, Words

WORDS = Words(t=lambda key, **kw: f"[{key}]", error=lambda code: f"<{code}>",
              glossary=lambda ids: [f"{i} = agreed" for i in ids])
WARN, MIC, NBSP = "⚠", "●", "\u00a0"


def texts(model):
    return model.panel("staff", WORDS).text, model.panel("visitor", WORDS).text


def started(kind="speech", side="visitor"):
    m = ConversationModel("ja", "vi")
    src, dst = ("vi", "ja") if side == "visitor" else ("ja", "vi")
    m.apply(ev.TurnStarted("t1", 0, "s1", side, src, dst, kind))
    return m


def translated(m, *, sure=True, glossary=()):
    m.apply(ev.FinalText("t1", 0, "Tôi muốn lấy giấy", 0.9, 0.1))
    m.apply(ev.TranslationReady("t1", 0, "証明書がほしい", ("vi", "ja"), -0.2, False, sure,
                                () if sure else ("low_mt_score",), glossary, 0.1))


def test_idle_halves_say_how_to_start():
    staff, visitor = texts(ConversationModel("ja", "vi"))
    assert staff == visitor == PanelText(heading="[hint_press_to_talk]")
    assert ConversationModel().panel("staff").text == PanelText()  # without words: no text decided


def test_listening_the_speaker_sees_the_partial_text_the_listener_that_someone_speaks():
    m = started()
    staff, visitor = texts(m)
    assert visitor == PanelText(status=f"{MIC} [listening]", heading="[you_are_saying]", main="…")
    assert staff == PanelText(heading=f"{MIC} [they_are_speaking]")
    m.apply(ev.PartialText("t1", 0, "Tôi muốn"))
    assert texts(m)[1].main == "Tôi muốn"


def test_translating_then_speaking_then_done():
    m = started()
    m.apply(ev.FinalText("t1", 0, "Tôi muốn lấy giấy", 0.9, 0.1))
    staff, visitor = texts(m)
    assert visitor == PanelText(status="[translating]", heading="[you_said]", main="Tôi muốn lấy giấy")
    assert staff == PanelText(status="[translating]")  # nothing to read yet
    m.apply(ev.TranslationReady("t1", 0, "証明書がほしい", ("vi", "ja"), -0.2, False, True, (), ("juminhyo",), 0.1))
    m.apply(ev.BackTranslationReady("t1", 0, "Tôi muốn giấy chứng nhận", 0.1))
    m.apply(ev.SpeechStarted("t1", 0, "ja", 0.1))
    staff, visitor = texts(m)
    mt = "  ·  [machine_translation]"  # the clerk sees which is which
    assert visitor == PanelText(status="[speaking]", heading="[you_said]" + mt, main="Tôi muốn lấy giấy",
                                sub_heading="[they_will_read]", sub="Tôi muốn giấy chứng nhận")
    assert staff == PanelText(status="[speaking]", heading="[they_said]" + mt, main="証明書がほしい",
                              sub_heading="[glossary]", sub="juminhyo = agreed")
    m.apply(ev.SpeechFinished("t1", 0, 0.1))
    m.apply(ev.TurnFinished("t1", 0))
    staff, visitor = texts(m)
    assert (staff.status, visitor.status) == ("", "")
    assert (staff.main, visitor.sub) == ("証明書がほしい", "Tôi muốn giấy chứng nhận")


def test_a_translation_without_glossary_terms_has_no_glossary_heading():
    m = started(kind="typed")
    translated(m)
    staff, _ = texts(m)
    assert (staff.heading, staff.main, staff.sub_heading, staff.sub) == ("[they_said]", "証明書がほしい", "", "")


def test_not_sure_warns_both_halves():
    m = started(kind="typed")
    translated(m, sure=False)
    staff, visitor = texts(m)
    assert staff.warning == visitor.warning == f"{WARN}{NBSP}[not_sure]"
    assert m.panel("staff").not_sure and m.panel("visitor").not_sure


def test_a_failure_names_the_error_and_what_to_do():
    m = started(side="staff")
    m.apply(ev.TurnFailed("t1", 0, "audio.nothing_heard", "Nothing heard.", "recognise"))
    staff, visitor = texts(m)
    assert staff == PanelText(heading=f"{WARN} <audio.nothing_heard>", main="[try_again]")
    assert visitor == PanelText(heading=f"{WARN} <audio.nothing_heard>", main="[try_again]")


def test_a_translation_that_could_not_be_read_aloud_says_so_in_the_heading():
    m = started(kind="typed", side="staff")
    m.apply(ev.FinalText("t1", 0, "お待ちください", 1.0, 0.0))
    m.apply(ev.TranslationReady("t1", 0, "Vui lòng đợi", ("ja", "vi"), -0.1, True, True, (), (), 0.1))
    m.apply(ev.TurnFailed("t1", 0, "audio.no_device", "No audio output device.", "speak"))
    staff, visitor = texts(m)
    verified = f"  ·  ✓{NBSP}[verified_phrase]"
    assert visitor.heading == f"[they_said]{verified}  {WARN}{NBSP}[not_spoken]" and visitor.main == "Vui lòng đợi"
    assert staff.heading == f"[you_said]{verified}  {WARN}{NBSP}[not_spoken]" and staff.main == "お待ちください"
