"""UI strings in the five languages, from ``content/ui_strings.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.languages import CODES


def default_content_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "content"


@dataclass(frozen=True)
class Strings:
    table: dict[str, dict[str, str]]

    def get(self, key: str, language: str, **fields: object) -> str:
        entry = self.table.get(key)
        if entry is None:
            return key  # a missing key shows itself (the strings test catches it)
        text = entry.get(language) or entry.get("en", key)
        return text.format(**fields) if fields else text

    def missing(self) -> list[tuple[str, str]]:
        """(key, language) pairs with no text."""
        return [(k, c) for k, e in self.table.items() for c in CODES if not str(e.get(c, "")).strip()]


def load_strings(content_dir: Path | None = None) -> Strings:
    path = (content_dir or default_content_dir()) / "ui_strings.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KioskError("content.missing", f"{path} is missing. Reinstall the kiosk content folder.") from None
    except tomllib.TOMLDecodeError as exc:
        raise KioskError("content.invalid", f"{path} is not valid TOML: {exc}") from None
    return Strings({k: dict(v) for k, v in raw.get("strings", {}).items()})
