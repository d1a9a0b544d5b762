"""`kiosk admin reset-pin`: the recovery for a forgotten, missing or damaged staff PIN.

It runs only from a shell on the tablet (the touchscreen app never offers it), so whoever uses it already
has local access.  Registered by kiosk.cli.
"""

from __future__ import annotations

import getpass
import time

from kiosk.errors import KioskError
from kiosk.pin import MAX_DIGITS, MIN_DIGITS, PinStore


def register(sub) -> None:
    p = sub.add_parser("admin", help="staff PIN recovery (on the tablet's own shell)")
    ps = p.add_subparsers(dest="admin_command", metavar="ADMIN_COMMAND")
    ps.required = True
    r = ps.add_parser("reset-pin", help="set a new staff PIN (asked twice) and clear the lock-out")
    r.add_argument("--default", action="store_true",
                   help="instead: back to the default PIN 0000, which must be changed on first use")
    r.set_defaults(func=cmd_reset_pin)


def cmd_reset_pin(args, settings) -> int:
    store = PinStore(settings.data_dir, time.monotonic)
    if args.default:
        store.reset_to_default()
        print(f"The staff PIN is the default 0000 again (must be changed on first use); {store.path} rewritten.")
        return 0
    pin = getpass.getpass(f"New staff PIN ({MIN_DIGITS} to {MAX_DIGITS} digits): ")
    if getpass.getpass("The same PIN again: ") != pin:
        raise KioskError("admin.pin_mismatch", "The two PINs differ; nothing was changed.")
    store.set_pin(pin)
    print(f"New staff PIN stored in {store.path} (readable only by this user); the lock-out is cleared.")
    return 0
