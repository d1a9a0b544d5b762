"""The staff PIN: salted scrypt hash, and a lock-out after repeated failures.

Everything here is pure (the clock is passed in).  The hash is stored in
``Settings.admin_pin_hash``; empty means the default PIN "0000", which the app
asks staff to change on first use.
"""

from __future__ import annotations

import hashlib
import math
import hmac
import secrets
from dataclasses import dataclass, field

from kiosk.errors import KioskError

DEFAULT_PIN = "0000"
MAX_FAILURES = 5
LOCKOUT_S = 300
_N, _R, _P = 2**14, 8, 1


def valid_new_pin(pin: str) -> bool:
    """A new PIN: 4 to 8 digits, not the default."""
    return pin.isdigit() and 4 <= len(pin) <= 8 and pin != DEFAULT_PIN


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    if not stored:
        return hmac.compare_digest(pin.encode(), DEFAULT_PIN.encode())
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def is_default(stored: str) -> bool:
    return not stored or verify_pin(DEFAULT_PIN, stored)


@dataclass
class PinGate:
    """Counts wrong PINs; after ``max_failures`` in a row, refuses for ``lockout_s`` seconds."""

    max_failures: int = MAX_FAILURES
    lockout_s: float = LOCKOUT_S
    failures: int = 0
    locked_until: float = field(default=float("-inf"))

    def seconds_locked(self, now: float) -> int:
        left = self.locked_until - now
        return math.ceil(left) if left > 0 else 0

    def check(self, pin: str, stored: str, now: float) -> None:
        """Return if the PIN is right; raise admin.pin_locked or admin.bad_pin otherwise."""
        left = self.seconds_locked(now)
        if left > 0:
            raise KioskError("admin.pin_locked",
                             f"Too many wrong PINs. Try again in {left} seconds.")
        if verify_pin(pin, stored):
            self.failures = 0
            return
        self.failures += 1
        if self.failures >= self.max_failures:
            self.failures = 0
            self.locked_until = now + self.lockout_s
            raise KioskError("admin.pin_locked",
                             f"Too many wrong PINs. Try again in {int(self.lockout_s)} seconds.")
        raise KioskError("admin.bad_pin",
                         f"Wrong PIN. {self.max_failures - self.failures} tries left before a lock-out.")


# --------------------------------------------------------- surviving a restart
def gate_state(gate: PinGate, now: float, wall_now: float) -> dict:
    """What to store so a lock-out survives a restart (the app clock is monotonic: store wall time)."""
    left = gate.seconds_locked(now)
    return {"failures": gate.failures, "locked_until_wall": wall_now + left if left else 0.0}


def restore_gate(state: dict, now: float, wall_now: float, gate: PinGate | None = None) -> PinGate:
    """A gate as stored by ``gate_state``; a lock-out keeps running from where it was."""
    gate = gate or PinGate()
    try:
        failures = int(state.get("failures", 0))
        until = float(state.get("locked_until_wall", 0.0))
    except (TypeError, ValueError, AttributeError):
        return gate
    gate.failures = max(0, min(failures, gate.max_failures - 1))
    left = min(until - wall_now, gate.lockout_s)  # a clock set backwards can't lock staff out for longer
    gate.locked_until = now + left if left > 0 else float("-inf")
    return gate
