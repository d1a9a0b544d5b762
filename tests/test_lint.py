"""Style and types, checked by the test run: ruff over the whole tree, mypy on the core areas.

The rules live in pyproject.toml ([tool.ruff], [tool.mypy]); `ruff check --fix` repairs
what it can (import order, pyupgrade).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_is_clean():
    out = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]


def test_mypy_is_clean_on_engines_pipeline_stats_and_packs():
    out = _run("mypy")  # the files and options are in pyproject.toml
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
