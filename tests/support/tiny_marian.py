"""A tiny, real OPUS-MT release archive for tests: a random-weight Marian transformer
(``.npz`` with Marian's parameter names and its ``special:model.yml``), a Marian vocabulary
(``.vocab.yml``), ``source.spm`` / ``target.spm`` (SentencePiece trained on the test corpus),
``decoder.yml`` and an OPUS-MT-style README — the layout of ``ja-en/opus-2019-12-18.zip``.

CTranslate2's OpusMTConverter converts it like a real one.  The output projection is tied to
the embeddings (as in OPUS-MT); the end-of-sentence bias is set so outputs stay short.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import yaml

from tests.support.tiny_argos import NAMES, sentencepiece_model_bytes

D, FFN, HEADS, LAYERS = 32, 64, 2, 1
OPUS3 = {"ja": "jpn", "en": "eng", "vi": "vie", "zh": "cmn_Hans", "ko": "kor"}


def _vocab(sp_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    return ["</s>", "<unk>"] + [p for p in pieces if p not in ("</s>", "<unk>", "<s>")] + [
        f">>{c}<<" for c in OPUS3.values()]


def _weights(vocab: list[str], seed: int, eos_bias: float) -> dict:
    import numpy as np

    rng = np.random.default_rng(seed)

    def rand(*shape):
        return (rng.standard_normal(shape) / np.sqrt(shape[0])).astype(np.float32)

    w: dict = {"Wemb": rand(len(vocab), D)}

    def attention(prefix: str) -> None:
        for m in ("q", "k", "v", "o"):
            w[f"{prefix}_W{m}"] = rand(D, D)
            w[f"{prefix}_b{m}"] = np.zeros((1, D), np.float32)
        w[f"{prefix}_Wo_ln_scale"] = np.ones((1, D), np.float32)
        w[f"{prefix}_Wo_ln_bias"] = np.zeros((1, D), np.float32)

    def ffn(prefix: str) -> None:
        w[f"{prefix}_W1"], w[f"{prefix}_b1"] = rand(D, FFN), np.zeros((1, FFN), np.float32)
        w[f"{prefix}_W2"], w[f"{prefix}_b2"] = rand(FFN, D), np.zeros((1, D), np.float32)
        w[f"{prefix}_ffn_ln_scale"] = np.ones((1, D), np.float32)
        w[f"{prefix}_ffn_ln_bias"] = np.zeros((1, D), np.float32)

    for i in range(1, LAYERS + 1):
        attention(f"encoder_l{i}_self")
        ffn(f"encoder_l{i}_ffn")
        attention(f"decoder_l{i}_self")
        attention(f"decoder_l{i}_context")
        ffn(f"decoder_l{i}_ffn")
    bias = np.zeros((1, len(vocab)), np.float32)
    bias[0, 0] = eos_bias  # </s>
    bias[0, 1] = -30.0  # never <unk>
    w["decoder_ff_logit_out_b"] = bias
    config = {
        "type": "transformer", "enc-depth": LAYERS, "dec-depth": LAYERS, "transformer-heads": HEADS,
        "transformer-decoder-autoreg": "self-attention", "transformer-no-projection": False,
        "transformer-ffn-activation": "swish", "transformer-preprocess": "", "transformer-postprocess": "dan",
        "transformer-postprocess-emb": "d", "transformer-guided-alignment-layer": "last", "dim-emb": D,
        "tied-embeddings-all": True,
    }

    w["special:model.yml"] = np.frombuffer(yaml.safe_dump(config).encode() + b"\x00", dtype=np.int8)
    return w


def build_opus_mt_zip(dest_dir: Path, from_code: str, to_code: str, *, name: str = "opus-2019-12-18.zip",
                      seed: int = 3, eos_bias: float = 2.0, multi_target: bool = False) -> Path:
    """Write ``dest_dir/name``, an OPUS-MT release archive for from→to, and return its path."""
    import numpy as np

    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    sp_bytes = sentencepiece_model_bytes()
    vocab = _vocab(sp_bytes)
    model_name = "opus.spm32k-spm32k.transformer-align.model1.npz.best-perplexity.npz"
    vocab_name = "opus.spm32k-spm32k.vocab.yml"
    npz = dest_dir / f".{name}.npz"
    np.savez(npz, **_weights(vocab, seed, eos_bias))
    vocab_yml = "".join(f"{json.dumps(tok, ensure_ascii=False)}: {i}\n" for i, tok in enumerate(vocab))
    decoder = f"models:\n  - {model_name}\nvocabs:\n  - {vocab_name}\n  - {vocab_name}\nbeam-size: 4\n"
    targets = f"{OPUS3[to_code]} {OPUS3[to_code]}_Latn" if multi_target else OPUS3[to_code]
    readme = (f"# {name}\n\n* dataset: opus\n* model: transformer-align\n"
              f"* source language(s): {OPUS3[from_code]}\n* target language(s): {targets}\n"
              "* pre-processing: normalization + SentencePiece\n"
              + ("* a sentence initial language token is required in the form of `>>id<<` (id = valid target "
                 "language ID)\n" if multi_target else "")
              + f"* download: {name}\n\nTiny random-weight test model ({NAMES[from_code]}→{NAMES[to_code]}).\n")
    archive = dest_dir / name
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(npz, model_name)
        zf.writestr(vocab_name, vocab_yml)
        zf.writestr("source.spm", sp_bytes)
        zf.writestr("target.spm", sp_bytes)
        zf.writestr("decoder.yml", decoder)
        zf.writestr("README.md", readme)
        zf.writestr("LICENSE", "CC-BY 4.0 (test model)\n")
    npz.unlink()
    return archive
