"""Is the kiosk idle?  A pure function of (last touch, now, settings).

``idle_timeout_s`` seconds without a touch → a warning with a countdown of
``idle_warning_s`` seconds (≥ 20 s, WCAG 2.2.1) → reset and wipe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class IdleStatus:
    phase: str  # "active" | "warning" | "reset"
    seconds_left: int  # until the reset (whole seconds, rounded up)


KIOSK_IDLE_SCREENS = ("start", "conversation", "visitor", "faq")


def idle_timeout(settings, screen: str) -> int | None:
    """Seconds without a touch before the warning on ``screen``, or None if the screen never times out.

    Kiosk mode: ``idle_timeout_s`` on the visitor screens.  Counter mode: only a
    conversation left open (staff forgot "Finish") is wiped, after
    ``counter_idle_timeout_s`` (0 = never).
    """
    if settings.mode == "kiosk":
        return settings.idle_timeout_s if screen in KIOSK_IDLE_SCREENS else None
    if screen == "conversation" and settings.counter_idle_timeout_s > 0:
        return settings.counter_idle_timeout_s
    return None


def idle_status(last_touch: float, now: float, settings, timeout_s: int | None = None) -> IdleStatus:
    """Where the kiosk stands, given the last touch time and the current time (same clock)."""
    timeout = settings.idle_timeout_s if timeout_s is None else timeout_s
    elapsed = max(0.0, now - last_touch)
    reset_at = timeout + settings.idle_warning_s
    left = max(0, math.ceil(reset_at - elapsed))
    if elapsed < timeout:
        return IdleStatus("active", left)
    if elapsed < reset_at:
        return IdleStatus("warning", left)
    return IdleStatus("reset", 0)


def attract_index(now: float, count: int, period_s: float = 4.0) -> int:
    """Which language the attract screen shows at ``now`` (cycles slowly)."""
    if count <= 0:
        return 0
    return int(now // period_s) % count
