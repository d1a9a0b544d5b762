"""Issue 13: the short soak.  50 turns through the real pipeline (Vosk on a real clip, tiny real CTranslate2
packs, espeak-ng to a file, statistics to SQLite); open file descriptors and threads must not grow.
The long run (2,000 turns, RSS too) is ``benchmarks/soak.py``; its figures are in the README."""

from __future__ import annotations

import pytest

from benchmarks.soak import run_soak


@pytest.mark.slow
def test_fifty_turns_leak_no_file_descriptors_or_threads(tmp_path):
    samples = run_soak(tmp_path / "data", turns=50, every=10, sample_every=10)
    warm, last = samples[1], samples[-1]  # after 10 turns: models loaded, writer thread started
    assert [s.turns for s in samples] == [1, 10, 20, 30, 40, 50]
    assert last.fds <= warm.fds + 2, samples
    assert last.threads <= warm.threads + 2, samples
    assert (tmp_path / "out" / "reply0.wav").stat().st_size > 1000  # real speech was written
