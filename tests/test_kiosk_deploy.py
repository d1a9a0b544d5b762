"""Running as an unattended kiosk: the real app process fills the real screen (bare X server
and with a window manager), stops cleanly on SIGTERM with its statistics written, and the
shipped systemd unit starts it with a command line the CLI accepts."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import cli, config, core_commands
from kiosk.ui.display import parse_xdpyinfo, screen_size

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "deploy" / "kiosk.service"

DRIVER = r"""
import sys
from pathlib import Path

from kiosk.config import load_settings
from kiosk.ui import launch
from tests.support import ui as support

real_build = launch.build_app


def build(settings, **kw):
    kw.pop("microphone_factory", None)
    app = real_build(settings, engines=support.fake_engines(), **kw)
    from kivy.clock import Clock

    def started(dt):
        if app.model.session_id:
            print("session started", flush=True)
            return False
        return True

    Clock.schedule_once(lambda dt: app.pick_language("vi"), 0.5)  # a visitor is mid-conversation
    Clock.schedule_interval(started, 0.1)
    return app


launch.build_app = build
settings = load_settings(Path(sys.argv[1]), env={}).replace(mode="kiosk", fullscreen=True)
sys.exit(launch.run(settings))
"""


def _env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "KIVY_"))}
    env.update(PYTHONPATH=str(ROOT), KIVY_NO_CONSOLELOG="1", **extra)
    return env


def _wait_line(proc: subprocess.Popen, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if text in line:
            return
        if not line and proc.poll() is not None:
            break
    proc.kill()
    pytest.fail(f"the app never printed {text!r} (exit code {proc.poll()})")


@pytest.mark.slow
def test_sigterm_mid_conversation_exits_0_with_the_session_written(tmp_path):
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(data)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env(SDL_VIDEODRIVER="offscreen"))
    _wait_line(proc, "session started")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{data / 'stats.sqlite3'}")
    with engine.connect() as conn:
        rows = conn.execute(text("select mode, visitor_language, end_reason from stats_sessions")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("kiosk", "vi", "app_closed")]


# ------------------------------------------------------------------ the real screen (Xvfb)
def _xvfb(size: str):
    if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
        pytest.skip("Xvfb and xwininfo are installed by scripts/setup.sh")
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        number = f.readline().strip()
    return proc, f":{number}"


def _kiosk_window(display: str, app: subprocess.Popen, log: Path, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and app.poll() is None:
        out = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, env={"DISPLAY": display},
                             check=False).stdout.decode("utf-8", "replace")
        lines = [line for line in out.splitlines() if '"kiosk"' in line]
        if lines:
            return lines[0]
        time.sleep(0.5)
    pytest.fail(f"no kiosk window appeared (exit code {app.poll()}):\n{log.read_text()[-2000:]}")


@pytest.mark.slow
@pytest.mark.parametrize(("size", "window_manager"), [("1920x1200", None), ("1280x800", "matchbox-window-manager")])
def test_kiosk_window_fills_the_screen_then_sigterm_exits_0(tmp_path, size, window_manager):
    if window_manager and shutil.which(window_manager) is None:
        pytest.skip(f"{window_manager} is installed by scripts/setup.sh")
    xvfb, display = _xvfb(size)
    procs = [xvfb]
    try:
        if window_manager:
            procs.append(subprocess.Popen([window_manager, "-use_titlebar", "no"], env={"DISPLAY": display},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        log = (tmp_path / "app.log").open("w")
        app = subprocess.Popen([sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "data"), "app", "--kiosk"],
                               cwd=ROOT, env=_env(DISPLAY=display, SDL_VIDEODRIVER="x11"), stdout=log, stderr=log)
        procs.append(app)
        window = _kiosk_window(display, app, tmp_path / "app.log")
        assert f"{size}+0+0" in window, window
        time.sleep(1)  # let it draw a frame or two
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=60) == 0
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=30)


def test_xdpyinfo_dimensions_are_parsed():
    text = "screen #0:\n  dimensions:    1920x1200 pixels (508x317 millimeters)\n  resolution:    96x96 dots per inch"
    assert parse_xdpyinfo(text) == (1920, 1200)
    assert parse_xdpyinfo("no screen") is None


def test_headless_has_no_screen_to_fill(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "offscreen")
    assert screen_size() is None


# ------------------------------------------------------------------ systemd unit
def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def test_the_unit_starts_the_app_in_kiosk_mode_with_a_command_line_the_cli_accepts(monkeypatch, tmp_path):
    """ExecStart goes through the real ``kiosk.cli.main`` (argument parsing, settings, the app command);
    only the last step, opening the window, is replaced."""
    unit = _unit()
    service = unit["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[0] == "/opt/kiosk/.venv/bin/kiosk" and argv[1:] == ["--data-dir", "/var/lib/kiosk", "app", "--kiosk"]
    asked, ran = [], []
    real_load = config.load_settings
    monkeypatch.setattr(cli, "load_settings", lambda data_dir=None, **kw: asked.append(data_dir) or real_load(
        tmp_path, env={}))
    monkeypatch.setattr(core_commands, "run", lambda settings, size=None: ran.append((settings.mode, size)) or 0)
    assert cli.main(argv[1:]) == 0
    assert asked == ["/var/lib/kiosk"] and ran == [("kiosk", None)]
    assert core_commands.cmd_app  # the command the unit runs
    # stopped with SIGTERM (the app exits 0 on it), restarted if it ever dies, on the X display
    assert service.get("KillSignal", "SIGTERM") == "SIGTERM" and service["Restart"] in ("always", "on-failure")
    assert "DISPLAY=:0" in service["Environment"] and service["User"] == "kiosk"
    assert unit["Install"]["WantedBy"] == "graphical.target"
