"""Sideloaded faster-whisper models (pack kind ``whisper``): recognise, verify, describe, validate.

A faster-whisper model is a folder (as its publisher's hub repository holds
it): CTranslate2 ``model.bin``, ``config.json``, ``tokenizer.json`` and
``vocabulary.txt`` or ``vocabulary.json`` (large-v3 models also have
``preprocessor_config.json``).  Staff copy that folder (or a .zip of it) to a
USB stick.  Publishers give no checksum of the folder, so the installer checks
``model.bin``: its sha256 (computed while it is copied) must be the
catalogue's, or an archive must match the ``<file>.sha256`` beside it, or
``--allow-unknown`` installs it marked unknown.  Then faster-whisper must load
it before it is moved into ``packs/whisper/<id>/``.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.engines.whisper_stt import offline_env
from kiosk.errors import KioskError
from kiosk.languages import CODES
from kiosk.packs.catalogue import Catalogue, CatalogueEntry, read_sidecar

REQUIRED = ("model.bin", "config.json", "tokenizer.json")
VOCABULARY = ("vocabulary.txt", "vocabulary.json")


def is_whisper_files(names) -> bool:
    """True when the files (relative paths) are a faster-whisper model folder."""
    names = set(names)
    return all(n in names for n in REQUIRED) and any(v in names for v in VOCABULARY)


def looks_like_whisper_folder(path: Path) -> bool:
    return all((path / n).is_file() for n in REQUIRED) and any((path / v).is_file() for v in VOCABULARY)


def checksum(model_sha256: str, src: Path, catalogue: Catalogue, allow_unknown: bool,
             archive_sha256=None) -> tuple[CatalogueEntry | None, str, str]:
    """(catalogue entry or None, model.bin sha256, verified_by: catalogue|sidecar|none) or raise."""
    name = src.name
    hit = next((e for e in catalogue.of_kind("whisper") if e.sha256 == model_sha256 and e.source == "file"), None)
    if hit is not None:
        return hit, model_sha256, "catalogue"
    named = catalogue.by_file_name(name)
    named = named if named is not None and named.kind == "whisper" else None
    side = src.with_name(src.name + ".sha256")
    if src.is_file() and side.is_file():
        if read_sidecar(src) != archive_sha256():
            raise KioskError("pack.checksum_mismatch",
                             f"{name} does not match the checksum in {name}.sha256 beside it. "
                             "Copy both files again from the source.")
        return named, model_sha256, "sidecar"
    if named is not None and named.sha256:
        raise KioskError("pack.checksum_mismatch",
                         f"The model.bin in {name} does not match the checksum the catalogue lists for {named.id}. "
                         "Copy it again from the source.")
    if allow_unknown:
        return named, model_sha256, "none"
    raise KioskError("pack.unknown",
                     f"The Whisper model {name} is not in the pack catalogue (its model.bin checksum is unknown). "
                     "Add --allow-unknown to install it unverified.")


def describe(entry: CatalogueEntry | None, language: str | None, root: str, stem: str) -> dict:
    """The marker fields: id (also the slot), version, languages served."""
    pack_id = entry.id if entry else (root or stem)
    if entry is not None and language is not None and language not in entry.languages:
        raise KioskError("pack.invalid", f"{pack_id} does not serve {language}. Leave out --language.")
    langs = list(entry.languages) if entry else ([language] if language else list(CODES))
    return {"id": pack_id, "slot": pack_id, "languages": langs, "version": entry.version if entry else ""}


def validate_whisper(folder: Path, name: str) -> None:
    """faster-whisper must load the model (from this folder only, never the hub)."""
    if not looks_like_whisper_folder(folder):
        raise KioskError("pack.invalid", f"{name} is not a complete faster-whisper model (model.bin, config.json, "
                                         "tokenizer.json, vocabulary). Copy the whole model folder again.")

    offline_env()
    try:
        from faster_whisper import WhisperModel

        model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=1, local_files_only=True)
        del model
    except Exception as exc:  # ctranslate2 / tokenizers raise RuntimeError, ValueError, OSError
        raise KioskError("pack.invalid", f"The Whisper model in {name} cannot be loaded ({type(exc).__name__}). "
                                         "Copy the model folder again from its source.") from None
