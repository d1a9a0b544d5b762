"""Issue 13 (defect 9): the staff PIN.  Before: deleting admin-lock.json or moving the clock forward cleared
the lock-out, it never grew (≈1,420 guesses a day), the scrypt hash sat in a 0644 settings.toml, 1111/1234
were accepted, an empty KIOSK_ADMIN_PIN_HASH meant 0000 and a garbage hash locked staff out for good."""

from __future__ import annotations

import json
import os
import stat

import pytest

from kiosk.cli import main
from kiosk.config import load_settings, save_settings
from kiosk.errors import KioskError
from kiosk.pin import (
    BASE_LOCKOUT_S,
    FAILURES_PER_ROUND,
    MAX_LOCKOUT_S,
    RESET_HINT,
    PinStore,
    hash_pin,
    lockout_seconds,
    open_pin_store,
    pin_problem,
)
from tests.support.ui import FakeClock

GOOD = "480719"


def code_of(fn, *args) -> tuple[str, str]:
    with pytest.raises(KioskError) as err:
        fn(*args)
    return err.value.code, err.value.message


def fail_round(store: PinStore) -> tuple[str, str]:
    for _ in range(FAILURES_PER_ROUND - 1):
        assert code_of(store.check, "999999")[0] == "admin.bad_pin"
    return code_of(store.check, "999999")


def test_default_pin_then_change_is_forced_and_stored_0600(tmp_path):
    store = PinStore(tmp_path, FakeClock())
    assert store.is_default()
    store.check("0000")  # the default still opens the staff screen once, which then asks for a new PIN
    store.set_pin(GOOD)
    assert not store.is_default()
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert GOOD not in store.path.read_text()
    again = PinStore(tmp_path, FakeClock())
    again.check(GOOD)
    assert code_of(again.check, "0000") == ("admin.bad_pin", "Wrong PIN. 4 tries left before a lock-out.")


@pytest.mark.parametrize("pin", ["1111", "0000", "1234", "12345", "111111", "123456", "654321", "121212",
                                 "123123", "112233", "000000", "890123", "147258", "1234567890123", "12a456",
                                 "１２３４５６"])
def test_weak_or_short_pins_are_refused(tmp_path, pin):
    store = PinStore(tmp_path, FakeClock())
    code, message = code_of(store.set_pin, pin)
    assert code == "admin.weak_pin"
    assert message in ("A new PIN must be 6 to 12 digits.",
                       "That PIN is too easy to guess (repeated digits, a sequence or a common PIN); choose another.")
    assert store.is_default()


def test_good_pins_are_accepted():
    assert all(pin_problem(p) is None for p in ("480719", "31415926", "902184", "270513", "5839201746"))


def test_lockout_doubles_per_round(tmp_path):
    clock = FakeClock()
    store = PinStore(tmp_path, clock)
    store.set_pin(GOOD)
    waits = []
    for _ in range(4):
        code, message = fail_round(store)
        assert code == "admin.pin_locked"
        waits.append(store.seconds_locked())
        assert code_of(store.check, GOOD)[0] == "admin.pin_locked"  # even the right PIN waits
        clock.advance(store.seconds_locked())
    assert waits == [BASE_LOCKOUT_S, 2 * BASE_LOCKOUT_S, 4 * BASE_LOCKOUT_S, 8 * BASE_LOCKOUT_S]
    assert lockout_seconds(30) == MAX_LOCKOUT_S
    store.check(GOOD)  # a right PIN ends the doubling
    assert fail_round(store)[1] == f"Too many wrong PINs. Try again in {BASE_LOCKOUT_S} seconds."


def test_guesses_per_day_are_few(tmp_path):
    clock = FakeClock()
    store = PinStore(tmp_path, clock)
    store.set_pin(GOOD)
    guesses, start = 0, clock.now
    while clock.now - start < 24 * 3600:
        try:
            store.check("999999")
        except KioskError as exc:
            if exc.code == "admin.pin_locked" and store.seconds_locked():
                clock.advance(store.seconds_locked())
        guesses += 1
    assert guesses < 60  # before: about 1,420


def test_a_restart_or_a_clock_change_never_shortens_the_lockout(tmp_path, monkeypatch):
    store = PinStore(tmp_path, FakeClock())
    store.set_pin(GOOD)
    fail_round(store)
    monkeypatch.setattr("time.time", lambda: 4e9)  # the wall clock jumps forward by decades
    restarted = PinStore(tmp_path, FakeClock(start=5.0))  # a new process: its own monotonic clock
    assert restarted.seconds_locked() == BASE_LOCKOUT_S
    assert code_of(restarted.check, GOOD)[0] == "admin.pin_locked"


def test_deleting_the_pin_file_fails_closed(tmp_path):
    store = PinStore(tmp_path, FakeClock())
    store.set_pin(GOOD)
    fail_round(store)
    store.path.unlink()
    again = PinStore(tmp_path, FakeClock())
    assert not again.is_default()
    assert code_of(again.check, "0000") == (
        "admin.pin_missing",
        f"The staff PIN file {store.path} is missing, so the PIN screen stays locked. {RESET_HINT}")


@pytest.mark.parametrize("content", ['{"hash": ""}', '{"hash": "garbage"}', "not json", '{"hash": 5}',
                                     '{"hash": "scrypt$1$1$1$00$00"}', '{"default": true, "lock_remaining_s": "nan"}'])
def test_an_empty_or_broken_hash_is_a_clear_error(tmp_path, content):
    (tmp_path / "admin-pin.json").write_text(content)
    store = PinStore(tmp_path, FakeClock())
    code, message = code_of(store.check, "0000")
    assert code == "admin.pin_broken" and message.endswith(RESET_HINT)


def test_reset_pin_from_the_shell(tmp_path, capsys, monkeypatch):
    (tmp_path / "admin-pin.json").write_text('{"hash": "garbage"}')
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["--data-dir", str(tmp_path), "admin", "reset-pin"]) == 0
    PinStore(tmp_path, FakeClock()).check(GOOD)
    answers = iter(["1234", "1234"])
    assert main(["--data-dir", str(tmp_path), "admin", "reset-pin"]) == 1
    assert capsys.readouterr().err.endswith("error [admin.weak_pin]: A new PIN must be 6 to 12 digits.\n")
    assert main(["--data-dir", str(tmp_path), "admin", "reset-pin", "--default"]) == 0
    assert PinStore(tmp_path, FakeClock()).is_default()


def test_an_old_hash_in_settings_toml_moves_into_the_private_file(tmp_path):
    settings = load_settings(tmp_path, env={})
    settings.settings_path.write_text(f'mode = "kiosk"\nadmin_pin_hash = "{hash_pin(GOOD)}"\n')  # an older kiosk
    save_settings(load_settings(tmp_path, env={}))  # saving settings never writes the hash
    assert "admin_pin_hash" not in settings.settings_path.read_text()
    settings.settings_path.write_text(f'mode = "kiosk"\nadmin_pin_hash = "{hash_pin(GOOD)}"\n')
    store = open_pin_store(load_settings(tmp_path, env={}), FakeClock())
    store.check(GOOD)
    assert settings.settings_path.read_text() == 'mode = "kiosk"\n'
    assert json.loads(store.path.read_text())["hash"].startswith("scrypt$")


def test_an_empty_environment_hash_does_not_reset_the_pin(tmp_path):
    PinStore(tmp_path, FakeClock()).set_pin(GOOD)
    settings = load_settings(tmp_path, env={"KIOSK_ADMIN_PIN_HASH": ""})
    store = open_pin_store(settings, FakeClock())
    assert not store.is_default() and code_of(store.check, "0000")[0] == "admin.bad_pin"


def test_doctor_checks_the_pin_file(tmp_path, capsys):
    store = PinStore(tmp_path, FakeClock())
    store.set_pin(GOOD)
    os.chmod(store.path, 0o644)
    main(["--data-dir", str(tmp_path), "doctor", "--json"])
    check = next(c for c in json.loads(capsys.readouterr().out) if c["name"] == "staff PIN")
    assert check["status"] == "fail"
    assert check["detail"] == f"{store.path} is readable by others (mode 644); run: chmod 600 {store.path}"
    store.path.write_text("{")
    main(["--data-dir", str(tmp_path), "doctor", "--json"])
    check = next(c for c in json.loads(capsys.readouterr().out) if c["name"] == "staff PIN")
    assert (check["status"], check["fix"]) == ("fail", "kiosk admin reset-pin")
