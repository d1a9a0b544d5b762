"""A command-line demo of the real engines, for machines without a display.

    python -m kiosk.demo [--data-dir DIR]

1. recognises one real recording in each of the five languages and says which
   engine heard it (Whisper base for ja/en/vi/zh, the Vosk Korean model for ko,
   unless settings or sideloaded models choose otherwise),
2. matches a staff sentence to the verified phrasebook and speaks it in Vietnamese (WAV),
3. runs speech → translation → speech (ko → ja) if translation packs are installed,
   otherwise says exactly which packs are missing.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

from kiosk.cli import main as cli_main
from kiosk.config import load_settings
from kiosk.engines.factory import build_engines
from kiosk.errors import KioskError
from kiosk.pipeline.content_adapters import load_lookups

REPO = Path(__file__).resolve().parent.parent
CLIP = REPO / "tests" / "data" / "audio" / "ko_01.wav"
# one clip per language (from the project's test audio): short, clear, everyday where possible
CLIPS = {"ja": "ja_02.wav", "en": "en_03.wav", "vi": "vi_03.wav", "zh": "zh_04.wav", "ko": "ko_01.wav"}


def _reference(clip: Path) -> str:
    with open(clip.parent / "transcripts.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["file"] in (clip.name, clip.stem):
                return row["transcript"]
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir")
    parser.add_argument("--out-dir", type=Path, help="where to write the demo WAV files (default: a temp dir)")
    args = parser.parse_args(argv)
    settings = load_settings(args.data_dir)
    out_dir = args.out_dir or Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print("kiosk demo — no display found, so this shows the engines on the command line.")
    print(f"(data dir: {settings.data_dir}; start the touchscreen app with `.venv/bin/kiosk app` on a display)\n")

    engines = build_engines(settings)
    phrases = load_lookups(settings).phrases
    status = 0

    print("1. Speech recognition: one real recording per language, and the engine that heard it")
    if CLIP.exists():
        for lang, name in CLIPS.items():
            clip = CLIP.parent / name
            try:
                t = engines.stt.transcribe_file(clip, lang)
                print(f"   {lang} [{engines.stt.label(lang)}]")
                print(f"      heard:     {t.text or '(nothing)'}   (confidence {t.confidence:.2f})")
                print(f"      reference: {_reference(clip)}")
            except KioskError as exc:
                print(f"   {lang} error [{exc.code}]: {exc.message}")
                status = 1
    else:
        print("   (the demo clips ship with the source checkout only)")

    print("\n2. Verified phrasebook (staff types Japanese; the resident hears Vietnamese)")
    staff_text = "少々お待ちください"
    if phrases is None:
        print("   content not loaded: run `kiosk content check`")
    else:
        hit = phrases.match(staff_text, "ja")
        if hit is None:
            print("   no phrasebook match")
        else:
            print(f"   staff typed: {staff_text}  → phrase {hit.entry_id} ({hit.similarity:.0f}% match)")
            print(f"   Vietnamese:  {hit.texts['vi']}")
            try:
                audio = engines.tts.synthesize(hit.texts["vi"], "vi", out_dir / "phrase_vi.wav")
                print(f"   spoken to {audio.path} ({audio.duration_s:.1f} s)")
            except KioskError as exc:
                print(f"   error [{exc.code}]: {exc.message}")
                status = 1

    print("\n3. Speech → translation → speech (Korean resident → Japanese staff)")
    try:
        route = engines.translator.route("ko", "ja")

        print(f"   route: {' → '.join(route)}")
        cli_main(["--data-dir", str(settings.data_dir), "converse", "--from", "ko", "--to", "ja", str(CLIP),
                  "--out", str(out_dir / "reply_ja.wav")])
    except KioskError as exc:
        print(f"   not possible yet [{exc.code}]: {exc.message}")
        print("   Translation packs are sideloaded (no network at run time): see README, 'Language packs'.")
    print(f"\nDemo files: {out_dir}")
    print("Next: `.venv/bin/kiosk doctor` shows everything installed and what is missing.")
    return status


if __name__ == "__main__":
    sys.exit(main())
