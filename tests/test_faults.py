"""Issue 13: fault injection.  A full disk (a real small tmpfs where the tests may mount one, otherwise an
injected ENOSPC) during statistics writes and pack installs, a read-only data dir, and SIGTERM / SIGKILL of
the real app in the middle of a turn.  (Full disk during exports and reports: tests/test_robust_output.py;
a damaged database at start: tests/test_robust_stats.py.)"""

from __future__ import annotations

import datetime as dt
import os
import queue
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.stats.health import open_for_app, start_stats
from tests.support.faults import enospc, fill, small_disk
from tests.support.mt_fixtures import tiny_pack_archives  # noqa: F401
from tests.support.stats_events import FakeClock, TurnSpec, conversation

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 12, 2, 12, 0)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ full disk: statistics writes
def test_statistics_on_a_disk_that_fills_up_never_break_a_visit(tmp_path, monkeypatch):
    with small_disk(tmp_path / "disk", 1024) as disk:
        settings = load_settings((disk or tmp_path / "disk") / "data", env={})
        recorder, problem = start_stats(settings, NOW)
        assert problem is None
        recorder.writer.backoff_s = 0.0
        clock = FakeClock(NOW)
        conversation(recorder, clock, (TurnSpec(),))  # one visit written
        assert recorder.flush(30)
        if disk is not None:
            fill(disk)
        else:
            monkeypatch.setattr(recorder.store, "add_session", enospc)
        for _ in range(3):  # the visits go on; their counts are dropped and counted, never raised
            conversation(recorder, clock, (TurnSpec(),))
        assert recorder.flush(30)
        assert recorder.dropped == 3
        recorder.close()
        if disk is not None:
            for f in disk.glob("filler*"):
                f.unlink()
        state = open_for_app(settings, NOW)  # the counts written before are intact
        assert state.available and state.store.session_count() == 1
        state.store.close()


# ------------------------------------------------------------------ full disk: pack installs
def test_a_pack_install_on_a_full_disk_changes_nothing(tmp_path, capsys, tiny_pack_archives, monkeypatch):  # noqa: F811
    with small_disk(tmp_path / "disk", 512) as disk:
        data = (disk or tmp_path / "disk") / "data"
        if disk is None:
            monkeypatch.setattr("kiosk.packs.archive.shutil.copyfileobj", enospc)
        code, out, err = run(capsys, "--data-dir", str(data), "packs", "install", "--allow-unknown",
                             str(tiny_pack_archives[("en", "ja")]))
        text = (out + err).strip()
        assert code == 1 and "Traceback" not in text
        assert "[pack.disk_full]" in text, text
        mt = data / "packs" / "mt"
        assert not mt.exists() or [p.name for p in mt.iterdir()] == []  # no half pack, no debris


# ------------------------------------------------------------------ read-only data dir
@pytest.fixture
def readonly_data(tmp_path, tiny_pack_archives):  # noqa: F811
    with small_disk(tmp_path / "ro", 8192) as disk:
        if disk is None:
            pytest.skip("needs a mountable tmpfs to make a read-only data dir (root ignores chmod)")
        data = disk / "data"
        settings = load_settings(data, env={})
        recorder, _ = start_stats(settings, NOW)
        conversation(recorder, FakeClock(NOW), (TurnSpec(),))
        recorder.close()
        recorder.store.close()  # no open file may stay writable for the remount
        r = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True, check=False)
        if r.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {r.stderr.strip()}")
        yield data


def test_a_read_only_data_dir(readonly_data, capsys, tiny_pack_archives):  # noqa: F811
    settings = load_settings(readonly_data, env={})
    recorder, problem = start_stats(settings, NOW)  # the app starts: statistics off, staff told why
    assert recorder is None and problem.code == "stats.bad_database"  # not "damaged": nothing is moved
    assert problem.message.endswith("on a disk that is mounted writable. Statistics are off until this is fixed.")
    assert (readonly_data / "stats.sqlite3").exists()  # nothing moved, nothing deleted
    code, out, err = run(capsys, "--data-dir", str(readonly_data), "packs", "install", "--allow-unknown",
                         str(tiny_pack_archives[("en", "ja")]))
    assert code == 1 and "Traceback" not in out + err
    code, _, err = run(capsys, "--data-dir", str(readonly_data), "stats", "summary")
    assert code in (0, 1) and "Traceback" not in err  # reading may work; writing never crashes
    code, _, err = run(capsys, "--data-dir", str(readonly_data), "doctor")
    assert "Traceback" not in err


# ------------------------------------------------------------------ SIGTERM / SIGKILL mid-turn (real app)
DRIVER = r"""
import sys, threading, time
from pathlib import Path

from kiosk.config import load_settings
from kiosk.ui import launch
from tests.support import ui as support

release = threading.Event()


class SlowTranslator:
    # the real fake translator, but each translation takes a while: the signal lands mid-turn
    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def translate(self, text, source, target):
        print("translating", flush=True)
        release.wait(30)  # an engine call that does not return soon (nothing releases it)
        Path(sys.argv[1], "translation-returned").touch()
        return self.inner.translate(text, source, target)


real_build = launch.build_app


def build(settings, **kw):
    kw.pop("microphone_factory", None)
    engines = support.fake_engines()
    engines = type(engines)(engines.stt, SlowTranslator(engines.translator), engines.tts)
    app = real_build(settings, engines=engines, **kw)
    from kivy.clock import Clock

    def talk(dt):
        if not app.model.session_id:
            return True
        app.session.submit_text("visitor", "Zqx blorp vortex 4711")
        return False

    Clock.schedule_once(lambda dt: app.pick_language("vi"), 0.3)
    Clock.schedule_interval(talk, 0.1)
    return app


launch.build_app = build
settings = load_settings(Path(sys.argv[1]), env={})
sys.exit(launch.run(settings))
"""


def _start(data: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "KIVY_"))}
    env.update(PYTHONPATH=str(ROOT), KIVY_NO_CONSOLELOG="1", SDL_VIDEODRIVER="offscreen")
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(data)], cwd=ROOT, text=True, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def _wait_for(proc: subprocess.Popen, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = proc.stdout.readline()
        if text in line:
            return
        if not line and proc.poll() is not None:
            break
    proc.kill()
    proc.wait()
    pytest.fail(f"the app never printed {text!r}")


def _sessions(data: Path) -> list[tuple]:
    con = sqlite3.connect(data / "stats.sqlite3")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return con.execute("select visitor_language, end_reason, turns from stats_sessions").fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_sigterm_mid_turn_exits_0_with_the_statistics_flushed(tmp_path):
    data = tmp_path / "data"
    proc = _start(data)
    _wait_for(proc, "translating")  # a turn is in the middle of its translation
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    took = time.monotonic() - sent
    print(f"SIGTERM mid-turn: exit 0 after {took:.2f} s")  # the figure in the README (no timing assertion)
    assert not (data / "translation-returned").exists()  # the exit did not wait for the stuck engine call
    [(lang, reason, turns)] = _sessions(data)
    assert (lang, reason, turns) == ("vi", "app_closed", 1)


@pytest.mark.slow
def test_sigkill_mid_turn_leaves_a_sound_database_and_the_next_start_works(tmp_path):
    data = tmp_path / "data"
    proc = _start(data)
    _wait_for(proc, "translating")
    proc.kill()
    proc.wait(timeout=60)
    if (data / "stats.sqlite3").exists():
        _sessions(data)  # integrity_check ok; the visit in progress is simply not counted
    state = open_for_app(load_settings(data, env={}), NOW)
    assert state.available and state.problem is None
    state.store.close()
    assert not list(data.glob("stats.sqlite3.damaged-*"))


# ------------------------------------------------------------------ SIGTERM while Kiwi loads (real app)
KIWI_DRIVER = r"""
import sys, threading
from pathlib import Path

import kiwipiepy

from kiosk import session
from kiosk.config import load_settings
from kiosk.pipeline.content_adapters import ContentPhrases
from kiosk.ui import launch
from tests.support import ui as support

closing = threading.Event()
RealKiwi, real_close, real_warm_up = kiwipiepy.Kiwi, session.SessionController.close, ContentPhrases.warm_up


class Kiwi(RealKiwi):
    # the real Korean analyser, loaded by the matcher's warm-up once the app has begun to close
    def __init__(self, *args, **kwargs):
        print("loading kiwi", flush=True)
        closing.wait(30)
        super().__init__(*args, **kwargs)


def warm_up(self, languages):
    real_warm_up(self, languages)
    print("warmed", *languages, flush=True)  # analyser loaded, first sentence analysed, index built


def close(self, *args, **kwargs):
    closing.set()
    real_close(self, *args, **kwargs)


real_build = launch.build_app


def build(settings, **kw):
    kw.pop("microphone_factory", None)
    app = real_build(settings, engines=support.fake_engines(), **kw)
    from kivy.clock import Clock

    Clock.schedule_once(lambda dt: app.pick_language("ko"), 0.3)  # the matcher warms Korean up: Kiwi loads
    return app


kiwipiepy.Kiwi, session.SessionController.close, ContentPhrases.warm_up = Kiwi, close, warm_up
launch.build_app = build
settings = load_settings(Path(sys.argv[1]), env={})  # staff language ja
sys.exit(launch.run(settings))
"""


@pytest.mark.slow
def test_sigterm_while_the_matcher_loads_kiwi_waits_for_it_and_exits_0(tmp_path):
    data, log = tmp_path / "data", tmp_path / "stderr.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "KIVY_"))}
    env.update(PYTHONPATH=str(ROOT), KIVY_NO_CONSOLELOG="1", SDL_VIDEODRIVER="offscreen")
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", KIWI_DRIVER, str(data)], cwd=ROOT, text=True, env=env,
                                stdout=subprocess.PIPE, stderr=err)
    lines: queue.Queue[str] = queue.Queue()  # every line, read by a thread (a select on a buffered pipe can stall)
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True)
    reader.start()
    try:
        while "loading kiwi" not in lines.get(timeout=120):  # the visitor picked Korean: the warm-up loads Kiwi
            pass
    except queue.Empty:
        proc.kill()
        pytest.fail("the app never began to load Kiwi")
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=90)
    took = time.monotonic() - sent
    reader.join(30)
    rest = "".join(lines.queue)
    print(f"SIGTERM while Kiwi loads: exit {proc.returncode} after {took:.2f} s")  # no timing assertion
    stderr = log.read_text(errors="replace")
    assert proc.returncode == 0, stderr[-2000:]
    for sign in ("Fatal Python error", "Aborted", "core dumped", "terminate called", "fatal runtime error"):
        assert sign not in stderr
    assert "warmed ko" in rest  # the app waited for the load instead of exiting under it
    assert _sessions(data) == [("ko", "app_closed", 0)]  # statistics flushed
