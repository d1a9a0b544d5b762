"""Issue 13 (defect 3): audio files are checked before they are read, capped at 10 minutes, and converted
with bounded memory.  Before: a FIFO hung `transcribe` for ever, /dev/zero grew to 8 GB, a 318 MB stereo
WAV peaked at 2.2 GB."""

from __future__ import annotations

import os
import struct
import threading
import tracemalloc
import wave

import numpy as np  # noqa: TID253 - tests may load numpy at import
import pytest

from kiosk import audio
from kiosk.cli import main
from kiosk.errors import KioskError

FIX = "Save the recording as a 16-bit PCM WAV file."


def header(channels: int, rate: int, data_bytes: int) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * 2, channels * 2, 16)
    return b"RIFF" + struct.pack("<I", min(0xFFFFFFFF, 36 + data_bytes)) + b"WAVEfmt " + struct.pack("<I", 16) + fmt + \
        b"data" + struct.pack("<I", data_bytes)


def refused(path) -> KioskError:
    with pytest.raises(KioskError) as err:
        audio.read_wav(path)
    return err.value


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "speech.wav"
    os.mkfifo(fifo)
    done = []
    t = threading.Thread(target=lambda: done.append(refused(fifo)), daemon=True)
    t.start()
    t.join(20)
    assert done, "read_wav blocked on a FIFO"
    assert (done[0].code, done[0].message) == ("audio.unreadable", f"{fifo} is not a regular file. {FIX}")


def test_a_device_is_refused():
    err = refused("/dev/zero")
    assert (err.code, err.message) == ("audio.unreadable", f"/dev/zero is not a regular file. {FIX}")


def test_longer_than_ten_minutes_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "long.wav"
    seconds = 601
    with path.open("wb") as f:
        f.write(header(1, 16000, seconds * 32000))
        f.truncate(44 + seconds * 32000)  # sparse: nothing is read before the refusal
    err = refused(path)
    assert (err.code, err.message) == (
        "audio.too_long", f"{path} is 10.0 minutes long; the limit is 10 minutes. Cut it into shorter recordings.")


def test_a_header_claiming_4_gb_on_a_short_file_reads_what_is_there(tmp_path):
    path = tmp_path / "liar.wav"
    path.write_bytes(header(1, 16000, 0xFFFFFFF0) + bytes(3200))
    assert audio.read_wav(path) == bytes(3200)


def test_too_many_channels_is_refused(tmp_path):
    path = tmp_path / "many.wav"
    path.write_bytes(header(9, 16000, 0))
    err = refused(path)
    assert (err.code, err.message) == (
        "audio.bad_format", f"{path} is audio with 9 channels (allowed: 1–8); only 16-bit PCM WAV can be used. "
                            "Convert it with: sox IN.wav -b 16 -e signed-integer OUT.wav")


def test_many_tiny_chunks_are_refused_quickly(tmp_path):
    path = tmp_path / "chunks.wav"
    path.write_bytes(b"RIFF\xff\xff\xff\xffWAVE" + b"junk\x00\x00\x00\x00" * 200_000)
    err = refused(path)
    assert (err.code, err.message) == ("audio.unreadable", f"{path} has no audio (missing fmt or data chunk). {FIX}")


def _write(path, channels: int, rate: int, seconds: float) -> int:
    rng = np.random.default_rng(1)
    frames = (rng.standard_normal((int(rate * seconds), channels)) * 3000).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames.tobytes())
    return path.stat().st_size


def _peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_stereo_conversion_memory_is_about_the_mono_signal(tmp_path):
    """Before: bytes + float64 stereo + mean ≈ 5× the file size at once; now ≈ the mono signal twice."""
    path = tmp_path / "stereo16k.wav"
    size = _write(path, 2, 16000, 120)
    assert _peak(lambda: audio.read_wav(path)) < 1.3 * size


def test_resampling_memory_grows_slowly_with_the_length(tmp_path):
    short, long_ = tmp_path / "short44k.wav", tmp_path / "long44k.wav"
    extra = _write(long_, 2, 44100, 60) - _write(short, 2, 44100, 20)
    assert len(audio.read_wav(short)) == 2 * 16000 * 20
    grows = _peak(lambda: audio.read_wav(long_)) - _peak(lambda: audio.read_wav(short))
    assert grows < 2.5 * extra  # before: ≈ 10× (bytes, float64 stereo, mean, padded copy all at once)


def test_transcribe_a_fifo_is_one_error_line(capsys, tmp_path):
    fifo = tmp_path / "in.wav"
    os.mkfifo(fifo)
    code = main(["--data-dir", str(tmp_path / "d"), "transcribe", "--lang", "ko", str(fifo)])
    out, err = capsys.readouterr()
    assert (code, out, err) == (1, "", f"error [audio.unreadable]: {fifo} is not a regular file. {FIX}\n")
