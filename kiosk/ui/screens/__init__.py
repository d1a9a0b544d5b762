"""Screens: each a .py (widgets, no business logic) and a .kv side by side."""

from __future__ import annotations

from pathlib import Path

KV_DIR = Path(__file__).resolve().parent
KV_FILES = ("common.kv", "attract.kv", "start.kv", "conversation.kv", "faq.kv", "idle.kv", "pin.kv", "admin.kv",
            "takeaway.kv", "visitor.kv")
