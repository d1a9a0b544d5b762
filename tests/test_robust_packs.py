"""Issue 13 (defect 10): a crash between the two renames of a pack upgrade hid the pack until the next install
or remove, and `kiosk packs verify` said OK.  Now the marker decides which half to keep, at start and in verify."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from kiosk.cli import main
from kiosk.packs.lock import packs_lock, recover_on_start
from kiosk.packs.manage import verify_installed
from kiosk.packs.marker import read_marker
from kiosk.packs.registry import installed
from tests.support.tiny_argos import build_argos_pack_dir, zip_pack_dir
from tests.support.tiny_vosk import build_vosk_zip, make_installer, write_sha256

REPO = Path(__file__).resolve().parent.parent

# installs one pack and is killed (SIGKILL) right after the old version was set aside
CHILD = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {repo!r})
    import kiosk.packs.install as install
    from kiosk.config import load_settings
    from tests.support.tiny_vosk import make_installer

    real = os.rename
    def rename(a, b):
        real(a, b)
        if "/.old-" in str(b):
            os.kill(os.getpid(), signal.SIGKILL)  # the power goes between the two renames
    install.os.rename = rename
    make_installer(load_settings({data!r}, env={{}})).install([{src!r}])
""")


def stick(tmp_path: Path, seed: int) -> Path:
    src = build_vosk_zip(tmp_path / f"usb{seed}", "vosk-model-small-ja-0.22", seed=seed)
    write_sha256(src)
    return src


def crash_mid_swap(settings, tmp_path) -> tuple[str, str]:
    old, new = stick(tmp_path, 1), stick(tmp_path, 2)
    assert make_installer(settings).install([old])[0].ok
    old_sha = read_marker(settings.packs_dir / "stt" / "ja").sha256
    code = CHILD.format(repo=str(REPO), data=str(settings.data_dir), src=str(new))
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, timeout=300, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    root = settings.packs_dir / "stt"
    assert not (root / "ja").exists()  # the window: the pack is hidden ...
    assert [p for p in installed(settings) if p.language == "ja"] == []
    new_sha = (new.parent / (new.name + ".sha256")).read_text().split()[0]
    return old_sha, new_sha


def test_verify_sees_an_interrupted_upgrade_and_finishes_it(settings, tmp_path):
    _, new_sha = crash_mid_swap(settings, tmp_path)
    results = verify_installed(settings)
    [note] = [r for r in results if r.code == "pack.interrupted"]
    assert not note.ok
    assert note.message == (f"An upgrade of {note.pack_id} was interrupted; it was finished (version 0.22 kept). "
                            "Run kiosk packs verify again to check the files.")
    [pack] = [p for p in installed(settings) if p.language == "ja"]
    assert pack.sha256 == new_sha  # the verified new version was kept
    assert sorted(p.name for p in (settings.packs_dir / "stt").iterdir()) == ["ja"]
    assert all(r.ok for r in verify_installed(settings))


def test_recovered_at_start_the_old_half_when_the_new_one_is_incomplete(settings, tmp_path):
    old_sha, _ = crash_mid_swap(settings, tmp_path)
    root = settings.packs_dir / "stt"
    [tmp] = [p for p in root.iterdir() if p.name.startswith(".tmp-ja-")]
    (tmp / "kiosk-pack.json").unlink()  # not verified: keep the old version
    [r] = recover_on_start(settings)
    assert (r.kind, r.slot, r.kept) == ("stt", "ja", "old")
    [pack] = [p for p in installed(settings) if p.language == "ja"]
    assert pack.sha256 == old_sha
    assert sorted(p.name for p in root.iterdir()) == ["ja"]


def test_packs_list_recovers_and_says_so(settings, tmp_path, capsys):
    crash_mid_swap(settings, tmp_path)
    assert main(["--data-dir", str(settings.data_dir), "packs", "list"]) == 0
    out, err = capsys.readouterr()
    assert "vosk-model-small-ja-0.22" in out
    assert err.startswith("note: an interrupted upgrade of vosk-model-small-ja-0.22 was finished.")


def test_no_recovery_while_an_install_holds_the_lock(settings, tmp_path):
    crash_mid_swap(settings, tmp_path)
    with packs_lock(settings, wait=True):
        pass  # the lock's own clean-up recovers too (install/remove)
    assert [p for p in installed(settings) if p.language == "ja"]
    assert os.listdir(settings.packs_dir / "stt") == ["ja"]


# ------------------------------------------------------------------ defect 8: pack metadata, content search
def _pack_with_metadata(tmp_path, mutate) -> Path:
    folder = build_argos_pack_dir(tmp_path / "build", "en", "ja")
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    text = mutate(meta)
    (folder / "metadata.json").write_text(text if isinstance(text, str) else json.dumps(meta), encoding="utf-8")
    archive = zip_pack_dir(folder, tmp_path / "usb" / "odd.argosmodel")
    write_sha256(archive)
    return archive


def test_a_version_with_a_slash_is_refused(settings, tmp_path):
    archive = _pack_with_metadata(tmp_path, lambda m: m.update(package_version="1/../../x"))
    [r] = make_installer(settings).install([archive])
    assert (r.ok, r.code, r.message) == (False, "pack.invalid", "odd.argosmodel has an unusable package_version "
                                         "'1/../../x'; use letters, digits, '.', '_', '+' and '-' only. Nothing was "
                                         "installed.")


def test_a_deeply_nested_metadata_json_is_refused(settings, tmp_path):
    archive = _pack_with_metadata(tmp_path, lambda m: "[" * 100_000 + "]" * 100_000)
    [r] = make_installer(settings).install([archive])
    assert (r.ok, r.code, r.message) == (False, "pack.invalid", "odd.argosmodel has no readable metadata.json. Use "
                                         "a published Argos .argosmodel file.")


def test_content_search_limit_must_be_positive(capsys, tmp_path):
    assert main(["--data-dir", str(tmp_path), "content", "search", "--lang", "en", "--limit", "-1", "station"]) == 1
    assert capsys.readouterr().err == "error [cli.bad_argument]: --limit must be from 1 to 1000.\n"
