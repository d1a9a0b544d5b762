"""Never lose what someone said, driven by touches (no translation packs, no microphone): the typed
sentence stays on the speaker's half, marked and editable, with the closest verified phrases to
tap; the staff half says how to fix it; without a microphone push-to-talk opens the keyboard and
only the staff half says why; Finish on the visitor half asks first."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.config import load_settings
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from kiosk.pipeline.content_adapters import Lookups
from tests.support import ui

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VI_TEXT = "Cái máy in ở tầng hai bị kẹt giấy rồi"  # not a phrasebook sentence


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("ui-lost"), env={})
    engines = Engines(FakeSpeechToText(dict(ui.SAMPLE_TEXT)), FakeTranslator(pairs=set()), FakeTextToSpeech())
    app = ui.start_app(settings, engines=engines)
    yield app
    ui.stop_app(app)


def _out(tmp_path) -> Path:
    return Path(os.environ.get("KIOSK_UI_ARTIFACTS") or tmp_path)


def _pick(app, code, scale=1.0):
    app._apply_settings(app.settings.replace(text_scale=scale))
    app.has_microphone = True
    ui.set_size((1280, 800))
    ui.reset(app)
    ui.pump(2)
    [b] = [b for b in app.screen("start").ids.buttons.children if b.lang_code == code]
    ui.tap(b)
    halves = app.screen("conversation").halves()
    return halves["staff"], halves["visitor"]


@pytest.mark.parametrize("scale", (1.0, 1.5))
def test_a_typed_sentence_without_a_pack_stays_marked_and_editable(app, scale, tmp_path):
    staff, visitor = _pick(app, "vi", scale)
    ui.tap(visitor.ids.keyboard)
    visitor.entry.text = VI_TEXT
    ui.tap(visitor.ids.send)
    assert ui.wait_for(lambda: app.model.latest() is not None and app.model.latest().finished)
    ui.pump(4)
    turn = app.model.latest()
    assert turn.status == "untranslated"
    assert visitor.ids.main.text == VI_TEXT and app.t("not_translated", "vi") in visitor.ids.heading.text
    everything = "\n".join(ui.all_texts(app.root))
    assert app.t("try_again", "vi") not in everything and app.t("try_again", "ja") not in everything
    assert app.t("staff_no_mt", "ja", pair="Tiếng\u00a0Việt\u00a0→\u00a0日本語") in staff.ids.warning.text
    assert staff.warning_row.parent is not None  # with its phrasebook button
    assert any(VI_TEXT in t for t in ui.all_texts(visitor.ids.history))  # in the history, not gone
    ui.screenshot(app, _out(tmp_path) / f"1280x800_untranslated_vi_{scale}.png")
    [edit] = ui.buttons(visitor, app.t("edit", "vi"))
    ui.tap(edit)
    assert visitor.typing and visitor.entry.text == VI_TEXT  # editable


class Suggesting:
    """The real phrase lookup, plus the matcher's "did you mean" (``suggest``) answering from the real
    phrasebook (until the matcher on main suggests by itself)."""

    def __init__(self, real, phrase_id):
        self.real, self.phrase_id = real, phrase_id

    def match(self, text, language):
        return self.real.match(text, language)

    def get(self, phrase_id, fills=None):
        return self.real.get(phrase_id, fills)

    def suggest(self, text, language, k=3, speaker=""):
        return [SimpleNamespace(phrase_id=self.phrase_id, score=60.0, texts=dict(self.real.get(self.phrase_id)))]


@pytest.mark.parametrize("scale", (1.0, 1.5))
def test_one_tap_on_a_close_verified_phrase_says_it(app, scale, tmp_path):
    staff, visitor = _pick(app, "vi", scale)
    assert ui.wait_for(lambda: app.session._lookups is not None and app.session.conversation is not None)
    real = app.session._lookups
    app.session._lookups = Lookups(Suggesting(real[0], "certificates.want_juminhyo"), real[1], real[2])
    try:
        assert app.t("phrasebook_only", "vi") in "\n".join(ui.all_texts(visitor))  # said up front
        ui.tap(visitor.ids.keyboard)
        visitor.entry.text = VI_TEXT
        ui.tap(visitor.ids.send)
        assert ui.wait_for(lambda: visitor.suggest_list.children)
        ui.pump(4)
        [button] = visitor.suggest_list.children
        assert button.text.startswith("Tôi muốn lấy giấy chứng nhận cư trú.") and "住民票がほしいです。" in button.text
        assert button.get_root_window() is not None and button.height >= 48
        ui.screenshot(app, _out(tmp_path) / f"1280x800_untranslated_suggestions_vi_{scale}.png")
        card = visitor.ids.card
        assert sum(c.height for c in card.children) + card.spacing * (len(card.children) - 1) <= card.height - 15
        ui.tap(button)
        assert ui.wait_for(lambda: app.model.latest().input_kind == "phrasebook" and app.model.latest().finished)
        ui.pump(4)
        turn = app.model.latest()
        assert turn.verified and staff.ids.main.text == "住民票がほしいです。"
        assert staff.ids.heading.text.endswith("✓\u00a0" + app.t("verified_phrase", "ja"))
        assert any(VI_TEXT in t for t in ui.all_texts(visitor.ids.history))  # the first sentence is still there
    finally:
        app.session._lookups = real


def test_no_microphone_opens_the_keyboard_and_only_staff_are_told(app, tmp_path):
    staff, visitor = _pick(app, "vi")
    app.has_microphone = False
    ui.pump(2)
    assert staff.ids.ptt.text == app.t("no_mic_type", "ja") and visitor.ids.ptt.text == app.t("type", "vi")
    ui.tap(visitor.ids.ptt)
    assert visitor.typing and app.session.active_turns == {}  # the keyboard, not a failing turn
    ui.tap(staff.ids.ptt)
    assert staff.typing
    app.screen("conversation").show_error("audio.no_device")  # a microphone unplugged mid-visit
    assert staff.ids.heading.text == "⚠ " + app.t("error_audio_no_device_staff", "ja")
    assert "⚠" not in visitor.ids.heading.text
    ui.screenshot(app, _out(tmp_path) / "1280x800_no_microphone_vi.png")


def test_kiosk_mode_keeps_the_sentence_and_offers_the_closest_phrases(app, tmp_path):
    """Unattended kiosk, no pack for the pair: the visitor's sentence stays on their upright screen, marked
    "not translated", with the closest verified phrases to tap; nobody is told to try again."""
    app._apply_settings(app.settings.replace(mode="kiosk", text_scale=1.0))
    try:
        ui.set_size((1280, 800))
        ui.reset(app)
        ui.pump(2)
        ui.tap(app.screen("attract"))
        ui.pump(2)
        [b] = [b for b in app.screen("start").ids.buttons.children if b.lang_code == "vi"]
        ui.tap(b)
        assert ui.wait_for(lambda: app.session._lookups is not None and app.session.conversation is not None)
        real = app.session._lookups
        app.session._lookups = Lookups(Suggesting(real[0], "certificates.want_juminhyo"), real[1], real[2])
        panel = app.screen("visitor").panel()
        ui.tap(panel.ids.keyboard)
        panel.ids.entry.text = VI_TEXT
        panel.send_typed()
        assert ui.wait_for(lambda: panel.ids.suggestions.children)
        ui.pump(4)
        assert (panel.ids.main.text, panel.ids.heading.text) == (VI_TEXT, app.t("not_translated", "vi"))
        everything = "\n".join(ui.all_texts(app.root))
        assert app.t("try_again", "vi") not in everything
        [button] = panel.ids.suggestions.children
        assert button.text == "Tôi muốn lấy giấy chứng nhận cư trú." and button.get_root_window() is not None
        ui.screenshot(app, _out(tmp_path) / "1280x800_kiosk_untranslated_suggestions_vi.png")
        ui.tap(button)
        assert ui.wait_for(lambda: app.model.latest().input_kind == "phrasebook" and app.model.latest().finished)
        ui.pump(4)
        assert app.model.latest().verified and not panel.ids.suggestions.children
    finally:
        app.session._lookups = real
        app._apply_settings(app.settings.replace(mode="counter"))
        ui.reset(app)


KIOSK_TYPED = {"en": "The printer on the second floor has a paper jam", "ja": "二階のプリンターに紙が詰まっています"}


def _unclipped(panel) -> list[str]:
    """Texts of the kiosk card and history drawn cut: taller or wider than their label, or outside the card."""
    from kivy.uix.label import Label

    card, cut = panel.ids.card, []
    if sum(c.height for c in card.children) + card.spacing * (len(card.children) - 1) > card.height - 15:
        cut.append("card overflows")
    for label in [*card.walk(restrict=True), *panel.ids.history.walk(restrict=True)]:
        if isinstance(label, Label) and label.text and label.get_root_window() is not None:
            w, h = label.texture_size
            if w > label.width + 1 or h > label.height + 1 or label.shorten:
                cut.append(label.text)
    _, card_y = card.to_window(*card.pos)
    for key in ("heading", "warning", "staff_line"):
        label = panel.ids[key]
        _, y = label.to_window(*label.pos)
        if label.text and (y < card_y - 1 or y + label.height > card_y + card.height + 1):
            cut.append(label.text)
    return cut


@pytest.mark.parametrize("lang", ("en", "ja"))
def test_kiosk_marks_the_source_keeps_untranslated_lines_and_hints_to_type(app, lang, tmp_path):
    """Kiosk screen at text size 1.5: an untranslated sentence, then a verified phrase marked as on a counter
    half ("You said · ✓ Verified phrase", no colon before the mark), the untranslated line kept in the history
    with "(Not translated)"; without a microphone the idle hint says to type.  Nothing drawn cut."""
    staff = "en" if lang == "ja" else "ja"
    app._apply_settings(app.settings.replace(mode="kiosk", text_scale=1.5, staff_language=staff))
    real = None
    try:
        ui.set_size((1280, 800))
        ui.reset(app)
        app.session._microphone_checked(False)
        ui.pump(2)
        ui.tap(app.screen("attract"))
        ui.pump(2)
        [b] = [b for b in app.screen("start").ids.buttons.children if b.lang_code == lang]
        ui.tap(b)
        ui.pump(2)
        panel = app.screen("visitor").panel()
        assert panel.ids.heading.text == app.t("kiosk_hint_type", lang) and app.t("type", lang) in panel.ids.ptt.text
        assert ui.wait_for(lambda: app.session._lookups is not None and app.session.conversation is not None)
        real = app.session._lookups
        app.session._lookups = Lookups(Suggesting(real[0], "certificates.want_juminhyo"), real[1], real[2])
        ui.tap(panel.ids.keyboard)
        panel.ids.entry.text = KIOSK_TYPED[lang]
        panel.send_typed()
        assert ui.wait_for(lambda: panel.ids.suggestions.children)
        ui.pump(4)
        assert (panel.ids.main.text, panel.ids.heading.text) == (KIOSK_TYPED[lang], app.t("not_translated", lang))
        ui.screenshot(app, _out(tmp_path) / f"1280x800_kiosk_untranslated_{lang}_1.5.png")
        assert _unclipped(panel) == []
        [button] = panel.ids.suggestions.children
        ui.tap(button)
        assert ui.wait_for(lambda: app.model.latest().input_kind == "phrasebook" and app.model.latest().finished)
        ui.pump(4)
        said = app.t("you_said", lang).rstrip(":：")
        assert panel.ids.heading.text == f"{said}  ·  ✓\u00a0{app.t('verified_phrase', lang)}"
        kept = f"{app.t('history_me', lang)}: {KIOSK_TYPED[lang]} ({app.t('not_translated', lang)})"
        assert kept in ui.all_texts(panel.ids.history)
        ui.screenshot(app, _out(tmp_path) / f"1280x800_kiosk_verified_{lang}_1.5.png")
        assert _unclipped(panel) == []
    finally:
        if real is not None:
            app.session._lookups = real
        app.session._microphone_checked(True)
        app._apply_settings(app.settings.replace(mode="counter", text_scale=1.0, staff_language="ja"))
        ui.reset(app)
