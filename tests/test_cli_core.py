"""The core commands end to end, on real engines: Vosk (real Korean model and
recordings), tiny fixture-built Argos packs installed with `kiosk packs install`,
and espeak-ng speech output."""

from __future__ import annotations

import io
import json
import shutil
import wave
from pathlib import Path

import pytest

from kiosk.cli import main

AUDIO = Path(__file__).parent / "data" / "audio"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def with_packs(tmp_path, tiny_pack_archives, capsys):
    data = tmp_path / "data"
    stick = tmp_path / "usb"
    stick.mkdir()
    for (a, b), archive in tiny_pack_archives.items():
        if (a, b) in {("ko", "en"), ("en", "ja"), ("ja", "en")}:
            shutil.copy(archive, stick / archive.name)
    code, out, err = run(capsys, "--data-dir", str(data), "packs", "install", "--allow-unknown", str(stick))
    assert code == 0, out + err
    return data


def test_transcribe_real_korean_clip(capsys, tmp_path):
    code, out, _ = run(
        capsys, "--data-dir", str(tmp_path), "transcribe", "--lang", "ko", "--json", str(AUDIO / "ko_01.wav")
    )
    assert code == 0
    result = json.loads(out)
    assert result["heard"] and result["language"] == "ko" and 0 < result["confidence"] <= 1
    assert any("\uac00" <= ch <= "\ud7a3" for ch in result["text"])  # Hangul


def test_transcribe_vietnamese_with_the_bundled_whisper_model(capsys, whisper_data_dir):
    code, out, _ = run(capsys, "--data-dir", str(whisper_data_dir), "transcribe", "--lang", "vi", "--json",
                       str(AUDIO / "vi_03.wav"))
    assert code == 0
    result = json.loads(out)
    assert result["engine"] == "Whisper faster-whisper-base (PyPI)"
    assert "ở đây lâu không" in result["text"]  # "Mấy anh ở đây lâu không"


def test_transcribe_language_not_enabled(capsys, tmp_path):
    (tmp_path / "settings.toml").write_text('languages = ["ja", "ko"]\n', encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "transcribe", "--lang", "vi", str(AUDIO / "vi_01.wav"))
    assert code == 1
    assert err.startswith("error [stt.missing_model]: No speech-recognition model is installed for Vietnamese (vi).")


def test_transcribe_not_a_wav(capsys, tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_text("hello", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "transcribe", "--lang", "ko", str(bad))
    assert code == 1 and err.startswith("error [audio.unreadable]: ")


def test_speak_to_file(capsys, tmp_path):
    out_wav = tmp_path / "hello.wav"
    code, out, _ = run(
        capsys, "--data-dir", str(tmp_path), "speak", "--lang", "ja", "住民票をください", "--out", str(out_wav)
    )
    assert code == 0 and out.startswith(f"wrote {out_wav} (")
    with wave.open(str(out_wav)) as w:
        assert w.getnframes() / w.getframerate() > 0.5


def test_translate_direct_pivot_and_stdin(capsys, with_packs, monkeypatch):
    code, out, _ = run(
        capsys, "--data-dir", str(with_packs), "translate", "--from", "ko", "--to", "ja", "--json", "안녕하세요"
    )
    assert code == 0
    result = json.loads(out)
    assert result["route"] == ["ko", "en", "ja"] and result["text"]
    assert all(s["score"] <= 0 for s in result["sentences"])

    monkeypatch.setattr("sys.stdin", io.StringIO("こんにちは\n\nありがとう\n"))
    code, out, _ = run(capsys, "--data-dir", str(with_packs), "translate", "--from", "ja", "--to", "en")
    lines = out.split("\n")
    assert code == 0 and lines[0] and lines[1] == "" and lines[2]


def test_translate_missing_direction_says_what_to_install(capsys, with_packs):
    code, _, err = run(capsys, "--data-dir", str(with_packs), "translate", "--from", "vi", "--to", "ja", "xin chào")
    assert code == 1
    assert err.startswith("error [mt.missing_direction]: ")
    assert "vi→en" in err


def test_converse_korean_speech_to_japanese_speech(capsys, with_packs, tmp_path):
    reply = tmp_path / "reply.wav"
    code, out, err = run(capsys, "--data-dir", str(with_packs), "converse", "--from", "ko", "--to", "ja",
                         str(AUDIO / "ko_02.wav"), "--out", str(reply))
    assert code == 0, err
    assert "heard (ko, confidence" in out and "translation (ja, " in out
    with wave.open(str(reply)) as w:
        assert w.getnframes() > w.getframerate() // 2


def test_converse_explains_missing_packs(capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "converse", "--from", "ko", "--to", "ja",
                       str(AUDIO / "ko_01.wav"), "--out", str(tmp_path / "r.wav"))
    assert code == 1
    assert err.startswith("error [mt.missing_direction]: No translation pack for ko→ja.")
    assert not (tmp_path / "r.wav").exists()


def test_doctor_lists_everything(capsys, with_packs):
    code, out, _ = run(capsys, "--data-dir", str(with_packs), "doctor")
    assert code == 0
    assert "speech recognition ko" in out and "CJK font" in out
    # ko→ja via English, ja→en direct, vi missing
    row_ko = next(line for line in out.splitlines() if line.startswith("ko      "))
    assert row_ko.split()[1:] == ["◐", "●", "·", "·", "-"]
    assert "fix: 16 directions missing" in out


def test_bad_usage_exit_code_2(capsys):
    with pytest.raises(SystemExit) as err:
        main(["translate", "--from", "fr", "--to", "ja", "x"])
    assert err.value.code == 2
