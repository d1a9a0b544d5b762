"""Issue 13: property-based fuzzing (hypothesis) at every edge where data enters the kiosk.

Property everywhere: success, or a ``KioskError`` whose code is in ``kiosk.errors.CODES`` — never another
exception (a traceback) — and nothing written outside the data dir.  Example counts stay modest and the
runs are derandomized, so CI is stable and the whole file takes a few minutes; raise
``KIOSK_FUZZ_EXAMPLES`` locally for a deeper run.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import audio
from kiosk.cli import main
from kiosk.config import RANGES, load_settings
from kiosk.content.load import load_content
from kiosk.content.match import PhraseMatcher
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.factory import Engines
from kiosk.engines.fakes import FakeSpeechToText, FakeTextToSpeech, FakeTranslator
from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech, split_pieces
from kiosk.errors import CODES, KioskError
from kiosk.languages import CODES as LANGS
from kiosk.limits import MAX_TEXT_CHARS, check_text, read_lines
from kiosk.pipeline import events as ev
from kiosk.pipeline.conversation import Conversation
from kiosk.ui.viewmodels.conversation import ConversationModel
from tests.support.mt_fixtures import tiny_pack_archives  # noqa: F401
from tests.support.tiny_argos import build_argos_pack_dir
from tests.support.tiny_vosk import make_installer

N = int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=N, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
SLOW = settings(FUZZ, max_examples=max(5, N // 3))  # real engines per example

# any Unicode (no surrogates: those are checked with argv below), with a bias to scripts the kiosk serves
TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from("あア漢字。、？！ .,?!\n\t 0123456789abcXYZ한국어Tiếng中文「」…—"), max_size=400),
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "。", "あ", " ", "\n", "x ", "😀"]), st.integers(0, 3000)),
)


def known(exc: KioskError) -> bool:
    return exc.code in CODES


def outcome(fn, *args, **kw):
    """fn(*args) or the KioskError it raised (anything else fails the test)."""
    try:
        return fn(*args, **kw)
    except KioskError as exc:
        assert known(exc), exc.code
        return exc


# --------------------------------------------------------------------------------------------- text
@FUZZ
@given(st.binary(max_size=12_000))
def test_stdin_bytes(data):
    got = outcome(lambda: list(read_lines(io.BytesIO(data))))
    if isinstance(got, KioskError):
        assert got.code in ("text.too_long", "text.bad_encoding")
    else:
        assert all(len(line) <= MAX_TEXT_CHARS for line in got)


@FUZZ
@given(st.text(max_size=3000) | st.binary(max_size=300).map(lambda b: b.decode("utf-8", "surrogateescape")))
def test_argument_text(text):
    got = outcome(check_text, text)
    assert got == text or got.code in ("text.too_long", "text.bad_encoding")


@FUZZ
@given(TEXT, st.sampled_from(LANGS), st.integers(20, 600))
def test_speech_pieces_are_bounded_and_lose_nothing(text, lang, limit):
    pieces = split_pieces(text.strip(), lang, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    squash = lambda s: "".join(s.split())  # noqa: E731
    assert squash("".join(pieces)) == squash(text)


@pytest.fixture(scope="module")
def tts():
    return Pyttsx3TextToSpeech(rate=400)


@SLOW
@given(TEXT.filter(lambda t: len(t) <= 2000), st.sampled_from(LANGS))
def test_real_speech_output_takes_any_text(tts, text, lang):
    got = outcome(tts.render, text, lang)
    if not isinstance(got, KioskError):
        pcm, rate = got
        assert rate > 0 and len(pcm) % 2 == 0


@pytest.fixture(scope="module")
def matcher():
    return PhraseMatcher(load_content())


@FUZZ
@given(TEXT, st.sampled_from(LANGS))
def test_phrasebook_match_takes_any_text(matcher, text, lang):
    outcome(matcher.match, text, lang)


@pytest.fixture(scope="module")
def translator(tmp_path_factory, tiny_pack_archives):  # noqa: F811

    s = load_settings(tmp_path_factory.mktemp("fuzz-mt"), env={})
    results = make_installer(s).install([tiny_pack_archives[("en", "ja")], tiny_pack_archives[("ja", "en")]],
                                        allow_unknown=True)
    assert all(r.ok for r in results)
    return ArgosTranslator.from_settings(s)


@SLOW
@given(TEXT.filter(lambda t: len(t) <= 2000), st.sampled_from([("en", "ja"), ("ja", "en"), ("ja", "ko")]))
def test_real_translation_takes_any_text(translator, text, pair):
    got = outcome(translator.translate, text, *pair)
    if isinstance(got, KioskError):
        assert got.code == "mt.missing_direction" and pair == ("ja", "ko")
    else:
        assert isinstance(got.text, str)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["staff", "visitor"]), TEXT), min_size=1, max_size=4))
def test_typed_turns_through_the_pipeline_into_the_view_model(settings, turns):
    """Any typed text → the real pipeline (fake engines) → the conversation view model: panels always build."""
    rec = ev.Recorder()
    pairs = {(a, b) for a in LANGS for b in LANGS if a != b}
    engines = Engines(FakeSpeechToText({}), FakeTranslator({}, pairs=pairs), FakeTextToSpeech())
    conv = Conversation(engines, settings, rec, clock=lambda: 0.0, speak_aloud=False)
    conv.start_session(mode="counter", visitor_language="vi", staff_language="ja")
    for side, text in turns:
        source, target = ("ja", "vi") if side == "staff" else ("vi", "ja")
        outcome(conv.submit_text, side=side, source=source, target=target, text=text)
    conv.wait(timeout=60)
    conv.end_session()
    conv.close()
    model = ConversationModel()
    for event in rec.events:
        model.apply(event)
        if isinstance(event, ev.TurnFailed):
            assert event.code in CODES
    for side in ("staff", "visitor"):
        model.panel(side)
        model.history(side)


# --------------------------------------------------------------------------------------------- audio
def _wav(tag, channels, rate, bits, body: bytes, data_size=None, fmt_size=16) -> bytes:
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * max(channels, 1) * bits // 8 % 2**32,
                      (channels * bits // 8) % 2**16, bits) + bytes(max(0, fmt_size - 16))
    size = len(body) if data_size is None else data_size
    return (b"RIFF" + struct.pack("<I", (36 + len(body)) % 2**32) + b"WAVEfmt " + struct.pack("<I", fmt_size)
            + fmt[:fmt_size] + b"data" + struct.pack("<I", size) + body)


WAV = st.one_of(
    st.binary(max_size=2000),
    st.builds(_wav, st.sampled_from([1, 3, 6, 7, 0xFFFE, 0]), st.integers(0, 12), st.integers(0, 200_000),
              st.sampled_from([8, 16, 24, 32, 0]), st.binary(max_size=4000),
              st.one_of(st.none(), st.integers(0, 2**32 - 1)), st.sampled_from([0, 8, 16, 18, 40, 5000])),
)


@FUZZ
@given(WAV)
def test_wav_headers_and_bodies(data):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "in.wav"
        path.write_bytes(data)
        got = outcome(audio.read_wav, path)
        if isinstance(got, KioskError):
            assert got.code.startswith("audio.")
        else:
            assert len(got) % 2 == 0 and len(got) <= 16000 * 2 * audio.MAX_AUDIO_S
        assert os.listdir(d) == ["in.wav"]


# --------------------------------------------------------------------------------------------- settings
NUMBERS = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True), st.booleans())
VALUES = st.one_of(NUMBERS, st.text(max_size=30), st.lists(st.text(max_size=5) | st.integers(), max_size=3))


@FUZZ
@given(st.dictionaries(st.sampled_from(sorted(__import__("kiosk.config", fromlist=["x"]).RANGES) +
                                       ["mode", "languages", "staff_language", "layout", "ptt_mode", "colour",
                                        "stats_enabled"]), VALUES, max_size=4))
def test_settings_values(values):
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "settings.toml").write_text(tomli_w.dumps(values), encoding="utf-8")
        got = outcome(load_settings, d, env={})
        if isinstance(got, KioskError):
            assert got.code == "config.invalid"
        else:
            for name, (lo, hi, _) in RANGES.items():
                value = getattr(got, name)
                assert value == value and (lo <= value <= hi or (name == "counter_idle_timeout_s" and value == 0))
        assert os.listdir(d) == ["settings.toml"]


# --------------------------------------------------------------------------------------------- pack metadata
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
                    max_leaves=10)
METADATA = st.fixed_dictionaries(
    {"from_code": st.sampled_from(["en", "fr", "", "ja"]) | JSON, "to_code": st.sampled_from(["ja", "en"]) | JSON},
    optional={"package_version": st.text(max_size=20) | JSON, "kiosk_pack_id": st.text(max_size=20) | JSON,
              "kiosk_family": st.text(max_size=10) | JSON, "target_prefix": JSON})


@pytest.fixture(scope="module")
def pack_folder(tmp_path_factory):
    return build_argos_pack_dir(tmp_path_factory.mktemp("fuzz-pack"), "en", "ja")


@SLOW
@given(METADATA | JSON)
def test_pack_metadata(pack_folder, meta):
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "usb" / "p"
        shutil.copytree(pack_folder, src)
        (src / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
        data = Path(d) / "data"
        [r] = make_installer(load_settings(data, env={})).install([src], allow_unknown=True)
        assert r.ok or r.code in CODES
        if r.ok:
            assert "/" not in r.pack_id and ".." not in r.pack_id
        assert sorted(os.listdir(d)) == ["data", "usb"]
        assert sorted(os.listdir(src)) == sorted(os.listdir(pack_folder))  # the source is never changed


# --------------------------------------------------------------------------------------------- CLI arguments
ARG = st.one_of(st.text(max_size=30), st.sampled_from(["0-1", "99999-01", "2025-13", "-1", "0", "1e9", "2025-02-30",
                                                        "postgresql://u@h:/d", "postgresql://u@h:x/d", "", " "]))
CLI = st.one_of(
    st.builds(lambda v: ["stats", "summary", "--month", v], ARG),
    st.builds(lambda a, b: ["stats", "summary", "--from", a, "--to", b], ARG, ARG),
    st.builds(lambda v: ["stats", "purge", "--months", v], ARG | st.integers(-10**9, 10**9).map(str)),
    st.builds(lambda v: ["stats", "summary", "--suppress-below", v], ARG | st.integers(-10**9, 10**9).map(str)),
    st.builds(lambda v: ["stats", "summary", "--source", v], ARG),
    st.builds(lambda v: ["content", "search", "--lang", "en", "--limit", v, "station"], ARG | st.integers().map(str)),
    st.builds(lambda v: ["app", "--size", v], ARG).map(lambda a: ["doctor"]),  # never opens a window in tests
    st.builds(lambda v: ["speak", "--lang", "en", "hi", "--out", v], ARG.filter(lambda s: "/" not in s)),
)


@FUZZ
@given(CLI)
def test_cli_argument_values(argv):
    with tempfile.TemporaryDirectory() as d:
        data, work = Path(d) / "data", Path(d) / "cwd"
        work.mkdir()
        old = os.getcwd()
        os.chdir(work)
        err = io.StringIO()
        try:
            with redirect_stdout(io.StringIO()), redirect_stderr(err):
                try:
                    code = main(["--data-dir", str(data), *argv])
                except SystemExit as exc:  # argparse: bad usage
                    code = exc.code
        finally:
            os.chdir(old)
        assert code in (0, 1, 2)
        if code == 1:
            line = err.getvalue().strip().splitlines()[-1]
            assert line.startswith("error [") and line.split("]")[0][7:] in CODES, line
        written = [p.name for p in work.iterdir()]
        assert written in ([], [argv[-1]]) if argv[:1] == ["speak"] else written == []
