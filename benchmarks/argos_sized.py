"""Build random-weight packs with the *size* of real Argos Translate models.

Real Argos packs cannot be downloaded here, so speed is measured on models of
the same shape: an OpenNMT-py "transformer base" (6 encoder + 6 decoder
layers, d_model 512, 8 heads, FFN 2048) with a 32,000-piece shared
vocabulary, int8 — roughly what the Argos packs for our languages ship
(≈ 60–100 MB).  Weights are random (the tiny test-pack builder's tricks make
outputs 8–30 tokens long), so these numbers measure compute, not quality.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support import tiny_argos  # noqa: E402

VOCAB = 32000
EOS_BIAS = 10.0  # tuned so outputs are ~20-30 pieces, like a real translation of a 12-15-word sentence


def build(dest: Path, from_code: str, to_code: str, eos_bias: float | None = None) -> Path:
    eos_bias = EOS_BIAS if eos_bias is None else eos_bias
    folder = dest / f"translate-{from_code}_{to_code}-base"
    if (folder / "model" / "model.bin").exists():
        return folder
    saved = (tiny_argos.D_MODEL, tiny_argos.HEADS, tiny_argos.FFN, tiny_argos.LAYERS, tiny_argos._vocabulary,
             tiny_argos._fill_model_spec)
    real_vocab, real_fill = tiny_argos._vocabulary, tiny_argos._fill_model_spec

    def fill(vocab, rng, allowed, copy_unknowns=False):
        spec = real_fill(vocab, rng, allowed, copy_unknowns)
        spec.decoder.projection.bias[vocab.index("</s>")] = eos_bias
        return spec

    def padded(sp_bytes: bytes) -> list[str]:
        vocab = real_vocab(sp_bytes)
        return vocab + [f"▁pad{i}" for i in range(VOCAB - len(vocab))]

    try:
        tiny_argos.D_MODEL, tiny_argos.HEADS, tiny_argos.FFN, tiny_argos.LAYERS = 512, 8, 2048, 6
        tiny_argos._vocabulary, tiny_argos._fill_model_spec = padded, fill
        return tiny_argos.build_argos_pack_dir(dest, from_code, to_code, folder_name=folder.name)
    finally:
        (tiny_argos.D_MODEL, tiny_argos.HEADS, tiny_argos.FFN, tiny_argos.LAYERS, tiny_argos._vocabulary,
         tiny_argos._fill_model_spec) = saved
