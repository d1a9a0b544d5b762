"""Nothing at import time; every raised error code is documented."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from kiosk.errors import CODES

REPO = Path(__file__).resolve().parent.parent
HEAVY = ["vosk", "ctranslate2", "sentencepiece", "kivy", "pyttsx3", "sqlalchemy", "matplotlib", "argostranslate",
         "sounddevice", "psycopg", "alembic", "pykakasi", "faster_whisper", "onnxruntime", "opencc", "tokenizers"]


def _run(code: str, tmp_path: Path) -> tuple[str, Path]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "d"), "XDG_CACHE_HOME": str(home / "c"),
           "XDG_CONFIG_HOME": str(home / "f"), "KIOSK_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout, home


def test_cli_and_core_import_nothing_heavy(tmp_path):
    code = (
        "import json, sys\n"
        "import kiosk.cli, kiosk.pipeline.conversation, kiosk.doctor, kiosk.ui, kiosk.session\n"
        "kiosk.cli.build_parser()\n"
        f"print(json.dumps(sorted(h for h in {HEAVY!r} if h in sys.modules)))\n"
    )
    stdout, home = _run(code, tmp_path)
    assert json.loads(stdout.strip().splitlines()[-1]) == []
    assert list(home.rglob("*")) == []


def test_importing_every_module_creates_no_files(tmp_path):
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts)
        for p in (REPO / "kiosk").rglob("*.py")
        if "migrations" not in p.parts and p.name != "__main__.py" and "ui" not in p.relative_to(REPO).parts
    )
    code = "import importlib\n" + f"for m in {modules!r}: importlib.import_module(m)\n"
    _, home = _run(code, tmp_path)
    assert list(home.rglob("*")) == []
    assert not (tmp_path / "data").exists()


def test_every_raised_error_code_is_documented():
    pattern = re.compile(r"KioskError\(\s*[\"']([a-z_]+\.[a-z_]+)[\"']")
    raised = set()
    for path in (REPO / "kiosk").rglob("*.py"):
        raised |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert raised, "no codes found"
    assert sorted(raised - set(CODES)) == []


def test_error_codes_are_stable_dotted_names():
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", c) for c in CODES)


CORE_AREAS = ("engines", "pipeline", "packs", "content", "stats")


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_areas_do_not_import_the_ui():
    offenders = {
        str(path.relative_to(REPO)): sorted(
            m for m in _imported_modules(path) if m == "kiosk.ui" or m.startswith(("kiosk.ui.", "kivy"))
        )
        for area in CORE_AREAS
        for path in (REPO / "kiosk" / area).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
