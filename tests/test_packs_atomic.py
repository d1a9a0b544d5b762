"""Interrupted installs (a real SIGKILL), the install lock, and leftover clean-up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.packs.lock import cleanup_debris, packs_lock
from kiosk.packs.manage import verify_installed
from kiosk.packs.registry import installed, stt_model_dirs
from tests.support.tiny_vosk import build_vosk_zip, make_installer, write_sha256

REPO = Path(__file__).resolve().parent.parent

# A child process that installs one speech pack and stops in the middle of the
# extraction: it says MIDWAY, then waits for a line on stdin (or to be killed).
CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from kiosk.config import load_settings
    from tests.support.tiny_vosk import make_installer

    settings = load_settings({data!r}, env={{}})
    paused = []

    def progress(done, total, label):
        if label.startswith("extracting") and 0 < done < total and not paused:
            paused.append(1)
            print("MIDWAY", flush=True)
            sys.stdin.readline()

    def waiting():
        print("WAITING", flush=True)

    [r] = make_installer(settings).install([{src!r}], progress=progress, on_wait=waiting)
    print("RESULT", r.ok, r.action, r.pack_id, flush=True)
""")


def child(settings, src: Path) -> subprocess.Popen:
    code = CHILD.format(repo=str(REPO), data=str(settings.data_dir), src=str(src))
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, cwd=REPO)


def stick(tmp_path: Path, seed: int, big: int = 0) -> Path:
    src = build_vosk_zip(tmp_path / f"usb{seed}", "vosk-model-small-ja-0.22", seed=seed, big_bytes=big)
    write_sha256(src)
    return src


def test_kill_9_in_the_middle_of_an_upgrade_leaves_the_old_pack(settings, tmp_path):
    old = stick(tmp_path, seed=1)
    assert make_installer(settings).install([old])[0].action == "installed"
    new = stick(tmp_path, seed=2, big=5 * 2**20)  # several 1 MiB chunks: the child stops after the first
    proc = child(settings, new)
    try:
        assert proc.stdout.readline().strip() == "MIDWAY"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    stt_root = settings.packs_dir / "stt"
    debris = [p.name for p in stt_root.iterdir() if p.name.startswith(".tmp-ja-")]
    assert len(debris) == 1  # the half-extracted folder is still there ...
    [pack] = [p for p in installed(settings) if p.language == "ja"]  # ... but nobody sees it
    assert pack.sha256 == (old.parent / (old.name + ".sha256")).read_text().split()[0]
    assert stt_model_dirs(settings)["ja"] == stt_root / "ja"
    assert all(r.ok for r in verify_installed(settings))
    # the next run cleans up and installs the new version
    [r] = make_installer(settings).install([new])
    assert (r.ok, r.action) == (True, "replaced")
    assert sorted(p.name for p in stt_root.iterdir()) == ["ja"]


def test_a_swap_cut_short_is_undone(settings, tmp_path):
    src = stick(tmp_path, seed=1)
    make_installer(settings).install([src])
    stt_root = settings.packs_dir / "stt"
    # what a crash between "old aside" and "new in" leaves: the slot gone, .old- and .tmp- present
    os.rename(stt_root / "ja", stt_root / ".old-ja-0badc0de")
    (stt_root / ".tmp-ja-12345678" / "am").mkdir(parents=True)
    assert stt_model_dirs(settings).get("ja") is None
    assert cleanup_debris(settings) == 2
    assert sorted(p.name for p in stt_root.iterdir()) == ["ja"]
    assert all(r.ok for r in verify_installed(settings))


def test_a_busy_lock_gives_pack_locked_without_waiting(settings, tmp_path):
    src = stick(tmp_path, seed=1)
    with packs_lock(settings):
        with pytest.raises(KioskError) as err:
            make_installer(settings).install([src], wait=False)
    assert (err.value.code, err.value.message) == (
        "pack.locked", "Another pack install or removal is running on this kiosk. Wait for it to finish, then try "
                       "again.")
    assert make_installer(settings).install([src], wait=False)[0].ok  # free again


def test_two_installs_at_once_are_serialised(settings, tmp_path):
    ja = stick(tmp_path, seed=1, big=2 * 2**20)
    zh = build_vosk_zip(tmp_path / "usbzh", "vosk-model-small-cn-0.22", big_bytes=2 * 2**20)
    write_sha256(zh)
    first = child(settings, ja)
    second = None
    try:
        assert first.stdout.readline().strip() == "MIDWAY"  # first holds the lock, mid-extraction
        second = child(settings, zh)
        assert second.stdout.readline().strip() == "WAITING"  # second found the lock taken
        first.stdin.write("go\n")
        first.stdin.flush()
        assert first.stdout.readline().split() == ["RESULT", "True", "installed", "vosk-model-small-ja-0.22"]
        # the second one had to wait, then ran its own install (it pauses midway too)
        assert second.stdout.readline().strip() == "MIDWAY"
        second.stdin.write("go\n")
        second.stdin.flush()
        assert second.stdout.readline().split() == ["RESULT", "True", "installed", "vosk-model-small-cn-0.22"]
    finally:
        for proc in (first, second):
            if proc is not None:
                proc.stdin.close()
                proc.wait()
    assert first.returncode == second.returncode == 0
    assert sorted(p.name for p in (settings.packs_dir / "stt").iterdir()) == ["ja", "zh"]
    assert all(r.ok for r in verify_installed(settings))


def test_threads_in_one_process_also_take_turns(settings, tmp_path):
    srcs = [stick(tmp_path, seed=s) for s in (1, 2, 3)]
    results = []
    threads = [threading.Thread(target=lambda s=s: results.extend(make_installer(settings).install([s]))) for s in srcs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.ok for r in results) == [True, True, True]
    assert sorted(p.name for p in (settings.packs_dir / "stt").iterdir()) == ["ja"]
    assert all(r.ok for r in verify_installed(settings))
