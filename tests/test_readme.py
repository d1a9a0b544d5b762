"""The README's words are checked: its two commands, every `kiosk ...` it shows, every file it links."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
from pathlib import Path

import pytest

from kiosk.cli import build_parser

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_two_commands_exist_and_ci_runs_the_test_command():
    assert "    ./scripts/run.sh\n" in README and "    ./scripts/test.sh\n" in README
    for script in ("scripts/run.sh", "scripts/test.sh", "scripts/setup.sh", ".ci/run"):
        assert os.access(REPO / script, os.X_OK), script
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\./scripts/test\.sh\b", ci, re.M)
    test_sh = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "./scripts/setup.sh" in test_sh and "pytest" in test_sh


def _shown_commands() -> list[str]:
    cmds = re.findall(r"^    (kiosk [^\n#]+)", README, re.M)  # indented code lines
    cmds += re.findall(r"`(kiosk [^`]+)`", README)  # inline code
    out = []
    for c in cmds:
        c = c.strip().replace("\\|", "|")
        if "|" in c:  # "kiosk packs list|install|..." → each alternative
            head, _, alts = c.rpartition(" ")
            out += [f"{head} {a}" for a in alts.split("|")]
        else:
            out.append(c)
    return sorted(set(out))


COMMANDS = _shown_commands()


def test_readme_shows_commands():
    assert len(COMMANDS) > 15


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_in_the_readme_parses(command):
    argv = shlex.split(command)[1:]
    argv = [a for a in argv if a not in ("...", "PATH...")]
    parser = build_parser()
    # the sub-command and its options must be known: parse with --help appended to the deepest command
    words = [a for a in argv if not a.startswith("-") and a.replace("-", "_").isidentifier()]
    with pytest.raises(SystemExit) as exit_:
        parser.parse_args(
            words[:2] + ["--help"]
            if len(words) >= 2 and words[0] in ("packs", "content", "stats", "admin")
            else words[:1] + ["--help"]
        )
    assert exit_.value.code == 0
    # options used in the README exist in that command's help
    for opt in (a.split("=")[0] for a in argv if a.startswith("--")):
        if opt in ("--data-dir",):
            continue
        assert opt in _help(words), f"{opt} not in help of {command!r}"


def _help(words: list[str]) -> str:
    buf = io.StringIO()
    args = words[:2] if len(words) >= 2 and words[0] in ("packs", "content", "stats", "admin") else words[:1]
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit):
        build_parser().parse_args(args + ["--help"])
    return buf.getvalue()


def test_every_linked_file_exists():
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert links
    for link in links:
        assert (REPO / link).exists(), link
