"""The marker an installed pack carries, ``kiosk-pack.json``: written last by the installer
(so a folder without it is not a pack), read by the registry, by ``verify`` and by the next
install into the same slot.  The format is described in ``kiosk/packs/registry.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = "kiosk-pack.json"


@dataclass(frozen=True)
class PackMarker:
    id: str
    kind: str  # "mt" | "stt" | "whisper"
    version: str = ""
    from_code: str | None = None  # mt: "from" in the file
    to_code: str | None = None  # mt: "to"
    language: str | None = None  # stt
    sha256: str = ""  # of the archive ("" for an unpacked folder)
    verified_by: str = "none"  # "catalogue" | "sidecar" | "none"
    unknown: bool = False
    installed_on: str = ""
    source_name: str = ""
    size: int = 0
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 ({} when the list is missing)
    languages: tuple[str, ...] = ()  # whisper: the languages a multilingual model serves

    def to_json(self) -> str:
        if self.kind == "whisper":
            where: dict[str, Any] = {"languages": list(self.languages)}
        else:
            where = {"from": self.from_code, "to": self.to_code} if self.kind == "mt" else {"language": self.language}
        data = {"id": self.id, **where, "version": self.version, "kind": self.kind, "sha256": self.sha256,
                "verified_by": self.verified_by, "unknown": self.unknown, "installed_on": self.installed_on,
                "source_name": self.source_name, "size": self.size, "files": self.files}
        return json.dumps(data, indent=1, ensure_ascii=False)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def read_marker(folder: Path) -> PackMarker | None:
    """The marker in ``folder``, or None if it is missing or not a JSON object."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    files = data.get("files")
    return PackMarker(
        id=str(data.get("id", folder.name)), kind=str(data.get("kind", "")), version=str(data.get("version", "")),
        from_code=_text(data.get("from")), to_code=_text(data.get("to")), language=_text(data.get("language")),
        sha256=str(data.get("sha256", "")), verified_by=str(data.get("verified_by", "none")),
        unknown=bool(data.get("unknown", False)), installed_on=str(data.get("installed_on", "")),
        source_name=str(data.get("source_name", "")), size=int(data.get("size", 0) or 0),
        files={str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {},
        languages=tuple(str(c) for c in data.get("languages") or ()) if isinstance(data.get("languages"), list) else (),
    )
