""""Just speak" listener (no Kivy): a fake microphone plays a real clip, the real Whisper base ranks."""

from __future__ import annotations

import pytest

from kiosk import audio
from kiosk.errors import KioskError
from kiosk.just_speak import JustSpeak
from tests.conftest import AUDIO_DIR


class ClipMicrophone:
    """Plays a recording into the callback in 0.25 s chunks when started (as the sound card would)."""

    def __init__(self, pcm: bytes, callback) -> None:
        self.pcm, self.callback, self.stopped = pcm, callback, False

    def start(self):
        for i in range(0, len(self.pcm), 8000):
            if self.stopped:
                break
            self.callback(self.pcm[i : i + 8000])
        return self

    def stop(self):
        self.stopped = True


def run(listener: JustSpeak, offered):
    got = []
    listener.start(offered, got.append)
    if listener.listening:
        listener.stop()  # the clip was shorter than the listening time: the visitor let go
    return got


def inline(task, _name=None):
    task()


@pytest.mark.slow
def test_a_vietnamese_visitor_is_asked_in_vietnamese(whisper_stt):
    pcm = audio.read_wav(AUDIO_DIR / "vi_03.wav")
    listener = JustSpeak(lambda: whisper_stt, lambda cb: ClipMicrophone(pcm, cb), inline, inline, seconds=3.0)
    [detection] = run(listener, ["ja", "en", "vi", "zh", "ko"])
    assert detection.best == "vi" and detection.confident


@pytest.mark.slow
def test_silence_is_nothing_heard(whisper_stt):
    listener = JustSpeak(lambda: whisper_stt, lambda cb: ClipMicrophone(bytes(64000), cb), inline, inline)
    [detection] = run(listener, ["ja", "en"])
    assert detection.best is None and detection.choices == ()


def test_no_microphone_or_no_whisper_is_nothing_heard():
    def broken(_cb):
        raise KioskError("audio.no_device", "no microphone")

    [detection] = run(JustSpeak(lambda: None, broken, inline, inline), ["ja"])
    assert detection.best is None
    [detection] = run(JustSpeak(lambda: None, lambda cb: ClipMicrophone(bytes(8000), cb), inline, inline), ["ja"])
    assert detection.best is None
