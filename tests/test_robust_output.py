"""Issue 13 (defect 6): --out into a missing folder, a folder, /dev/full or a full disk, and a closed pipe:
one error line with a stable code, the destination checked before the work, no partial file left."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest

import kiosk.core_commands as cc
from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.stats.store import SessionRecord, open_store
from tests.support.faults import enospc, fill, small_disk

FULL = "the disk is full. Free some space there or choose another place; nothing was kept."


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def stats_data(tmp_path):
    data = tmp_path / "data"
    with open_store(load_settings(data, env={})) as store:
        for i in range(6):
            store.add_session(SessionRecord("counter", "vi", "ja", dt.date(2026, 11, 2), 10, 0, turns=i))
    return data


@pytest.mark.parametrize("command", [
    ["speak", "--lang", "en", "hello"],
    ["stats", "export"],
    ["stats", "report"],
])
def test_out_into_a_missing_folder_is_refused_before_the_work(capsys, tmp_path, command):
    out = tmp_path / "no" / "such" / ("x.html" if "report" in command else "x.wav")
    code, stdout, err = run(capsys, "--data-dir", str(tmp_path / "d"), *command, "--out", str(out))
    assert (code, stdout) == (1, "")
    assert err == (f"error [output.bad_path]: The folder {out.parent} does not exist; create it first or choose "
                   "another place for --out.\n")
    assert not (tmp_path / "d" / "stats.sqlite3").exists()  # nothing was computed


def test_out_into_a_folder(capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "speak", "--lang", "en", "hi", "--out", str(tmp_path))
    assert (code, err) == (1, f"error [output.bad_path]: {tmp_path} is a folder; give --out a file name.\n")


def test_converse_checks_out_before_running_the_pipeline(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(cc, "_engines", lambda s: pytest.fail("the pipeline ran"))
    out = tmp_path / "missing" / "r.wav"
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "converse", "--from", "ko", "--to", "ja",
                       "whatever.wav", "--out", str(out))
    assert code == 1 and err.startswith("error [output.bad_path]: The folder ")


def test_speak_to_dev_full_is_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "speak", "--lang", "en", "hello", "--out", "/dev/full")
    assert (code, out, err) == (1, "", f"error [output.write_failed]: Could not write /dev/full: {FULL}\n")


@pytest.mark.parametrize("fmt", ["csv", "html", "pdf"])
def test_stats_output_on_a_full_disk_leaves_nothing(capsys, tmp_path, stats_data, monkeypatch, fmt):
    with small_disk(tmp_path / "disk", 64) as disk:
        if disk is None:  # no tmpfs here: inject the error the full disk would give
            disk = tmp_path / "disk"
            monkeypatch.setattr("kiosk.output.os.replace", enospc)
        else:
            fill(disk)
        out = disk / f"nov.{fmt}"
        cmd = ["stats", "export", "--out", str(out)] if fmt == "csv" else ["stats", "report", "--out", str(out)]
        code, _, err = run(capsys, "--data-dir", str(stats_data), *cmd)
        assert (code, err) == (1, f"error [output.write_failed]: Could not write {out}: {FULL}\n")
        assert not [p for p in disk.iterdir() if not p.name.startswith("filler")]


def test_packs_export_on_a_full_disk(capsys, tmp_path, tiny_pack_archives, monkeypatch):
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "packs", "install", "--allow-unknown",
               str(tiny_pack_archives[("en", "ja")]))[0] == 0
    with small_disk(tmp_path / "stick", 64) as disk:
        if disk is None:
            disk = tmp_path / "stick"
            monkeypatch.setattr("kiosk.packs.manage.shutil.disk_usage", lambda p: shutil._ntuple_diskusage(1, 1, 10))
        code, _, err = run(capsys, "--data-dir", str(data), "packs", "export", str(disk))
        err = err.strip()  # the progress bar ends its line
        assert code == 1 and err.startswith(f"error [pack.disk_full]: Not enough free space in {disk}: the packs need "
                                            "about ")
        assert err.count("\n") == 0 and list(disk.iterdir()) == []


def test_packs_export_write_error_midway_is_one_line(capsys, tmp_path, tiny_pack_archives, monkeypatch):
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "packs", "install", "--allow-unknown",
               str(tiny_pack_archives[("en", "ja")]))[0] == 0
    monkeypatch.setattr("kiosk.packs.manage.hash_file", enospc)
    code, _, err = run(capsys, "--data-dir", str(data), "packs", "export", str(tmp_path / "stick"))
    target = tmp_path / "stick" / "translate-en_ja-1_0.argosmodel"
    assert (code, err.strip().splitlines()[-1]) == (1, f"error [output.write_failed]: Could not write {target}: {FULL}")
    assert "Traceback" not in err
    assert list((tmp_path / "stick").iterdir()) == []


def test_packs_export_to_a_file(capsys, tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "packs", "export", str(f))
    assert (code, err.strip()) == (1, f"error [output.bad_path]: {f} is a file; give packs export a folder.")


def test_broken_pipe_is_quiet(tmp_path):
    """`kiosk packs list | head -1`: no traceback."""
    cmd = [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "content", "search", "--limit", "50", "a"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    p.wait(60)
    assert "Traceback" not in err and "Exception ignored" not in err, err


def test_stdout_on_a_full_disk(tmp_path):
    with open("/dev/full", "w") as full:
        p = subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "content", "stats"],
                           stdout=full, stderr=subprocess.PIPE, timeout=120, check=False)
    assert p.returncode == 1
    assert p.stderr.decode() == "error [output.write_failed]: Could not write the output (No space left on device).\n"
