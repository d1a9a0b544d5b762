"""`kiosk content ...` sub-commands (registered by kiosk.cli)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("content", help="content (not implemented yet)")
    p.set_defaults(func=lambda args, settings: print("not implemented yet") or 1)
