""""Just speak" on the start and attract screens, decided without Kivy.

The visitor presses the microphone button (labelled in every offered
language), says anything, and ``language_id.decide`` ranks the offered
languages.  ``just_speak_view`` turns that into what the screen shows, worded
in the detected language: a confirmation ("Tiếng Việt?" ✓ / choose another),
the two most likely languages when Whisper is not sure, or "nothing heard".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.engines.language_id import Detection
from kiosk.languages import LANGUAGES


@dataclass(frozen=True)
class Choice:
    code: str
    label: str  # the button text


@dataclass(frozen=True)
class JustSpeakView:
    kind: str  # "confirm" | "which" | "nothing"
    language: str  # the language the question is worded in
    question: str
    choices: tuple[Choice, ...]  # confirm: (the language ✓); which: the two most likely
    other: str  # "choose another" (back to the language buttons)


def button_labels(strings, offered: Sequence[str]) -> list[str]:
    """The microphone button's label in every offered language (one line each)."""
    return [strings.get("just_speak_button", code) for code in offered]


def just_speak_view(detection: Detection, strings, fallback: str) -> JustSpeakView:
    """What to show after the visitor spoke (``fallback``: the language to word "nothing heard" in)."""
    best = detection.best
    if best is None:
        return JustSpeakView("nothing", fallback, strings.get("just_speak_nothing", fallback), (),
                             strings.get("just_speak_other", fallback))
    other = strings.get("just_speak_other", best)
    if detection.confident:
        name = LANGUAGES[best].native_name
        return JustSpeakView("confirm", best, strings.get("just_speak_confirm", best, name=name),
                             (Choice(best, strings.get("just_speak_yes", best)),), other)
    choices = tuple(Choice(code, LANGUAGES[code].native_name) for code in detection.choices)
    return JustSpeakView("which", best, strings.get("just_speak_which", best), choices, other)
