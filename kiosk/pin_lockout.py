"""The staff PIN lock-out survives a restart: read and write it as a small JSON file in the data dir.

Kept apart (no Kivy, no UI) so the storage can be swapped without touching the session or the screens.
The decisions live in ``kiosk.ui.viewmodels.pin`` (``gate_state`` / ``restore_gate``); this module only
does the file.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from kiosk.ui.viewmodels.pin import PinGate, gate_state, restore_gate

_LOGGER = logging.getLogger(__name__)


def lockout_path(data_dir: Path) -> Path:
    return data_dir / "admin-lock.json"


def load_lockout(path: Path, gate: PinGate, now: float) -> None:
    """Restore ``gate`` from ``path`` (``now`` on the app's monotonic clock); a missing or bad file is no lock-out."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    restore_gate(state, now, time.time(), gate)


def save_lockout(path: Path, gate: PinGate, now: float) -> None:
    """Write ``gate``'s failures and lock-out atomically; a failure to write is logged, never raised."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(gate_state(gate, now, time.time())), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        _LOGGER.warning("could not save the PIN lock-out state")
