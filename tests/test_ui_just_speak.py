""""Just speak": what the start/attract screen shows after the visitor spoke (view model, no Kivy)."""

from __future__ import annotations

from kiosk.engines.language_id import decide
from kiosk.ui.viewmodels.just_speak import button_labels, just_speak_view
from kiosk.ui.viewmodels.strings import load_strings

STRINGS = load_strings()


def test_the_button_says_it_in_every_offered_language():
    assert button_labels(STRINGS, ["vi", "en"]) == ["Hãy nói (chúng tôi nhận ra ngôn ngữ)",
                                                    "Just speak (we find your language)"]


def test_a_sure_detection_asks_to_confirm_in_that_language():
    view = just_speak_view(decide([("vi", 0.96), ("en", 0.04)]), STRINGS, fallback="ja")
    assert (view.kind, view.language, view.question) == ("confirm", "vi", "Có phải Tiếng Việt không?")
    assert [(c.code, c.label) for c in view.choices] == [("vi", "✓ Đúng")]
    assert view.other == "Chọn ngôn ngữ khác"


def test_an_unsure_detection_offers_the_two_most_likely():
    view = just_speak_view(decide([("ko", 0.55), ("ja", 0.40), ("zh", 0.05)]), STRINGS, fallback="ja")
    assert (view.kind, view.language, view.question) == ("which", "ko", "어느 언어인가요?")
    assert [(c.code, c.label) for c in view.choices] == [("ko", "한국어"), ("ja", "日本語")]


def test_nothing_heard_sends_the_visitor_back_to_the_buttons():
    view = just_speak_view(decide([]), STRINGS, fallback="en")
    assert (view.kind, view.choices) == ("nothing", ())
    assert view.question == "Nothing was heard. Please pick your language on a button."
