"""Tiny, real Argos Translate packs for tests: a SentencePiece model trained on a
few hundred lines and a random-weight CTranslate2 transformer, in the real
``.argosmodel`` layout::

    <from>_<to>/                    (the single top-level folder of the zip)
      metadata.json                 package_version, argos_version, from/to code+name, ...
      model/                        CTranslate2: model.bin, config.json, shared_vocabulary.json
      sentencepiece.model
      README.md

The model is random, so its "translations" are nonsense, but it is a real
transformer that CTranslate2 and argostranslate load and run.  Two weight
tricks make it behave like a usable model:

* a "clock": dimension 0 of the decoder's position table grows with the
  position, no layer writes into that dimension, and the end-of-sentence row
  of the output projection reads it, so
  every output is non-empty and ends after some tokens with the ordinary
  decoding settings (no min/max length needed).  The end-of-sentence bias is
  calibrated at build time (a few build/measure rounds) so the mean output on
  corpus sentences is 12..30 pieces, whatever the model size;
* strong cross-attention, so different inputs give different outputs;
* only pieces seen in the target language's corpus lines can be produced (the
  others, specials and byte-fallback pieces get a -30 logit bias), so an en→ja
  pack writes Japanese-looking nonsense.

Everything is deterministic for a given ``seed`` and direction.  Building one
pack takes well under a second; the SentencePiece model is trained once per
process (``lru_cache``).  Session-scoped pytest fixtures are in
``tests/support/mt_fixtures.py``.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "mt"
COLUMNS = {"en": "eng_Latn", "ja": "jpn_Jpan", "vi": "vie_Latn", "zh": "zho_Hans", "ko": "kor_Hang"}
NAMES = {"en": "English", "ja": "Japanese", "vi": "Vietnamese", "zh": "Chinese", "ko": "Korean"}

D_MODEL = 64
HEADS = 4
FFN = 128
LAYERS = 2
MAX_POSITIONS = 1024
SPECIALS = ["<unk>", "<blank>", "<s>", "</s>"]  # OpenNMT-py order, as in real Argos packs


def corpus_lines() -> list[str]:
    """Every sentence of tests/data/mt/*.tsv, all five languages (a few hundred lines)."""
    lines: list[str] = []
    for name in ("flores_sample.tsv", "kiosk_lines.tsv"):
        with open(DATA / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                lines.extend(row[col] for col in COLUMNS.values())
    return lines


def corpus_sentences(lang: str) -> list[str]:
    """The corpus sentences of one language (for tests and benchmarks)."""
    out: list[str] = []
    for name in ("kiosk_lines.tsv", "flores_sample.tsv"):
        with open(DATA / name, encoding="utf-8", newline="") as f:
            out.extend(row[COLUMNS[lang]] for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return out


@functools.cache
def sentencepiece_model_bytes(vocab_size: int = 2400) -> bytes:
    """A unigram SentencePiece model (byte fallback, coverage 0.9995) trained on the corpus."""
    import sentencepiece as spm

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines()),
        model_writer=out,
        vocab_size=vocab_size,
        character_coverage=0.9995,
        model_type="unigram",
        byte_fallback=True,
        num_threads=1,
        minloglevel=2,
    )
    return out.getvalue()


def _vocabulary(sp_bytes: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    return SPECIALS + [p for p in pieces if p not in SPECIALS]


def _seed_for(from_code: str, to_code: str, seed: int) -> int:
    return zlib.crc32(f"{from_code}-{to_code}-{seed}".encode()) & 0x7FFFFFFF


def _sinusoids(length: int, depth: int):
    import numpy as np

    pos = np.arange(length, dtype=np.float32)[:, None]
    inv = 1.0 / (10000 ** (np.arange(0, depth, 2, dtype=np.float32) / depth))
    pe = np.zeros((length, depth), dtype=np.float32)
    pe[:, 0::2] = np.sin(pos * inv)
    pe[:, 1::2] = np.cos(pos * inv)
    return pe


def _target_pieces(sp_bytes: bytes, to_code: str) -> set[str]:
    """The pieces SentencePiece uses for the target language's corpus sentences."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    pieces: set[str] = set()
    for line in corpus_sentences(to_code) if to_code in COLUMNS else []:
        pieces.update(sp.encode(line, out_type=str))
    return {p for p in pieces if not (p.startswith("<0x") and p.endswith(">"))}


def _fill_model_spec(vocab: list[str], rng, allowed: set[str], copy_unknowns: bool = False):
    """A TransformerSpec with every weight set (random, plus the tricks above)."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    d, v = D_MODEL, len(vocab)
    eos = vocab.index("</s>")

    def rand(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale / np.sqrt(shape[-1])).astype(np.float32)

    def norm(spec):
        spec.gamma = np.ones(d, dtype=np.float32)
        spec.beta = np.zeros(d, dtype=np.float32)

    def linear(spec, out_dim, in_dim, scale=1.0):
        spec.weight = rand(out_dim, in_dim, scale=scale)
        spec.bias = np.zeros(out_dim, dtype=np.float32)

    def attention(spec, self_attention, out_scale):
        norm(spec.layer_norm)
        if self_attention:
            linear(spec.linear[0], 3 * d, d)
        else:
            linear(spec.linear[0], d, d)
            linear(spec.linear[1], 2 * d, d)
        linear(spec.linear[-1], d, d, scale=out_scale)
        spec.linear[-1].weight[0] = 0.0  # never write into the clock dimension

    def ffn(spec):
        norm(spec.layer_norm)
        linear(spec.linear_0, FFN, d)
        linear(spec.linear_1, d, FFN, scale=0.3)
        spec.linear_1.weight[0] = 0.0

    spec = transformer_spec.TransformerSpec.from_config((LAYERS, LAYERS), HEADS)
    enc, dec = spec.encoder, spec.decoder

    enc.embeddings[0].weight = rand(v, d)  # std 1/sqrt(d); x sqrt(d) at run time
    enc.position_encodings.encodings = _sinusoids(MAX_POSITIONS, d)
    norm(enc.layer_norm)
    for layer in enc.layer:
        attention(layer.self_attention, True, out_scale=0.5)
        ffn(layer.ffn)

    emb = rand(v, d)
    emb[:, 0] = 0.0  # dimension 0 is the clock
    dec.embeddings.weight = emb
    pe = _sinusoids(MAX_POSITIONS, d)
    pe[:, 0] = 0.25 * np.arange(MAX_POSITIONS, dtype=np.float32)
    dec.position_encodings.encodings = pe
    norm(dec.layer_norm)
    for layer in dec.layer:
        attention(layer.self_attention, True, out_scale=0.3)
        attention(layer.attention, False, out_scale=2.0)  # strong cross-attention: output depends on input
        ffn(layer.ffn)

    proj = rand(v, d, scale=4.0)  # peaky distribution: a confident (if random) model
    proj[:, 0] = 0.0
    proj[eos] = 0.0
    proj[eos, 0] = 9.0  # EOS logit rises with the clock
    bias = np.zeros(v, dtype=np.float32)
    bias[eos] = -14.0  # a starting point; build_argos_pack_dir calibrates it
    for i, piece in enumerate(vocab):
        if piece != "</s>" and allowed and piece not in allowed:
            bias[i] = -30.0  # only the target language's pieces: no specials, no raw bytes
    if copy_unknowns:  # a model that writes <unk> (CTranslate2 then copies the source token it attends to)
        bias[vocab.index("<unk>")] = 20.0
    dec.projection.weight = proj
    dec.projection.bias = bias

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    return spec


MIN_LENGTH, MAX_LENGTH = 12.0, 30.0


def _mean_output_length(folder: Path, from_code: str) -> float:
    """Mean output length (pieces) on a few corpus sentences, with argostranslate's settings."""
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    lang = from_code if from_code in COLUMNS else "en"
    source = [sp.encode(s, out_type=str) for s in corpus_sentences(lang)[:8]]
    translator = ctranslate2.Translator(str(folder / "model"), compute_type="int8", intra_threads=1)
    results = translator.translate_batch(source, beam_size=2, length_penalty=0.2, max_decoding_length=80)
    return sum(len(r.hypotheses[0]) for r in results) / len(results)


def build_argos_pack_dir(
    dest_dir: Path,
    from_code: str,
    to_code: str,
    *,
    version: str = "1.0",
    seed: int = 0,
    target_prefix: str = "",
    folder_name: str | None = None,
    copy_unknowns: bool = False,
) -> Path:
    """Build an extracted Argos package folder ``dest_dir/<from>_<to>`` and return it.

    ``copy_unknowns``: the model writes ``<unk>`` tokens only, so with ``replace_unknowns``
    its output copies source tokens (a stand-in for a real model copying a name through)."""
    import numpy as np

    dest_dir = Path(dest_dir)
    folder = dest_dir / (folder_name or f"translate-{from_code}_{to_code}-{version.replace('.', '_')}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sp_bytes = sentencepiece_model_bytes()
    (folder / "sentencepiece.model").write_bytes(sp_bytes)

    vocab, allowed = _vocabulary(sp_bytes), _target_pieces(sp_bytes, to_code)
    shift = 0.0
    for _attempt in range(8):  # calibrate the end-of-sentence bias: mean output 12..30 pieces
        rng = np.random.default_rng(_seed_for(from_code, to_code, seed))
        spec = _fill_model_spec(vocab, rng, allowed, copy_unknowns)
        spec.decoder.projection.bias[vocab.index("</s>")] += shift
        spec.validate()
        spec.optimize(quantization="int8")
        if (folder / "model").exists():
            shutil.rmtree(folder / "model")
        (folder / "model").mkdir()
        spec.save(str(folder / "model"))
        length = _mean_output_length(folder, from_code)
        if MIN_LENGTH <= length <= MAX_LENGTH:
            break
        shift += 4.0 * max(1.0, abs(length - 20.0) / 6.0) * (1 if length > MAX_LENGTH else -1)

    metadata = {
        "package_version": version,
        "argos_version": "1.5",
        "from_code": from_code,
        "from_name": NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": NAMES.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2, ensure_ascii=False), encoding="utf-8")
    (folder / "README.md").write_text(
        f"# Tiny test pack {from_code}→{to_code}\n\nRandom weights, for tests only (seed {seed}).\n",
        encoding="utf-8",
    )
    return folder


def zip_pack_dir(folder: Path, archive: Path) -> Path:
    """Zip an extracted pack folder into ``archive`` (one top-level folder, like real packs)."""
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(folder, folder.name + "/")
        for path in sorted(folder.rglob("*")):
            arcname = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            zf.write(path, arcname + ("/" if path.is_dir() else ""))
    return archive


def build_argos_pack(
    dest_dir: Path,
    from_code: str,
    to_code: str,
    *,
    version: str = "1.0",
    seed: int = 0,
    target_prefix: str = "",
) -> Path:
    """Build ``dest_dir/translate-<from>_<to>-<version>.argosmodel`` (a zip) and return its path."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    name = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(dir=dest_dir, prefix=".build-") as tmp:
        folder = build_argos_pack_dir(
            Path(tmp), from_code, to_code, version=version, seed=seed, target_prefix=target_prefix, folder_name=name
        )
        return zip_pack_dir(folder, dest_dir / f"{name}.argosmodel")


# ------------------------------------------------------------------ broken variants
def truncated_copy(archive: Path, dest: Path, keep_fraction: float = 0.5) -> Path:
    """A copy of ``archive`` cut to ``keep_fraction`` of its bytes (not a readable zip)."""
    data = Path(archive).read_bytes()
    Path(dest).write_bytes(data[: max(1, int(len(data) * keep_fraction))])
    return Path(dest)


def corrupt_copy(archive: Path, dest: Path) -> Path:
    """A copy with bytes flipped in the middle: still a zip directory, but a member fails its CRC."""
    data = bytearray(Path(archive).read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = max(zf.infolist(), key=lambda i: i.compress_size)  # model/model.bin
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    for i in range(start, start + 64):
        data[i] ^= 0xFF
    Path(dest).write_bytes(bytes(data))
    return Path(dest)


def break_pack_dir(folder: Path, how: str = "model") -> Path:
    """Damage an extracted pack in place: ``model`` (truncate model.bin), ``metadata``
    (invalid JSON), ``sentencepiece`` (garbage tokenizer), or ``missing_model`` (no model/)."""
    folder = Path(folder)
    if how == "model":
        bin_path = folder / "model" / "model.bin"
        bin_path.write_bytes(bin_path.read_bytes()[:100])
    elif how == "metadata":
        (folder / "metadata.json").write_text("{not json", encoding="utf-8")
    elif how == "sentencepiece":
        (folder / "sentencepiece.model").write_bytes(b"not a sentencepiece model")
    elif how == "missing_model":
        shutil.rmtree(folder / "model")
    else:
        raise ValueError(how)
    return folder
