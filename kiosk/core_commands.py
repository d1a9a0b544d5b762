"""Core sub-commands: translate, transcribe, speak, converse, doctor, app."""

from __future__ import annotations


def register(sub) -> None:
    pass
