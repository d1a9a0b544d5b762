"""kiosk.audio: WAV validation and conversion, levels, and the no-device paths (for real)."""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import sys
import threading
import wave
from pathlib import Path

import numpy as np  # noqa: TID253 - tests may load numpy at import
import pytest

from kiosk import audio
from kiosk.errors import KioskError
from tests.conftest import AUDIO_DIR, REPO

CLIP = AUDIO_DIR / "ko_04.wav"
HINT = "Convert it with: sox IN.wav -b 16 -e signed-integer OUT.wav"


def _wav(path: Path, samples: np.ndarray, rate: int, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1 if samples.ndim == 1 else samples.shape[1])
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def _sox(src: Path, dst: Path, *args: str) -> Path:
    subprocess.run(["sox", str(src), *args, str(dst)], check=True, capture_output=True)
    return dst


def _sine(freq: float, rate: int, seconds: float, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return np.rint(amp * 32767 * np.sin(2 * np.pi * freq * t)).astype("<i2")


def _samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64)


def _snr_db(ref: np.ndarray, other: np.ndarray) -> float:
    n = min(len(ref), len(other))
    noise = np.sum((ref[:n] - other[:n]) ** 2)
    return math.inf if noise == 0 else 10 * math.log10(np.sum(ref[:n] ** 2) / noise)


# ------------------------------------------------------------- accepted files
def test_16k_mono_is_returned_unchanged():
    with wave.open(str(CLIP)) as w:
        frames = w.readframes(w.getnframes())
    assert audio.read_wav(CLIP) == frames


def test_stereo_is_the_mean_of_the_channels(tmp_path):
    left = _sine(440, 16000, 0.5, 0.4)
    right = _sine(660, 16000, 0.5, 0.2)
    path = _wav(tmp_path / "st.wav", np.stack([left, right], axis=1), 16000)
    out = _samples(audio.read_wav(path))
    expected = np.rint((left.astype(float) + right) / 2)
    assert len(out) == len(left)
    assert np.max(np.abs(out - expected)) <= 1


@pytest.mark.parametrize("rate,channels", [(44100, 2), (48000, 2), (22050, 1), (8000, 1), (11025, 2)])
def test_other_rates_are_resampled_to_16k(tmp_path, rate, channels):
    src = _sox(CLIP, tmp_path / "x.wav", "-r", str(rate), "-c", str(channels))
    orig = _samples(audio.read_wav(CLIP))
    out = _samples(audio.read_wav(src))
    assert abs(len(out) - len(orig)) <= 2
    # sox up/down then ours back: above 16 kHz the speech comes back nearly intact
    # (measured 50–55 dB); from 8 kHz the top half of the band is gone (measured ~15 dB)
    assert _snr_db(orig, out) > (40 if rate > 16000 else 10)


def test_resampling_keeps_a_tone_and_removes_aliases(tmp_path):
    tone = _sine(1000, 44100, 1.0, 0.5)
    high = _sine(15000, 44100, 1.0, 0.5)  # above 8 kHz: must not fold back into the band
    out_tone = _samples(audio.read_wav(_wav(tmp_path / "t.wav", tone, 44100)))
    out_high = _samples(audio.read_wav(_wav(tmp_path / "h.wav", high, 44100)))
    assert len(out_tone) == 16000
    assert audio.rms(np.rint(out_tone).astype("<i2").tobytes()) == pytest.approx(0.5 / math.sqrt(2), rel=0.02)
    assert audio.rms(np.rint(out_high[200:-200]).astype("<i2").tobytes()) < 0.002


def test_extensible_16bit_pcm_is_accepted(tmp_path):
    # sox writes WAVE_FORMAT_EXTENSIBLE for more than two channels
    src = _sox(CLIP, tmp_path / "quad.wav", "-c", "4")
    data = src.read_bytes()
    assert struct.unpack_from("<H", data, 20)[0] == 0xFFFE
    assert _snr_db(_samples(audio.read_wav(CLIP)), _samples(audio.read_wav(src))) > 60


def test_empty_data_chunk_gives_no_audio(tmp_path):
    path = _wav(tmp_path / "empty.wav", np.zeros(0, dtype="<i2"), 16000)
    assert audio.read_wav(path) == b""


def test_truncated_data_keeps_whole_frames(tmp_path):
    path = _wav(tmp_path / "st.wav", np.zeros((100, 2), dtype="<i2"), 16000)
    path.write_bytes(path.read_bytes()[:-3])  # cut mid-frame
    assert len(audio.read_wav_raw(path)[0]) == 99 * 4


# -------------------------------------------------------------- refused files
@pytest.mark.parametrize(
    "sox_args,what",
    [
        (("-b", "8", "-e", "unsigned-integer"), "8-bit PCM audio"),
        (("-b", "24", "-e", "signed-integer"), "24-bit PCM audio"),
        (("-b", "32", "-e", "signed-integer"), "32-bit PCM audio"),
        (("-b", "32", "-e", "floating-point"), "32-bit float audio"),
        (("-b", "64", "-e", "floating-point"), "64-bit float audio"),
        (("-e", "u-law"), "compressed audio (WAV format 0x0007)"),
        (("-e", "a-law"), "compressed audio (WAV format 0x0006)"),
        (("-e", "ima-adpcm"), "compressed audio (WAV format 0x0011)"),
        (("-e", "gsm-full-rate"), "compressed audio (WAV format 0x0031)"),
    ],
)
def test_other_sample_formats_are_refused(tmp_path, sox_args, what):
    path = _sox(CLIP, tmp_path / "bad.wav", *sox_args)
    with pytest.raises(KioskError) as err:
        audio.read_wav(path)
    assert err.value.code == "audio.bad_format"
    assert err.value.message == f"{path} is {what}; only 16-bit PCM WAV can be used. {HINT}"


def test_8bit_written_by_the_wave_module_is_refused(tmp_path):
    path = _wav(tmp_path / "u8.wav", np.full(1600, 128, dtype=np.uint8), 16000, width=1)
    with pytest.raises(KioskError) as err:
        audio.read_wav(path)
    assert (err.value.code, err.value.message) == (
        "audio.bad_format", f"{path} is 8-bit PCM audio; only 16-bit PCM WAV can be used. {HINT}")


def test_absurd_sample_rate_is_refused(tmp_path):
    path = _wav(tmp_path / "slow.wav", _sine(100, 4000, 0.5), 4000)
    with pytest.raises(KioskError) as err:
        audio.read_wav(path)
    assert (err.value.code, err.value.message) == (
        "audio.bad_format",
        f"{path} is audio at 4000 Hz (allowed: 8000–192000 Hz); only 16-bit PCM WAV can be used. {HINT}")


def test_missing_file(tmp_path):
    path = tmp_path / "nope.wav"
    with pytest.raises(KioskError) as err:
        audio.read_wav(path)
    assert (err.value.code, err.value.message) == ("audio.unreadable", f"Audio file {path} was not found.")


@pytest.mark.parametrize(
    "content,why",
    [
        (b"", "is not a WAV file"),
        (b"this is not audio at all, just some text" * 10, "is not a WAV file"),
        (b"ID3\x03\x00" + bytes(200), "is not a WAV file"),  # an MP3
        (b"RIFF\x04\x00\x00\x00WAVE", "has no audio (missing fmt or data chunk)"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt \x04\x00\x00\x00\x01\x00\x01\x00", "has a broken header"),
    ],
)
def test_not_a_wav_file(tmp_path, content, why):
    path = tmp_path / "garbage.wav"
    path.write_bytes(content)
    with pytest.raises(KioskError) as err:
        audio.read_wav(path)
    assert (err.value.code, err.value.message) == (
        "audio.unreadable", f"{path} {why}. Save the recording as a 16-bit PCM WAV file.")


def test_a_folder_is_unreadable(tmp_path):
    with pytest.raises(KioskError) as err:
        audio.read_wav(tmp_path)
    assert (err.value.code, err.value.message) == (
        "audio.unreadable", f"{tmp_path} cannot be read. Save the recording as a 16-bit PCM WAV file.")


# --------------------------------------------------------------------- levels
def test_levels():
    silence = bytes(3200)
    assert audio.rms(silence) == 0.0 and audio.level(silence) == 0.0 and audio.is_silent(silence)
    assert audio.rms(b"") == 0.0 and audio.is_silent(b"")
    loud = _sine(440, 16000, 0.1, 1.0).tobytes()
    assert audio.rms(loud) == pytest.approx(1 / math.sqrt(2), rel=1e-3)
    assert audio.level(loud) == pytest.approx(1 - 3.01 / 60, abs=0.01)
    quiet = _sine(440, 16000, 0.1, 0.01).tobytes()  # -43 dBFS RMS
    assert audio.level(quiet) == pytest.approx(1 - 43.0 / 60, abs=0.01)
    assert not audio.is_silent(quiet) and audio.is_silent(quiet, threshold_db=-40)
    assert audio.rms(loud + b"\x01") == audio.rms(loud)  # odd trailing byte ignored


def test_speech_is_louder_than_its_pauses():
    pcm = audio.read_wav(CLIP)
    levels = [audio.level(pcm[i : i + 3200]) for i in range(0, len(pcm) - 3200, 3200)]
    assert max(levels) > 0.5 and min(levels) < max(levels) - 0.2


# ------------------------------------------------------------------- devices
def _has_device(kind: str) -> bool:
    try:
        import sounddevice as sd

        sd.query_devices(kind=kind)
        return True
    except Exception:
        return False


@pytest.mark.skipif(_has_device("input"), reason="this machine has a microphone")
def test_microphone_without_device():
    chunks: list[bytes] = []
    mic = audio.Microphone(chunks.append)
    with pytest.raises(KioskError) as err:
        mic.start()
    assert (err.value.code, err.value.message) == (
        "audio.no_device", "No microphone was found. Connect one (or enable it in the system settings) and try again.")
    assert not mic.active
    mic.stop()  # harmless when never started


@pytest.mark.skipif(_has_device("output"), reason="this machine has a speaker")
def test_playback_without_device():
    with pytest.raises(KioskError) as err:
        audio.play_wav(CLIP, threading.Event())
    assert (err.value.code, err.value.message) == (
        "audio.no_device", "No speaker was found. Connect one (or enable it in the system settings) and try again.")


def test_playback_validates_the_file_first(tmp_path):
    bad = tmp_path / "x.wav"
    bad.write_bytes(b"nope")
    with pytest.raises(KioskError) as err:
        audio.play_wav(bad)
    assert err.value.code == "audio.unreadable"


def test_write_wav_round_trip(tmp_path):
    pcm = _sine(300, 22050, 0.2).tobytes()
    path = audio.write_wav(tmp_path / "o.wav", pcm, 22050)
    assert audio.read_wav_raw(path) == (pcm, 1, 22050)


# ------------------------------------------------------------- import cost
def test_importing_the_speech_modules_loads_nothing_heavy():
    code = (
        "import sys, kiosk.audio, kiosk.engines.vosk_stt, kiosk.engines.pyttsx3_tts, kiosk.engines.japanese;"
        "print(sorted(m for m in ('numpy', 'sounddevice', 'vosk', 'pyttsx3', 'pykakasi') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_sox_is_available():
    assert shutil.which("sox"), "sox is needed to build the format test files (apt-get install sox)"
