"""Hostile and broken archives are refused with a clear code, and nothing changes."""

from __future__ import annotations

import errno
import os
import stat
import warnings
import zipfile
from pathlib import Path

import pytest

import kiosk.packs.install as install_mod
from kiosk.packs.archive import Limits, plan_zip
from kiosk.packs.registry import installed
from tests.support.tiny_argos import corrupt_copy, truncated_copy
from tests.support.tiny_vosk import build_vosk_dir, build_vosk_zip, make_installer, pack_tree, write_sha256


@pytest.fixture
def usb(tmp_path) -> Path:
    d = tmp_path / "usb"
    d.mkdir()
    return d


def _hostile_zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("vosk-model-small-ja-0.22/am/final.mdl", os.urandom(2048))
        zf.writestr("vosk-model-small-ja-0.22/conf/model.conf", "--beam=10\n")
        for info, data in entries:
            zf.writestr(info, data)
    write_sha256(path)
    return path


def _refused(settings, src, code, message, **kw):
    before = pack_tree(settings)
    [result] = make_installer(settings).install([src], **kw)
    assert (result.ok, result.action, result.code) == (False, "refused", code)
    assert result.message == message
    assert pack_tree(settings) == before  # nothing installed, no debris left
    return result


def test_parent_directory_entry_is_refused(settings, usb):
    src = _hostile_zip(usb / "evil.zip", [("vosk-model-small-ja-0.22/../../../etc/cron.d/evil", b"x")])
    _refused(settings, src, "pack.unsafe_archive",
             "evil.zip was refused: it holds an entry that points outside its folder (..). Nothing was installed; use "
             "the pack as its publisher released it.")


def test_absolute_path_entry_is_refused(settings, usb):
    src = _hostile_zip(usb / "evil.zip", [("/etc/evil.conf", b"x")])
    _refused(settings, src, "pack.unsafe_archive",
             "evil.zip was refused: it holds an entry with an absolute path. Nothing was installed; use the pack as "
             "its publisher released it.")


def test_symlink_entry_is_refused(settings, usb):
    link = zipfile.ZipInfo("vosk-model-small-ja-0.22/graph/HCLG.fst")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    src = _hostile_zip(usb / "evil.zip", [(link, b"/etc/shadow")])
    _refused(settings, src, "pack.unsafe_archive",
             "evil.zip was refused: it holds a symbolic link. Nothing was installed; use the pack as its publisher "
             "released it.")


def test_symlink_in_a_pack_folder_is_refused(settings, usb):
    folder = build_vosk_dir(usb, "vosk-model-small-ja-0.22")
    os.symlink("/etc/passwd", folder / "graph" / "words.txt")
    _refused(settings, folder, "pack.unsafe_archive",
             "vosk-model-small-ja-0.22 was refused: it holds a symbolic link (graph/words.txt). Nothing was installed; "
             "use the pack as its publisher released it.",
             allow_unknown=True)


def test_zip_bomb_ratio_is_refused(settings, usb):
    src = _hostile_zip(usb / "bomb.zip", [("vosk-model-small-ja-0.22/graph/HCLG.fst", bytes(64 * 2**20))])
    with zipfile.ZipFile(src) as zf:
        total = sum(i.file_size for i in zf.infolist())
        packed = sum(i.compress_size for i in zf.infolist())
    _refused(settings, src, "pack.too_large",
             f"bomb.zip was refused: it expands {total // packed} times its packed size (a zip bomb?). Nothing was "
             "installed.")


def test_total_size_limit(settings, usb):
    src = build_vosk_zip(usb, "vosk-model-small-ja-0.22", big_bytes=2 * 2**20)
    write_sha256(src)
    installer = make_installer(settings, limits=Limits(max_total_bytes=2**20))
    [result] = installer.install([src])
    assert (result.ok, result.code) == (False, "pack.too_large")
    assert (
        result.message
        == "vosk-model-small-ja-0.22.zip was refused: it would expand to 2 MB, more than the 1 MB allowed. Nothing was "
           "installed."
    )
    assert pack_tree(settings) == []


def test_truncated_archive_is_corrupt(settings, usb, tiny_pack_archives):
    src = truncated_copy(tiny_pack_archives[("ja", "en")], usb / "translate-ja_en-1_0.argosmodel")
    _refused(settings, src, "pack.corrupt",
             "translate-ja_en-1_0.argosmodel is damaged or incomplete (not a readable zip archive). Copy it again from "
             "the original source.",
             allow_unknown=True)


def test_not_a_zip_is_corrupt(settings, usb):
    src = usb / "notes.zip"
    src.write_text("hello", encoding="utf-8")
    _refused(settings, src, "pack.corrupt",
             "notes.zip is damaged or incomplete (not a readable zip archive). Copy it again from the original source.")


def test_flipped_bytes_fail_during_extraction_and_keep_the_installed_pack(settings, usb, tiny_pack_archives):
    good = tiny_pack_archives[("ja", "en")]
    [first] = make_installer(settings).install([good], allow_unknown=True)
    assert first.ok
    src = corrupt_copy(good, usb / "translate-ja_en-1_1.argosmodel")  # the catalogue's name: checksum differs
    [r] = make_installer(settings).install([src])
    assert (r.code, r.message) == ("pack.checksum_mismatch",
        "translate-ja_en-1_1.argosmodel does not match the checksum the catalogue lists for translate-ja_en-1_1. Copy "
        "it again from the source.")
    src = corrupt_copy(good, usb / "damaged.argosmodel")
    before = pack_tree(settings)
    [r] = make_installer(settings).install([src], allow_unknown=True)
    assert (r.ok, r.code) == (False, "pack.corrupt")
    assert pack_tree(settings) == before
    [pack] = [p for p in installed(settings) if p.kind == "mt"]
    assert pack.id == "translate-ja_en-1_0"


def test_disk_space_is_checked_first(settings, usb):
    src = build_vosk_zip(usb, "vosk-model-small-ja-0.22")
    write_sha256(src)
    total = plan_zip(src).total_bytes
    installer = make_installer(settings, disk_free=lambda path: 5 * 2**20)
    [r] = installer.install([src])
    need = round((total + 32 * 2**20) / 2**20)
    assert (r.ok, r.code) == (False, "pack.disk_full")
    assert r.message == (
        f"Not enough free disk space for vosk-model-small-ja-0.22.zip: it needs {need} MB, 5 MB are free. "
        "Remove unused packs (kiosk packs remove ID) or free space, then try again."
    )
    assert pack_tree(settings) == []


def test_neither_kind_is_invalid(settings, usb):
    src = usb / "photos.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("holiday/readme.txt", "hi")
    _refused(settings, src, "pack.invalid",
             "photos.zip is neither an Argos translation pack (metadata.json, model/) nor a Vosk speech model (am/, "
             "conf/) "
             "nor a faster-whisper model (model.bin, config.json, tokenizer.json, vocabulary). Nothing was installed.")


def test_duplicate_entries_are_refused(settings, usb):
    src = usb / "dup.zip"

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        src = _hostile_zip(src, [("vosk-model-small-ja-0.22/am/final.mdl", b"second copy")])
    _refused(settings, src, "pack.unsafe_archive",
             "dup.zip was refused: it holds the same file twice. Nothing was installed; use the pack as its publisher "
             "released it.")


def test_a_full_disk_during_extraction_changes_nothing(settings, usb, monkeypatch):
    src = build_vosk_zip(usb, "vosk-model-small-ja-0.22")
    write_sha256(src)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(install_mod, "extract", full)
    _refused(settings, src, "pack.disk_full",
             "The disk filled up while installing vosk-model-small-ja-0.22.zip; nothing was changed. "
             "Remove unused packs (kiosk packs remove ID) or free space, then try again.")
