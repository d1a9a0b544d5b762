"""The app logs at INFO by default, each line once (Kivy through Python logging, no second handler)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import logging
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")  # as kiosk.cli does
from kiosk.ui.launch import app_logging
app_logging()
from kivy.logger import Logger
Logger.info("Probe: kivy line")
logging.getLogger("kiosk.probe").info("kiosk line")
logging.getLogger("alembic.runtime.migration").info("migration chatter")
"""


def test_app_logs_at_info_each_line_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_")}
    env.update(PYTHONPATH=str(ROOT), KIVY_HOME=str(tmp_path / "kivy"), KIVY_NO_ARGS="1", SDL_VIDEODRIVER="offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stderr.splitlines()
    assert lines.count("INFO kivy: Probe: kivy line") == 1
    assert sum("Probe: kivy line" in line for line in lines) == 1  # not again from Kivy's own handler
    assert lines.count("INFO kiosk.probe: kiosk line") == 1
    assert not any("migration chatter" in line for line in lines)
    assert not (tmp_path / "kivy" / "logs").exists() or not any((tmp_path / "kivy" / "logs").iterdir())
