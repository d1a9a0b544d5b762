"""`kiosk bench` measures speech as the app runs it: every bundled clip of the language, streamed in
microphone-sized chunks at speaking pace, timed from the end of speech to the final text
(``kiosk.bench.speech``, shared with benchmarks/speech_compare.py).  A fake clock checks the pacing;
real runs check the shape of the line (never a timing)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.audio import MIC_CHUNK_S, Microphone
from kiosk.bench import targets as T
from kiosk.bench.data import cer, clips
from kiosk.bench.engines import InstalledSpeech
from kiosk.bench.measure import Bench, Plan, pooled_cer
from kiosk.bench.speech import BYTES_PER_S, MIC_CHUNK, one_pass_s, stream_like_microphone
from kiosk.config import load_settings
from kiosk.engines.base import Transcript
from kiosk.engines.fakes import FakeSpeechToText


class Clock:
    """A clock that moves only when the code under test sleeps or an engine "works"."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds


class Recorder:
    """A recogniser that notes when each chunk arrives; its final pass takes ``final_work`` seconds."""

    def __init__(self, clock: Clock, final_work: float = 0.25, text: str = "xin chào") -> None:
        self.clock, self.final_work, self.text = clock, final_work, text
        self.arrivals: list[tuple[float, int]] = []

    def open_stream(self, language: str):
        return self

    def accept(self, pcm: bytes) -> str:
        self.arrivals.append((self.clock(), len(pcm)))
        return ""

    def finish(self) -> Transcript:
        self.clock.now += self.final_work
        return Transcript("vi", self.text, 0.9)


def test_chunks_arrive_as_the_microphone_sends_them_and_latency_runs_from_the_end_of_speech():
    clock = Clock()
    engine = Recorder(clock)
    pcm = bytes(int(2.35 * BYTES_PER_S))  # 2.35 s: 23 full microphone chunks and a short last one
    run = stream_like_microphone(engine, pcm, "vi", clock=clock, sleep=clock.sleep)
    assert MIC_CHUNK == int(16000 * MIC_CHUNK_S) * 2 and Microphone(lambda pcm: None).blocksize * 2 == MIC_CHUNK
    assert [n for _, n in engine.arrivals] == [MIC_CHUNK] * 23 + [len(pcm) - 23 * MIC_CHUNK]
    spoken = 0
    for at, n in engine.arrivals:  # each chunk is handed over once it has been said, not before
        spoken += n
        assert at - 100.0 == pytest.approx(spoken / BYTES_PER_S)
    assert run.text == "xin chào" and run.audio_s == pytest.approx(2.35)
    assert run.final_s == pytest.approx(0.25)  # only the work left after the end of speech


def test_a_recogniser_that_falls_behind_pays_for_its_backlog():
    clock = Clock()

    class Slow(Recorder):
        def accept(self, pcm: bytes) -> str:
            super().accept(pcm)
            self.clock.now += 0.15  # 0.15 s of work for every 0.1 s of audio
            return ""

    pcm = bytes(10 * MIC_CHUNK)  # 1 s
    run = stream_like_microphone(Slow(clock), pcm, "vi", clock=clock, sleep=clock.sleep)
    assert run.final_s == pytest.approx(9 * 0.05 + 0.15 + 0.25)  # backlog of 9 chunks + last chunk + final pass


def test_not_realtime_feeds_without_waiting_and_times_the_last_chunk_and_the_final_pass():
    clock = Clock()
    engine = Recorder(clock)
    run = stream_like_microphone(engine, bytes(5 * MIC_CHUNK), "vi", realtime=False, clock=clock, sleep=clock.sleep)
    assert {at for at, _ in engine.arrivals} == {100.0} and run.final_s == pytest.approx(0.25)


def test_one_pass_uses_transcribe_pcm_when_the_engine_has_it():
    clock = Clock()

    class Whole(Recorder):
        def transcribe_pcm(self, pcm: bytes, language: str) -> Transcript:
            self.clock.now += 0.5
            return Transcript(language, "x", 0.9)

    assert one_pass_s(Whole(clock), bytes(MIC_CHUNK), "vi", clock=clock) == pytest.approx(0.5)
    streamed = Recorder(clock)
    assert one_pass_s(streamed, bytes(3 * MIC_CHUNK), "vi", clock=clock) == pytest.approx(0.25)
    assert len(streamed.arrivals) == 3  # no transcribe_pcm: the chunks go through a stream, no waiting


def test_cer_is_scored_like_the_readme_figures():
    assert cer("And so, my fellow Americans.", "and so my fellow americans") == 0
    assert cer("なぜですか。", "なぜですか") == 0
    assert cer("abcd", "") == 1
    assert pooled_cer([("abcd", ""), ("ab", "ab")]) == pytest.approx(4 / 6)  # weighted by reference length


def test_every_plan_measures_speech_on_every_bundled_clip_at_speaking_pace():
    for quick in (True, False):
        plan = Plan.make(quick)
        assert plan.clips_per_language is None and plan.realtime and plan.speech_runs >= 1


def test_the_speech_line_counts_every_clip_of_the_language(tmp_path):
    settings = load_settings(tmp_path, env={"KIOSK_LANGUAGES": "vi,ja"})
    vi = clips("vi")
    stt = FakeSpeechToText({"vi": vi[0].transcript, "ja": "なぜですか。"})
    plan = replace(Plan.make(quick=True, probes=False), realtime=False)
    bench = Bench(settings, plan=plan, speech=InstalledSpeech(settings, stt))
    [line] = bench.stt_line("vi", True)
    assert (line.kind, line.subject) == ("stt", "vi") and line.values["clips"] == len(vi) >= 5
    assert line.values["runs"] == len(vi) and stt.used.count("vi") == 2 * len(vi)  # one whole pass + one streamed
    assert line.values["cer"] == pytest.approx(pooled_cer([(c.transcript, vi[0].transcript) for c in vi]))
    assert "speech end → final text p95" in line.target


@pytest.mark.slow
def test_whisper_vietnamese_over_all_five_clips(tmp_path):
    """The README's Vietnamese figure is over five clips; one garbled clip alone would read CER 1.0."""
    settings = load_settings(tmp_path, env={"KIOSK_LANGUAGES": "vi,ja"})
    plan = replace(Plan.make(quick=True, probes=False), realtime=False)  # the same calls, without the waiting
    [line] = Bench(settings, plan=plan).stt_line("vi", True)
    assert line.note == "whisper: faster-whisper-base (PyPI)" and line.values["clips"] == 5
    assert 0 < line.values["cer"] < 1 and line.verdict in (T.PASS, T.FAIL)
    assert line.values["p95_s"] >= line.values["p50_s"] > 0 and line.values["rtf"] > 0
