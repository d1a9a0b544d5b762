"""Translation speed (and, on real packs, quality) of kiosk.engines.argos_mt (not a test).

    .venv/bin/python benchmarks/bench_translate.py                 # tiny fixture packs
    .venv/bin/python benchmarks/bench_translate.py --sized         # Argos-sized random packs (argos_sized.py)
    .venv/bin/python benchmarks/bench_translate.py --packs DIR ... # real extracted Argos packs (folders or parents)

Prints, per route (direct and via English): model load time, and per-sentence
latency p50/p95 over FLORES-200 devtest sentences of about 15 tokens (rows
whose English side has 10–13 words; the table shows the mean number of source
pieces in the first pack's tokenizer), translated one at a time as the kiosk does.  With
real packs and ``sacrebleu`` installed it also prints chrF against the FLORES
references.  Tiny packs (2 layers, d_model 64) give a lower bound only: real
packs are ~100x larger.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.argos_sized import build
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.languages import directions
from tests.support.tiny_argos import build_argos_pack_dir

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FLORES = [
    REPO.parent / "shared" / "eval" / "flores200_devtest.tsv",
    REPO / "tests" / "data" / "mt" / "flores_sample.tsv",
]
COLUMNS = {"en": "eng_Latn", "ja": "jpn_Jpan", "vi": "vie_Latn", "zh": "zho_Hans", "ko": "kor_Hang"}
TINY_DIRECTIONS = (("ko", "en"), ("en", "ja"), ("ja", "en"), ("en", "vi"))


def flores_rows() -> list[dict[str, str]]:
    path = next(p for p in FLORES if p.is_file())
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def pick(rows, src: str, tgt: str, n: int) -> list[tuple[str, str]]:
    """(source, reference) pairs of rows whose English side has 10–13 words (~15 tokens)."""
    out = [(r[COLUMNS[src]], r[COLUMNS[tgt]]) for r in rows if 10 <= len(r["eng_Latn"].split()) <= 13]
    return out[:n]


def find_packs(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for p in paths:
        if (p / "metadata.json").is_file():
            found.append(p)
        else:
            found.extend(sorted(d for d in p.iterdir() if (d / "metadata.json").is_file()))
    return found


def routes_to_run(mt) -> list[tuple[str, str]]:
    direct, pivot = [], []
    for src, tgt in directions():
        try:
            route = mt.route(src, tgt)
        except Exception:
            continue
        (direct if len(route) == 2 else pivot).append((src, tgt))
    return direct + pivot


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packs", type=Path, nargs="*", help="extracted Argos pack folders, or folders holding them")
    ap.add_argument("--sized", action="store_true", help="Argos-sized random-weight packs instead of the tiny ones")
    ap.add_argument("-n", "--sentences", type=int, default=40, help="sentences per route (default 40)")
    ap.add_argument("--intra-threads", type=int, default=2)
    ap.add_argument("--inter-threads", type=int, default=1)
    ap.add_argument("--beam-size", type=int, default=2)
    ap.add_argument("--compute-type", default="int8")
    args = ap.parse_args()

    t0 = time.perf_counter()
    import ctranslate2  # noqa: F401  (timed apart from model loading)
    import sentencepiece  # noqa: F401

    imported = f"# import ctranslate2 + sentencepiece: {time.perf_counter() - t0:.2f} s"
    tmp = tempfile.TemporaryDirectory(prefix="bench-translate-")
    t0 = time.perf_counter()
    if args.packs:
        packs, kind = find_packs(args.packs), "given packs"
    elif args.sized:
        cache = Path(tempfile.gettempdir()) / "kiosk-argos-sized"
        packs = [build(cache, a, b) for a, b in (("ko", "en"), ("en", "ja"))]
        kind = "Argos-sized random-weight packs (6+6 layers, d_model 512, 32k vocab, int8)"
    else:
        packs = [build_argos_pack_dir(Path(tmp.name), a, b) for a, b in TINY_DIRECTIONS]
        kind = "tiny fixture packs (2+2 layers, d_model 64, random weights): a LOWER BOUND only"
    print(f"# {kind}; ready in {time.perf_counter() - t0:.1f} s")
    print(imported)
    print(f"# threads inter={args.inter_threads} intra={args.intra_threads}, beam {args.beam_size}, "
          f"compute {args.compute_type}; {args.sentences} FLORES sentences (10-13 English words) per route")

    mt = ArgosTranslator(packs, inter_threads=args.inter_threads, intra_threads=args.intra_threads,
                         compute_type=args.compute_type, beam_size=args.beam_size)
    try:
        import sacrebleu
    except ImportError:
        sacrebleu = None
    rows = flores_rows()
    quality = bool(args.packs)
    print(f"{'route':<14} {'load s':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'src pcs':>8} {'out pcs':>8}"
          + (f" {'chrF':>6}" if quality and sacrebleu else ""))
    for src, tgt in routes_to_run(mt):
        route = mt.route(src, tgt)
        t0 = time.perf_counter()
        mt.warm_up(src, tgt)  # loads only packs not loaded by an earlier route
        load = time.perf_counter() - t0
        pairs = pick(rows, src, tgt, args.sentences)
        if not pairs:
            continue
        mt.translate(pairs[0][0], src, tgt)  # first call warms caches
        latencies, hyps = [], []
        for source, _ref in pairs:
            t0 = time.perf_counter()
            hyps.append(mt.translate(source, src, tgt).text)
            latencies.append((time.perf_counter() - t0) * 1000)
        first, last = mt.packs[(route[0], route[1])].tokenizer, mt.packs[(route[-2], route[-1])].tokenizer
        src_pcs = statistics.mean(len(first.encode(s)) for s, _ in pairs)
        out_pcs = statistics.mean(len(last.encode(h)) for h in hyps)
        line = (f"{'→'.join(route):<14} {load:>7.2f} {statistics.median(latencies):>8.1f} "
                f"{pct(latencies, 0.95):>8.1f} {max(latencies):>8.1f} {src_pcs:>8.1f} {out_pcs:>8.1f}")
        if quality and sacrebleu:
            line += f" {sacrebleu.corpus_chrf(hyps, [[r for _, r in pairs]]).score:>6.1f}"
        print(line)
    if quality and not sacrebleu:
        print("# chrF skipped: sacrebleu is not installed")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
