"""The session controller's part in "never lose what someone said" and "no microphone" (no Kivy):
closest verified phrases for an untranslated sentence, phrasebook-only pairs said up front, the
microphone checked once at start."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import kiosk.session as session_mod
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from kiosk.pipeline.content_adapters import Lookups
from kiosk.session import closest_phrases, has_route
from tests.test_session import Background, UiThread, View, make

VI = "Máy in ở tầng hai bị kẹt giấy rồi"


@pytest.fixture
def no_content(monkeypatch):
    monkeypatch.setattr(session_mod, "load_lookups", lambda settings, content_dir=None: Lookups())


@dataclass
class Suggestion:  # the shape of kiosk.content.match.Suggestion
    phrase_id: str
    score: float
    texts: dict = field(default_factory=dict)


class Phrases:
    """A phrase lookup that matches nothing and suggests from a table (records what it was asked)."""

    def __init__(self):
        self.asked = []

    def match(self, text, language):
        return None

    def suggest(self, text, language, k=3, speaker=""):
        self.asked.append((language, k))
        return [Suggestion("procedure.where_is", 61.0, {"vi": "Quầy ở đâu?", "ja": "窓口はどこですか。"})]


class MicView(View):
    def __init__(self):
        super().__init__()
        self.microphone = []

    def microphone_checked(self, found):
        self.microphone.append(found)


def test_an_untranslated_sentence_gets_the_closest_phrases(settings, monkeypatch):
    phrases = Phrases()
    monkeypatch.setattr(session_mod, "load_lookups", lambda settings, content_dir=None: Lookups(phrases=phrases))
    engines = Engines(FakeSpeechToText({}), FakeTranslator(pairs=set()), FakeTextToSpeech())
    ctl, ui, view = make(settings, engines=engines)
    ctl.pick_language("vi")
    ui.run()
    assert ctl.model.phrasebook_only  # said up front: no route either way
    ctl.submit_text("visitor", VI)
    ctl.conversation.wait()
    ui.run()
    turn = ctl.model.latest()
    assert turn.status == "untranslated" and phrases.asked == [("vi", 3)]
    [s] = ctl.model.panel("visitor").suggestions
    assert (s.phrase_id, s.mine, s.theirs) == ("procedure.where_is", "Quầy ở đâu?", "窓口はどこですか。")
    assert view.events[-1] is None  # the UI was told to redraw
    ctl.end_visit("finished")
    ui.run()
    assert ctl.model.turns == {}


def test_phrasebook_only_is_known_when_the_visit_starts(settings, no_content):
    ctl, ui, _ = make(settings)  # ja↔vi packs in these fakes
    ctl.pick_language("vi")
    ui.run()
    assert not ctl.model.phrasebook_only and ctl.model.panel("staff").phrasebook_only is False
    ctl.end_visit("finished")
    ctl.pick_language("ko")  # no ko pack
    ui.run()
    assert ctl.model.phrasebook_only


def test_the_microphone_is_checked_once_at_start(settings, no_content):
    ui, view = UiThread(), MicView()
    ctl = session_mod.SessionController(settings, view, call_soon=ui, run_in_background=Background(),
                                        engines=Engines(FakeSpeechToText({}), FakeTranslator(), FakeTextToSpeech()),
                                        microphone_factory=lambda on_chunk: None, microphone_check=lambda: False)
    ctl.prepare()
    ui.run()
    assert view.microphone == [False] and ctl.has_microphone is False
    assert ctl.model.panel("visitor").has_microphone is False  # the idle hint says to type


def test_route_and_suggestion_adapters():
    assert has_route(FakeTranslator(pairs={("vi", "ja")}), "vi", "ja")
    assert not has_route(FakeTranslator(pairs=set()), "vi", "ja") and not has_route(None, "vi", "ja")
    assert closest_phrases(object(), "x", "vi") == []  # a matcher that cannot suggest: none

    class Wrapped:  # the content adapter holding the matcher
        matcher = Phrases()

    assert closest_phrases(Wrapped(), "x", "vi") == [("procedure.where_is", {"vi": "Quầy ở đâu?",
                                                                              "ja": "窓口はどこですか。"})]
