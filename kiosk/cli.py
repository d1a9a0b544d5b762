"""The ``kiosk`` command line: parse, call, print, exit code.

Exit codes: 0 success, 1 a KioskError (printed as ``error [code]: message``),
2 bad usage (argparse).  Each area registers its own sub-commands:
``kiosk.core_commands`` (translate, transcribe, speak, converse, doctor, app),
``kiosk.packs.commands``, ``kiosk.content.commands``, ``kiosk.stats.commands``,
``kiosk.bench.commands``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.config import Settings, default_data_dir, load_settings
from kiosk.errors import KioskError
from kiosk.output import is_write_error

_AREAS = ("kiosk.core_commands", "kiosk.packs.commands", "kiosk.content.commands", "kiosk.stats.commands",
          "kiosk.bench.commands", "kiosk.admin_commands")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Offline translation kiosk for service counters (ja, en, vi, zh, ko).",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data directory (packs, stats, settings); default: $KIOSK_DATA_DIR or the per-user data dir",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr (never visitor text)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in _AREAS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: "
                                                                                        "%(message)s")
    try:
        try:
            settings = load_settings(args.data_dir)
        except KioskError as exc:
            if exc.code != "config.invalid" or not getattr(args, "reports_config", False):
                raise
            settings = _fallback_settings(args.data_dir)  # `kiosk doctor` reports a bad setting and goes on
            args.config_error = exc

        os.environ.setdefault("MPLCONFIGDIR", str(settings.cache_dir / "matplotlib"))  # charts: nothing in $HOME
        code = int(args.func(args, settings) or 0)
        sys.stdout.flush()  # a full disk or closed pipe shows here, not as a traceback at exit
        return code
    except KioskError as exc:
        print(f"error [{exc.code}]: {printable(exc.message)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `kiosk packs list | head -1`: the reader has what it wanted
        _silence_stdout()
        return 141
    except OSError as exc:
        if not is_write_error(exc):
            raise
        _silence_stdout()
        print(f"error [output.write_failed]: Could not write the output ({exc.strerror}).", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def printable(text: str) -> str:
    """One line on a terminal: control characters (from a path or argument given) shown escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pytest's captured stdout has no file descriptor
        pass


def _fallback_settings(data_dir):
    """Defaults with the data dir asked for (so `doctor` can still look around after a config error)."""
    base = data_dir or os.environ.get("KIOSK_DATA_DIR")
    return Settings(data_dir=Path(base).expanduser() if base else default_data_dir())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
