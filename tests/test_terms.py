"""Agreed terms survive machine translation: placeholders through real (tiny) CTranslate2 packs,
the fallback when a model loses one, and the quality gate still flagging a missing term."""

from __future__ import annotations

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.content.glossary import GlossaryChecker
from kiosk.content.load import load_content
from kiosk.engines import terms
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech
from kiosk.packs.install import Installer
from kiosk.pipeline import events as ev
from kiosk.pipeline.content_adapters import ContentGlossary
from kiosk.pipeline.conversation import Conversation
from tests.support.mt_fixtures import tiny_pack_dirs  # noqa: F401
from tests.support.tiny_argos import build_argos_pack_dir, sentencepiece_model_bytes


@pytest.fixture(scope="module")
def checker():
    return GlossaryChecker(load_content())


@pytest.fixture(scope="module")
def copying(tmp_path_factory):
    """ja→en and en→ko packs whose model writes <unk> (copies source tokens through)."""
    root = tmp_path_factory.mktemp("copying")
    return [build_argos_pack_dir(root, "ja", "en", copy_unknowns=True),
            build_argos_pack_dir(root, "en", "ko", copy_unknowns=True)]


def test_placeholders_are_one_source_token_and_decode_whole():
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sentencepiece_model_bytes())
    pieces = terms.encode(sp, "Please bring <T0> and <T1>.")
    assert "<T0>" in pieces and "<T1>" in pieces
    assert terms.encode(sp, "no token here") == sp.encode("no token here", out_type=str)
    assert terms.decode(sp, pieces, spaced=True) == "Please bring <T0> and <T1>."
    assert "<T0>" in terms.decode(sp, sp.encode("お持ちください", out_type=str)[:1] + ["<T0>"], spaced=False)


def test_protected_text(checker):
    p = terms.protect(checker, "住民票と在留カードを持ってきてください", "ja", "en")
    assert p.text == "<T0>と<T1>を持ってきてください"
    assert p.targets == {"<T0>": "certificate of residence", "<T1>": "residence card"}
    assert p.source("<T1>を") == "在留カードを"
    assert p.restore("Bring < T0 > <T0> and <T1>.") == "Bring certificate of residence and residence card."
    assert p.complete("<T1> then <T0>") and not p.complete("<T0> only") and not p.complete("<T0> <T1> <T2>")
    assert terms.protect(checker, "こんにちは", "ja", "en") is None
    assert terms.protect(None, "住民票", "ja", "en") is None


def test_agreed_term_carried_through_a_tiny_pack_and_a_pivot(copying, checker):
    mt = ArgosTranslator(copying)
    plain = mt.translate("住民票", "ja", "en")
    assert [m.term.id for m in checker.check("住民票", "ja", plain.text, "en")] == ["juminhyo"]
    mt.use_terms(checker)
    out = mt.translate("住民票", "ja", "en")
    assert out.text == "certificate of residence"
    assert out.sentences[0].source == "住民票"
    assert checker.check("住民票", "ja", out.text, "en") == []
    via = mt.translate("住民票", "ja", "ko")  # ja→en→ko: the token is copied by both models
    assert via.route == ("ja", "en", "ko") and via.text == "주민표"


def test_a_model_that_loses_the_token_falls_back_to_plain_translation(tiny_pack_dirs, checker):  # noqa: F811
    mt = ArgosTranslator([tiny_pack_dirs[("ja", "en")]])
    plain = mt.translate("住民票をお持ちください。", "ja", "en")
    mt.use_terms(checker)
    guarded = mt.translate("住民票をお持ちください。", "ja", "en")
    assert guarded == plain  # the normal tiny model never writes <unk>: protection gives way
    assert [m.term.id for m in checker.check("住民票をお持ちください。", "ja", guarded.text, "en")] == ["juminhyo"]


def _typed_turn(settings, translator, checker, text):
    rec = ev.Recorder()
    conv = Conversation(Engines(FakeSpeechToText({}), translator, FakeTextToSpeech()), settings, rec,
                        glossary=ContentGlossary(checker), clock=lambda: 0.0)
    conv.submit_text(side="staff", source="ja", target="en", text=text)
    conv.wait()
    return next(e for e in rec.events if isinstance(e, ev.TranslationReady))


def test_pipeline_uses_term_protection_and_the_gate_still_flags(settings, copying, tiny_pack_dirs, checker):  # noqa: F811
    kept = _typed_turn(settings, ArgosTranslator(copying), checker, "住民票")
    assert kept.text == "certificate of residence" and "glossary_term_missing" not in kept.reasons
    lost = _typed_turn(settings, ArgosTranslator([tiny_pack_dirs[("ja", "en")]]), checker, "住民票をお持ちください。")
    assert "glossary_term_missing" in lost.reasons and lost.glossary_ids == ("juminhyo",)
    off = _typed_turn(settings.replace(mt_protect_terms=False), ArgosTranslator(copying), checker, "住民票")
    assert off.text != "certificate of residence" and "glossary_term_missing" in off.reasons


def test_kiosk_translate_carries_agreed_terms(tmp_path, copying, capsys):
    settings = load_settings(tmp_path / "data")
    assert all(r.ok for r in Installer(settings).install([copying[0]], allow_unknown=True))
    assert main(["--data-dir", str(settings.data_dir), "translate", "--from", "ja", "--to", "en", "住民票"]) == 0
    assert capsys.readouterr().out == "certificate of residence\n"
    (settings.data_dir / "settings.toml").write_text("mt_protect_terms = false\n", encoding="utf-8")
    assert main(["--data-dir", str(settings.data_dir), "translate", "--from", "ja", "--to", "en", "住民票"]) == 0
    assert capsys.readouterr().out != "certificate of residence\n"
