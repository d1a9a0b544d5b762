"""`kiosk packs convert OPUS-MT-ZIP`: an OPUS-MT release archive → an installable pack.

An OPUS-MT release (Helsinki-NLP, e.g. ``ja-en/opus-2019-12-18.zip``) holds a Marian
model (``*.npz``), ``decoder.yml``, a vocabulary (``*.vocab.yml``), ``source.spm``,
``target.spm`` and a README naming the languages.  We check and extract it with the
same archive safety as any pack, convert it with CTranslate2's own OPUS-MT converter
(``ctranslate2.converters.OpusMTConverter``, int8; numpy only, no PyTorch), lay it out
like an Argos pack plus ``target.spm`` (the translator decodes with it) and a
``source_prefix`` for multi-target models (``>>vie<<``), zip it, and install that
archive with the ordinary installer — verified by a ``.sha256`` beside it when the
release archive itself was verified (catalogue checksum or its own ``.sha256``),
otherwise only with ``--allow-unknown`` (marked unknown).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.languages import CODES
from kiosk.packs.archive import Progress, extract, file_digests, plan_zip
from kiosk.packs.catalogue import Catalogue, CatalogueEntry, load_catalogue

# Tatoeba/OPUS language ids → ours
_OPUS_LANG = {"ja": "ja", "jpn": "ja", "en": "en", "eng": "en", "vi": "vi", "vie": "vi", "zh": "zh", "zho": "zh",
              "cmn": "zh", "cmn_Hans": "zh", "ko": "ko", "kor": "ko"}
# target-language token a multi-target model needs, when the catalogue does not say
DEFAULT_PREFIX = {"vi": ">>vie<<", "zh": ">>cmn_Hans<<", "ja": ">>jpn<<", "ko": ">>kor<<", "en": ">>eng<<"}


@dataclass(frozen=True)
class Converted:
    archive: Path  # the pack archive to install (…/opus-mt-ja-en.argosmodel)
    pack_id: str
    from_code: str
    to_code: str
    verified: bool  # the release archive matched a published or sidecar checksum


def _bad(name: str, why: str) -> KioskError:
    return KioskError("pack.invalid", f"{name} is not an OPUS-MT release archive ({why}). Nothing was installed.")


def readme_languages(text: str) -> tuple[str | None, str | None, bool]:
    """(from, to, needs a target-language token) from an OPUS-MT README."""
    def first(label: str) -> str | None:
        m = re.search(rf"{label} language\(s\):\s*([^\n]+)", text)
        if not m:
            return None
        codes = {_OPUS_LANG.get(tok) for tok in m.group(1).split()} - {None}
        return codes.pop() if len(codes) == 1 else None

    return first("source"), first("target"), ">>id<<" in text or "sentence initial language token" in text


def _entry_for(cat: Catalogue, name: str, src: str, dst: str) -> CatalogueEntry | None:
    return next((e for e in cat.entries if e.source == "convert" and e.file == name
                 and (e.from_code, e.to_code) == (src, dst)), None)


def convert_opus_mt(archive: str | Path, out_dir: str | Path, *, from_code: str | None = None,
                    to_code: str | None = None, allow_unknown: bool = False, catalogue: Catalogue | None = None,
                    progress: Progress | None = None) -> Converted:
    """Convert the release ``archive`` into ``out_dir/<pack id>.argosmodel`` (+ ``.sha256`` when verified)."""
    archive, out_dir = Path(archive), Path(out_dir)
    name = archive.name
    if not archive.is_file():
        raise KioskError("pack.not_found", f"No OPUS-MT archive at {archive}. Point at the release .zip file.")
    for code in (from_code, to_code):
        if code is not None and code not in CODES:
            raise KioskError("cli.bad_argument", f"--from and --to must be among {', '.join(CODES)}.")
    cat = catalogue or load_catalogue()
    plan = plan_zip(archive)
    readme = (plan.read_small("README.md") or b"").decode("utf-8", "replace")
    src, dst, needs_token = readme_languages(readme)
    src, dst = from_code or src, to_code or dst
    if src is None or dst is None or src == dst:
        raise _bad(name, "its README does not name one source and one target language among "
                         f"{', '.join(CODES)}; give them with --from and --to")
    entry = _entry_for(cat, name, src, dst)
    sha, _md5 = file_digests(archive, progress, f"checking {name}")
    verified = _check_sum(archive, sha, entry, allow_unknown)
    pack_id = entry.id if entry else f"opus-mt-{src}-{dst}"
    dated = re.search(r"(\d{4}-\d{2}-\d{2})", name)
    version = dated.group(1).replace("-", ".") if dated else "0"
    prefix = (entry.source_prefix if entry else "") or (DEFAULT_PREFIX[dst] if needs_token else "")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".convert-") as tmp:
        raw, pack = Path(tmp) / "raw", Path(tmp) / pack_id
        raw.mkdir()
        extract(plan, raw, progress, f"extracting {name}")
        for needed in ("decoder.yml", "source.spm", "target.spm"):
            if not (raw / needed).is_file():
                raise _bad(name, f"{needed} is missing")
        if progress:
            progress(0, 0, f"converting {name}")
        _convert(raw, pack / "model", name)
        shutil.copy(raw / "source.spm", pack / "sentencepiece.model")
        shutil.copy(raw / "target.spm", pack / "target.spm")
        meta = {"package_version": version, "argos_version": "1.5", "from_code": src, "to_code": dst,
                "type": "translate", "source_prefix": prefix, "kiosk_family": "opus-mt", "kiosk_pack_id": pack_id,
                "converted_from": name, "source_sha256": sha}
        (pack / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        (pack / "README.md").write_text(
            f"# {pack_id}\n\nOPUS-MT model (Helsinki-NLP, CC-BY 4.0) {src}→{dst}, converted on this tablet with "
            f"CTranslate2's OPUS-MT converter (int8) from {name} (sha256 {sha}).\n\n## Original README\n\n{readme}",
            encoding="utf-8")
        if (raw / "LICENSE").is_file():
            shutil.copy(raw / "LICENSE", pack / "LICENSE")
        result = out_dir / f"{pack_id}.argosmodel"
        _zip(pack, result)
    side = result.with_name(result.name + ".sha256")
    if verified:
        side.write_text(f"{hashlib.sha256(result.read_bytes()).hexdigest()}  {result.name}\n", encoding="utf-8")
    elif side.exists():
        side.unlink()
    return Converted(result, pack_id, src, dst, verified)


def _check_sum(archive: Path, sha: str, entry: CatalogueEntry | None, allow_unknown: bool) -> bool:
    name = archive.name
    side = archive.with_name(name + ".sha256")
    if entry is not None and entry.sha256:
        if entry.sha256 != sha:
            raise KioskError("pack.checksum_mismatch", f"{name} does not match the checksum the catalogue lists "
                             f"for {entry.id}. Copy it again from the source.")
        return True
    if side.is_file():
        words = side.read_text(encoding="utf-8", errors="replace").split()
        if not words or words[0].lower() != sha:
            raise KioskError("pack.checksum_mismatch", f"{name} does not match the checksum in {side.name} beside it. "
                             "Copy both files again from the source.")
        return True
    if allow_unknown:
        return False
    raise KioskError("pack.unknown", f"{name} has no published checksum and no {side.name} beside it. Add the "
                     ".sha256 file, or add --allow-unknown to install it unverified.")


def _convert(raw: Path, dest: Path, name: str) -> None:
    try:
        from ctranslate2.converters import OpusMTConverter

        OpusMTConverter(str(raw)).convert(str(dest), quantization="int8", force=True)
    except (KeyError, ValueError, RuntimeError, OSError, TypeError) as exc:
        raise _bad(name, f"CTranslate2 could not convert its model: {type(exc).__name__}") from None


def _zip(folder: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
