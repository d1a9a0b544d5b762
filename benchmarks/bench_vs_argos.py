"""The kiosk's translator side by side with stock argostranslate (not a test).

    .venv/bin/python benchmarks/bench_vs_argos.py                 # Argos-sized random packs
    .venv/bin/python benchmarks/bench_vs_argos.py --packs DIR ... # real .argosmodel files
    .venv/bin/python benchmarks/bench_vs_argos.py --tiny          # the tiny test packs (quick)

One process, the same packs and settings (beam 2, int8, 1 × 2 threads: ARGOS_* for
argostranslate), the same sentences (~15-token FLORES-200 rows from kiosk/bench/data),
translated one at a time, alternating which side goes first.  argostranslate's MiniSBD
sentence splitter (which would download a model) is replaced by whole-sentence input, as
in tests/test_argos_mt.py.  Prints, per route, whether every output is identical and the
median time per sentence on each side with the ratio (stock / kiosk; > 1 means the kiosk
is faster).  argostranslate writes into a temporary HOME, never the real one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from benchmarks.argos_sized import build
from kiosk.bench.data import speed_sentences
from kiosk.engines.argos_mt import ArgosTranslator
from tests.support.tiny_argos import build_argos_pack_dir, zip_pack_dir

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

ROUTES = (("ko", "en"), ("en", "ja"), ("ko", "ja"))


def _sandbox(root: Path, beam: int, compute: str, intra: int) -> None:
    """Point argostranslate at a temporary home before it is imported (it creates folders there)."""
    for key, sub in (("HOME", "home"), ("XDG_DATA_HOME", "xdg-data"), ("XDG_CONFIG_HOME", "xdg-config"),
                     ("XDG_CACHE_HOME", "xdg-cache"), ("ARGOS_PACKAGES_DIR", "argos-packages")):
        (root / sub).mkdir(parents=True, exist_ok=True)
        os.environ[key] = str(root / sub)
    os.environ.update({"ARGOS_DEVICE_TYPE": "cpu", "ARGOS_BEAM_SIZE": str(beam), "ARGOS_COMPUTE_TYPE": compute,
                       "ARGOS_INTER_THREADS": "1", "ARGOS_INTRA_THREADS": str(intra)})


def _archives(args, work: Path) -> list[Path]:
    if args.packs:
        return [p for d in args.packs for p in (sorted(d.glob("*.argosmodel")) if d.is_dir() else [d])]
    if args.tiny:
        folders = [build_argos_pack_dir(work / "dirs", a, b) for a, b in (("ko", "en"), ("en", "ja"))]
    else:
        cache = Path(tempfile.gettempdir()) / "kiosk-argos-sized"
        folders = [build(cache, a, b) for a, b in (("ko", "en"), ("en", "ja"))]
    return [zip_pack_dir(f, work / f"{f.name}.argosmodel") for f in folders]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packs", type=Path, nargs="*", help=".argosmodel files or folders holding them")
    ap.add_argument("--tiny", action="store_true", help="tiny test packs instead of Argos-sized ones")
    ap.add_argument("-n", "--sentences", type=int, default=20)
    ap.add_argument("--beam-size", type=int, default=2)
    ap.add_argument("--compute-type", default="int8")
    ap.add_argument("--intra-threads", type=int, default=2)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-vs-argos-"))
    _sandbox(work / "sandbox", args.beam_size, args.compute_type, args.intra_threads)
    archives = _archives(args, work)

    ours_dirs = []
    for a in archives:
        with zipfile.ZipFile(a) as zf:
            zf.extractall(work / "ours")
            ours_dirs.append(work / "ours" / zf.namelist()[0].split("/")[0])
    ours = ArgosTranslator(ours_dirs, inter_threads=1, intra_threads=args.intra_threads,
                           compute_type=args.compute_type, beam_size=args.beam_size)

    import argostranslate.package as package
    import argostranslate.translate as translate

    for a in archives:
        package.install_from_path(a)

    class Whole:  # stands in for MiniSBD (which downloads a model): one sentence in, one out
        def __init__(self, *_args) -> None:
            pass

        def split_sentences(self, text: str) -> list[str]:
            return [text]

    translate.get_installed_languages()
    for item in translate.installed_translates:
        item.cached_translation.underlying.sentencizer = Whole()

    print(f"# {len(archives)} pack(s): {', '.join(a.name for a in archives)}")
    print(f"# beam {args.beam_size}, {args.compute_type}, 1 x {args.intra_threads} threads; "
          f"{args.sentences} sentences per route, one at a time, alternating order")
    print(f"{'route':<10} {'identical':>10} {'kiosk ms':>9} {'stock ms':>9} {'stock/kiosk':>12}")
    for src, tgt in ROUTES:
        try:
            ours.route(src, tgt)
        except Exception:  # noqa: BLE001 - a route the given packs do not serve
            continue
        sentences = speed_sentences(src, args.sentences)
        ours.translate(sentences[0], src, tgt)
        translate.translate(sentences[0], src, tgt)  # both warm
        t_ours, t_stock, same = [], [], 0
        for i, s in enumerate(sentences):
            runs = [("ours", lambda s=s, a=src, b=tgt: ours.translate(s, a, b).text),
                    ("stock", lambda s=s, a=src, b=tgt: translate.translate(s, a, b))]
            out = {}
            for name, fn in (runs if i % 2 == 0 else runs[::-1]):
                t0 = time.perf_counter()
                out[name] = fn()
                (t_ours if name == "ours" else t_stock).append(time.perf_counter() - t0)
            same += out["ours"] == out["stock"]
        k, st = statistics.median(t_ours) * 1000, statistics.median(t_stock) * 1000
        print(f"{src}→{tgt:<7} {same:>5}/{len(sentences):<4} {k:>9.1f} {st:>9.1f} {st / k:>11.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
