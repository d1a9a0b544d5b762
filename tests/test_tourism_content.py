"""Tourism desk content: FAQ answers, phrases with blanks made usable, tourism topics first in kiosk mode."""

from __future__ import annotations

import pytest

from kiosk.content.faq import clean_fill, fill_phrase, render, render_question
from kiosk.content.load import load_content
from kiosk.errors import KioskError
from kiosk.languages import CODES
from kiosk.pipeline.content_adapters import ContentPhrases
from kiosk.ui.viewmodels.content_view import ContentView, blank_label, tourism_first
from kiosk.ui.viewmodels.strings import load_strings


@pytest.fixture(scope="module")
def content():
    return load_content(None)


@pytest.fixture(scope="module")
def view(content):
    return ContentView(content)


def test_at_least_twenty_tourism_answers_render_in_every_language(content):
    tourism = [a for a in content.faq if a.topic.startswith("tourism_")]
    assert len(tourism) >= 20
    for answer in tourism:
        for lang in CODES:
            question, text = render_question(answer, content.site, lang), render(answer, content.site, lang)
            assert "{" not in question + text and question.strip() and text.strip()


def test_tourism_facts_come_from_site_toml_not_the_answers(content):
    """Hours, fees, places and numbers are fields a town fills in: change site.toml and the answer follows."""
    answer = next(a for a in content.faq if a.id == "admission_fee")
    assert "{admission_fee}" in answer.answers["en"]
    site = {**content.site, "admission_fee": {lang: "800 / 400" for lang in CODES}}
    assert "800 / 400" in render(answer, site, "en")


def test_tourism_first_only_in_kiosk_mode():
    ids = ["procedure", "tourism_hours", "residence", "tourism_lost", "emergency"]
    assert tourism_first(ids, "counter") == ids
    assert tourism_first(ids, "kiosk") == ["tourism_hours", "tourism_lost", "procedure", "residence", "emergency"]


def test_kiosk_mode_lists_tourism_topics_and_answers_first(view):
    topics = [t for t, _ in view.topics("zh", "staff", mode="kiosk")]
    n = sum(t.startswith("tourism_") for t in topics)
    assert n >= 5 and all(t.startswith("tourism_") for t in topics[:n])
    assert not view.topics("zh", "staff")[0][0].startswith("tourism_")  # counter mode keeps the file order
    faq_ids = [i for i, _, _ in view.faq("vi", mode="kiosk")]
    by_id = {a.id: a.topic for a in view.content.faq}
    n = sum(by_id[i].startswith("tourism_") for i in faq_ids)
    assert n >= 20 and all(by_id[i].startswith("tourism_") for i in faq_ids[:n])
    assert [i for i, _, _ in view.faq("vi")][0] == "office_hours"


def test_phrases_with_blanks_are_listed_with_labels(view, content):
    strings = load_strings()
    hidden_before = [p for p in content.phrases if "{" in p.text("ja")
                     and any(f not in content.site for f in ("place", "time", "fee", "date", "days") if
                             "{" + f + "}" in p.text("ja"))]
    assert len(hidden_before) >= 30
    listed = dict(view.phrases("emergency", "ja", "staff", label=lambda n: blank_label(n, strings, "ja")))
    assert listed["emergency.aed"] == "AEDは[場所]にあります。"
    assert view.blanks("emergency.aed", "ja") == ["place"]
    # a blank that site.toml fills is filled, not asked for
    listed = dict(view.phrases("procedure", "en", "staff"))
    assert "{" not in " ".join(listed.values())
    listed_ids = {pid for side in ("staff", "visitor") for topic, _ in view.topics("en", side)
                  for pid, _ in view.phrases(topic, "en", side)}
    assert listed_ids == {p.id for p in content.phrases}  # nothing is hidden any more


def test_preview_shows_what_will_be_said(view):
    assert view.preview("emergency.aed", "vi", {"place": " 2F  lobby "}) == "Máy AED (máy khử rung tim) ở 2F lobby."
    assert view.preview("emergency.aed", "en", {}, label=str.upper) == "The AED is at [PLACE]."


def test_a_blank_typed_at_the_counter_fills_every_language(content):
    phrase = content.phrase("emergency.aed")
    texts = fill_phrase(phrase.texts, content.site, {"place": "1F 受付"})
    assert texts["ja"] == "AEDは1F 受付にあります。" and texts["en"] == "The AED is at 1F 受付."
    # a site.toml value wins over a typed one
    texts = fill_phrase({"en": "Go to {counter_name}."}, content.site, {"counter_name": "X"})
    assert texts["en"] == "Go to Counter 1."


@pytest.mark.parametrize(("value", "message"), [
    ("   ", "Type something into every blank of the phrase first."),
    ("x" * 41, "A blank holds at most 40 characters; shorten it or use the keyboard."),
])
def test_bad_fills_are_refused_with_a_clear_message(value, message):
    with pytest.raises(KioskError) as exc:
        clean_fill(value)
    assert (exc.value.code, exc.value.message) == ("content.bad_fill", message)
    assert clean_fill(" 10:30\n ") == "10:30" and clean_fill("{x}") == "x"


def test_an_empty_blank_is_a_content_error_not_a_silent_gap(content):
    lookup = ContentPhrases(None, content)
    with pytest.raises(KioskError) as exc:
        lookup.get("emergency.aed")
    assert exc.value.code == "content.missing"
    assert lookup.get("emergency.aed", {"place": "B1"})["ko"] == "AED(자동심장충격기)는 B1에 있습니다."
