"""The staff PIN, hardened: hash and lock-out state in one owner-only (0600) file, a lock-out that doubles
per failed round and only counts down while the kiosk runs, and PIN rules (6 to 12 digits, no easy ones).

No Kivy: the session/app calls ``PinStore.check`` / ``set_pin``; ``kiosk admin reset-pin`` (a local shell on
the tablet) is the documented recovery when the file is missing, damaged or the PIN is forgotten.

Files in the data dir:

* ``admin-pin.json`` (mode 0600): ``{"hash": "scrypt$...", "failures": 2, "rounds": 1, "lock_remaining_s": 240.0}``
  or ``{"default": true, ...}`` for the default PIN 0000 (which must be changed on first use).
* ``admin-pin.set``: written with it; if ``admin-pin.json`` disappears while this is there, the PIN is not
  reset to the default: staff are locked out (fail closed) until ``kiosk admin reset-pin``.

Why the lock-out ignores the wall clock: moving the clock forward (or deleting a file) used to clear it.  The
remaining seconds are saved at every attempt and restored at start, so a restart or a clock change never
shortens a lock-out (a tablet switched off does not count down either: staff can use ``reset-pin``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli_w

from kiosk.errors import KioskError

_LOGGER = logging.getLogger(__name__)

DEFAULT_PIN = "0000"
MIN_DIGITS, MAX_DIGITS = 6, 12
FAILURES_PER_ROUND = 5
BASE_LOCKOUT_S = 300  # first round: 5 minutes; then 10, 20, 40 ... minutes
MAX_LOCKOUT_S = 24 * 3600
PIN_FILE = "admin-pin.json"
SET_MARKER = "admin-pin.set"
RESET_HINT = "On the tablet, run: kiosk admin reset-pin (needs local shell access; see README, Staff PIN)."
_N, _R, _P = 2**14, 8, 1

# common PINs that pass the repetition/sequence rules (from published PIN-frequency studies)
WEAK_PINS = frozenset({
    "112233", "121212", "123123", "123321", "131313", "147258", "159753", "159357", "202020", "212121",
    "232323", "252525", "101010", "111222", "520520", "520131", "654321", "696969", "789456", "102030",
    "147852", "258369", "369258", "741852", "852963", "987654", "100200", "110110", "789789", "000111",
    "12345678", "87654321", "11223344", "12341234", "11112222", "19841984", "20002000", "147258369",
})


# ----------------------------------------------------------------- hashing
def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """(n, r, p, salt, digest) of a stored hash; ValueError if it is not one this kiosk writes."""
    kind, n, r, p, salt, digest = stored.split("$")
    values = int(n), int(r), int(p), bytes.fromhex(salt), bytes.fromhex(digest)
    if kind != "scrypt" or not (2 <= values[0] <= 2**20 and 1 <= values[1] <= 32 and 1 <= values[2] <= 16) \
            or len(values[3]) < 8 or len(values[4]) < 16:
        raise ValueError("not a kiosk PIN hash")
    return values


def verify_pin(pin: str, stored: str) -> bool:
    """``stored`` empty means the default PIN.  A malformed hash never matches (the store reports it)."""
    if not stored:
        return hmac.compare_digest(pin.encode(), DEFAULT_PIN.encode())
    try:
        n, r, p, salt, digest = parse_hash(stored)
        got = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=len(digest), maxmem=2**28)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, digest)


# ----------------------------------------------------------------- rules
def pin_problem(pin: str) -> KioskError | None:
    """Why ``pin`` may not be a new staff PIN (``admin.weak_pin``), or None."""
    if not (pin.isascii() and pin.isdigit()) or not MIN_DIGITS <= len(pin) <= MAX_DIGITS:
        return KioskError("admin.weak_pin", f"A new PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits.")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    repeats = any(len(pin) % k == 0 and pin == pin[:k] * (len(pin) // k) for k in (1, 2, 3, 4))
    if pin in WEAK_PINS or repeats or steps in ({1}, {9}) or len(set(pin)) <= 2:
        return KioskError("admin.weak_pin", "That PIN is too easy to guess (repeated digits, a sequence or a "
                                            "common PIN); choose another.")
    return None


def lockout_seconds(rounds: int) -> int:
    """How long round ``rounds`` (1, 2, ...) of wrong PINs locks the screen: 5 min, doubling, at most a day."""
    return min(MAX_LOCKOUT_S, BASE_LOCKOUT_S * 2 ** min(max(rounds, 1) - 1, 20))


# ----------------------------------------------------------------- the store
class PinStore:
    """The staff PIN and its lock-out, kept in ``<data_dir>/admin-pin.json`` (0600).

    ``clock`` is monotonic seconds (tests pass a fake).  ``legacy_hash`` is ``Settings.admin_pin_hash`` of
    an older settings.toml: moved into the file once.
    """

    def __init__(self, data_dir: Path, clock: Callable[[], float], legacy_hash: str = "") -> None:
        self.data_dir, self.clock = Path(data_dir), clock
        self.path, self.marker = self.data_dir / PIN_FILE, self.data_dir / SET_MARKER
        self.hash: str | None = None  # None: the default PIN
        self.failures = self.rounds = 0
        self.locked_until = -math.inf
        self.problem: KioskError | None = None  # missing / damaged file: fail closed
        self._load(legacy_hash)

    @classmethod
    def peek(cls, data_dir: Path) -> PinStore:
        """The store as it is on disk, for ``kiosk doctor`` (never writes)."""
        return cls(data_dir, lambda: 0.0)

    # ----------------------------------------------------------- state on disk
    def _load(self, legacy_hash: str) -> None:
        if not self.path.exists() and not self.path.is_symlink():
            if self.marker.exists():
                self.problem = KioskError("admin.pin_missing", f"The staff PIN file {self.path} is missing, so the "
                                                               f"PIN screen stays locked. {RESET_HINT}")
            elif legacy_hash:
                self.hash = legacy_hash
                self._check_hash()
                if self.problem is None:
                    self._save()
            return
        try:
            if not self.path.is_file():
                raise ValueError("not a file")
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            self.hash = None if doc.get("default") is True else doc["hash"]
            if self.hash is not None and not isinstance(self.hash, str):
                raise ValueError("hash")
            self.failures = max(0, min(int(doc.get("failures", 0)), FAILURES_PER_ROUND - 1))
            self.rounds = max(0, min(int(doc.get("rounds", 0)), 64))
            remaining = float(doc.get("lock_remaining_s", 0.0))
            if not math.isfinite(remaining):
                raise ValueError("lock")
            remaining = min(max(remaining, 0.0), MAX_LOCKOUT_S)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, OverflowError):
            self.problem = KioskError("admin.pin_broken", f"The staff PIN file {self.path} is damaged. {RESET_HINT}")
            return
        self.locked_until = self.clock() + remaining if remaining > 0 else -math.inf
        self._check_hash()

    def _check_hash(self) -> None:
        if self.hash is None:
            return
        try:
            parse_hash(self.hash)
        except ValueError:
            what = "empty" if not self.hash.strip() else "not a valid PIN hash"
            self.problem = KioskError("admin.pin_broken", f"The staff PIN hash in {self.path} is {what}. {RESET_HINT}")

    def _save(self) -> None:
        doc = {"failures": self.failures, "rounds": self.rounds, "lock_remaining_s": float(self.seconds_locked())}
        doc.update({"default": True} if self.hash is None else {"hash": self.hash})
        write_private(self.path, json.dumps(doc))
        if not self.marker.exists():
            write_private(self.marker, "1\n")

    # ----------------------------------------------------------- questions
    def is_default(self) -> bool:
        return self.problem is None and self.hash is None

    def seconds_locked(self) -> int:
        left = self.locked_until - self.clock()
        return math.ceil(left) if left > 0 else 0

    def tries_left(self) -> int:
        return FAILURES_PER_ROUND - self.failures

    # ----------------------------------------------------------- actions
    def check(self, pin: str) -> None:
        """Return if ``pin`` is right; raise admin.pin_locked / admin.bad_pin / admin.pin_missing / admin.pin_broken."""
        if self.problem is not None:
            raise self.problem
        left = self.seconds_locked()
        if left > 0:
            self._save_quietly()  # the remaining time, so a restart does not shorten it
            raise KioskError("admin.pin_locked", f"Too many wrong PINs. Try again in {left} seconds.")
        if verify_pin(pin, self.hash or ""):
            self.failures = self.rounds = 0
            self._save_quietly()
            return
        self.failures += 1
        if self.failures >= FAILURES_PER_ROUND:
            self.failures, self.rounds = 0, self.rounds + 1
            seconds = lockout_seconds(self.rounds)
            self.locked_until = self.clock() + seconds
            self._save_quietly()
            _LOGGER.warning("staff PIN locked for %d s after round %d of wrong PINs", seconds, self.rounds)
            raise KioskError("admin.pin_locked", f"Too many wrong PINs. Try again in {seconds} seconds.")
        self._save_quietly()
        raise KioskError("admin.bad_pin", f"Wrong PIN. {self.tries_left()} tries left before a lock-out.")

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (``admin.weak_pin`` if it breaks the rules); clears any lock-out."""
        problem = pin_problem(pin)
        if problem is not None:
            raise problem
        self.hash, self.problem = hash_pin(pin), None
        self.failures = self.rounds = 0
        self.locked_until = -math.inf
        self._save()

    def reset_to_default(self) -> None:
        """Back to the default PIN 0000 (must be changed on first use); clears the lock-out and any damage."""
        self.hash, self.problem = None, None
        self.failures = self.rounds = 0
        self.locked_until = -math.inf
        self._save()

    def _save_quietly(self) -> None:
        try:
            self._save()
        except OSError:
            _LOGGER.warning("could not save the staff PIN state")


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def permission_problem(path: Path) -> str:
    """A doctor finding if a secrets file can be read by others, else ''."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return ""
    return f"{path} is readable by others (mode {mode:o}); run: chmod 600 {path}" if mode & 0o077 else ""


def open_pin_store(settings, clock: Callable[[], float]) -> PinStore:
    """The PIN store for the app.  A hash still in settings.toml (older versions; readable by others) is moved
    into the 0600 file once and removed from settings.toml."""
    store = PinStore(settings.data_dir, clock, legacy_hash=settings.admin_pin_hash)
    if settings.admin_pin_hash and store.path.is_file():
        try:
            scrub_settings_file(settings.settings_path)
        except (OSError, ValueError):
            _LOGGER.warning("could not remove the old PIN hash from settings.toml")
    return store


def scrub_settings_file(path: Path) -> bool:
    """Remove ``admin_pin_hash`` from a settings.toml (top level or a [section]); True if it was there."""
    if not path.is_file():
        return False
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    found = doc.pop("admin_pin_hash", None) is not None
    for section in doc.values():
        if isinstance(section, dict):
            found = section.pop("admin_pin_hash", None) is not None or found
    if found:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        tmp.write_text(tomli_w.dumps(doc), encoding="utf-8")
        os.replace(tmp, path)
    return found
