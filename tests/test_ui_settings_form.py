"""The staff Settings tab and pack install as data (Kivy-free): every setting has a row or a
reason, values in words, removable media found under /media, /mnt, /run/media, pack errors
in the staff language."""

from __future__ import annotations

import dataclasses

from kiosk.config import Settings
from kiosk.ui.viewmodels import admin
from kiosk.ui.viewmodels import settings_form as form
from kiosk.ui.viewmodels.strings import load_strings

S = Settings(data_dir="/nonexistent")


def t_in(lang):
    strings = load_strings()
    return lambda key, **kw: strings.get(key, lang, **kw)


def test_every_setting_has_a_row_or_a_reason_to_live_only_in_the_file():
    names = {f.name for f in dataclasses.fields(Settings)}
    rows = {r.name for r in form.ROWS}
    unplaced = names - rows - set(form.FILE_ONLY)
    assert not unplaced, f"new settings need a row in settings_form.ROWS or a reason in FILE_ONLY: {unplaced}"
    assert not rows & set(form.FILE_ONLY) and rows <= names
    assert "counter_idle_timeout_s" in rows
    for row in form.ROWS:
        if row.kind == "step":
            assert row.name in form.STEPS


def test_values_are_said_in_words_in_the_staff_language():
    ja, en = t_in("ja"), t_in("en")
    assert form.value_text("min_stt_confidence", 0.6, ja) == "ふつう  ●●●○○"
    assert form.value_text("min_mt_score", -1.5, en) == "Normal  ●●●○○"
    assert form.value_text("min_mt_score", -0.25, en) == "Strict (more warnings)  ●●●●●"
    assert form.value_text("min_stt_confidence", 0.2, en) == "Lenient (few warnings)  ●○○○○"
    assert form.value_text("counter_idle_timeout_s", 600, ja) == "10 分"
    assert form.value_text("counter_idle_timeout_s", 0, en) == "Never"
    assert form.value_text("text_scale", 1.3, en) == "130%"
    assert form.value_text("idle_timeout_s", 90, t_in("ko")) == "90초"
    assert form.help_text("min_mt_score", en).startswith("When the machine translation is less sure")
    assert form.help_text("mode", en) == ""


def test_the_counter_wipe_timer_steps_between_off_and_minutes():
    off = form.step(S.replace(counter_idle_timeout_s=60), "counter_idle_timeout_s", -1)
    assert off.counter_idle_timeout_s == 0
    assert form.step(off, "counter_idle_timeout_s", 1).counter_idle_timeout_s == 60
    assert form.step(S, "stats_suppress_below", 1).stats_suppress_below == 6
    assert form.unsaved(form.step(S, "text_scale", 1), S) and not form.unsaved(S, S)


def test_removable_mounts_lists_sticks_not_empty_folders(tmp_path):
    media, mnt, run = tmp_path / "media", tmp_path / "mnt", tmp_path / "run-media"
    (media / "usb").mkdir(parents=True)
    (media / "usb" / "translate-en_ja.argosmodel").write_bytes(b"x")
    (media / "alice" / "KINGSTON" / "packs").mkdir(parents=True)  # /media/<user>/<label>
    (media / "empty").mkdir()
    (mnt / "My Stick").mkdir(parents=True)
    (run / "bob").mkdir(parents=True)  # nothing mounted for bob
    proc_mounts = f"/dev/sdb1 {mnt}/My\\040Stick vfat rw 0 0\nproc /proc proc rw 0 0\n"
    found = admin.removable_mounts((media, mnt, run), proc_mounts)
    assert found == [media / "alice" / "KINGSTON", media / "usb", mnt / "My Stick"]
    assert admin.removable_mounts((tmp_path / "nothing",), "") == []


def test_pack_errors_are_said_in_the_staff_language():
    vi = t_in("vi")
    assert admin.pack_error_text("pack.not_found", "stick", vi) == "stick: " + vi("error_pack_not_found")
    assert admin.pack_error_text("pack.something_new", "x.zip", vi) == "x.zip: " + vi("error_generic")
