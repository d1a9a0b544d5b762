"""Push-to-talk: hold (press = start, release = stop), tap (tap = start, tap again = stop),
or both (a long press acts as hold, a short tap as tap).  Pure; the clock is passed in."""

from __future__ import annotations

from dataclasses import dataclass

HOLD_THRESHOLD_S = 0.6


@dataclass
class PushToTalk:
    mode: str = "both"  # "hold" | "tap" | "both"
    hold_threshold_s: float = HOLD_THRESHOLD_S
    listening: bool = False
    pressed_at: float | None = None
    started_by_press: bool = False

    def press(self, now: float) -> str | None:
        """Finger down: returns "start", "stop" or None."""
        self.pressed_at = now
        if self.listening:
            if self.mode == "hold":
                return None
            self.listening = False
            self.started_by_press = False
            return "stop"
        self.listening = True
        self.started_by_press = True
        return "start"

    def release(self, now: float) -> str | None:
        """Finger up: returns "stop" or None."""
        held = now - self.pressed_at if self.pressed_at is not None else 0.0
        self.pressed_at = None
        if not (self.listening and self.started_by_press):
            return None
        self.started_by_press = False
        if self.mode == "hold" or (self.mode == "both" and held >= self.hold_threshold_s):
            self.listening = False
            return "stop"
        return None

    def reset(self) -> None:
        self.listening, self.pressed_at, self.started_by_press = False, None, False


def ptt_label(side: str, mode: str, listening: bool, has_microphone: bool) -> str:
    """The UI string key of a push-to-talk button.  Without a microphone it opens the keyboard:
    the staff half says why, the visitor's half just says "Type" (no error for the visitor)."""
    if not has_microphone:
        return "no_mic_type" if side == "staff" else "type"
    return ("stop_" if listening else "ptt_") + mode
