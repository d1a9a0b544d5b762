"""Open an extracted pack with the real engines before it is moved into place.

Heavy imports (ctranslate2, sentencepiece, vosk) happen here, inside the functions.
Each validator takes the extracted folder and raises ``pack.invalid`` if the
engine cannot load it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.packs.whisper_pack import validate_whisper as check

Validator = Callable[[Path, str], None]  # (folder, display name) -> None or raise


def validate_mt(folder: Path, name: str) -> None:
    """An Argos package: CTranslate2 model in model/, SentencePiece (or BPE) tokenizer."""
    model_dir = folder / "model"
    if not (model_dir / "model.bin").is_file():
        raise KioskError("pack.invalid", f"{name} has no CTranslate2 model (model/model.bin). Use a published Argos "
                                         ".argosmodel file.")
    sp_path = folder / "sentencepiece.model"
    if not sp_path.is_file() and not (folder / "bpe.model").is_file():
        raise KioskError("pack.invalid", f"{name} has no tokenizer (sentencepiece.model). Use a published Argos "
                                         ".argosmodel file.")
    try:
        import ctranslate2

        translator = ctranslate2.Translator(str(model_dir), device="cpu", inter_threads=1, intra_threads=1)
        del translator
    except Exception as exc:  # ctranslate2 raises RuntimeError/ValueError with a file-level reason
        raise KioskError("pack.invalid", f"The translation model in {name} cannot be loaded ({type(exc).__name__}). "
                                         "Copy the pack again from its source.") from None
    if sp_path.is_file():
        try:
            import sentencepiece

            sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
        except Exception as exc:
            raise KioskError("pack.invalid", f"The tokenizer in {name} cannot be loaded ({type(exc).__name__}). Copy "
                                             "the pack again from its source.") from None


def validate_stt(folder: Path, name: str) -> None:
    """A Vosk model folder: vosk.Model must load it (slow for big models)."""
    try:
        import vosk

        vosk.SetLogLevel(-1)
        model = vosk.Model(str(folder))
        del model
    except Exception as exc:  # vosk raises a plain Exception("Failed to create a model")
        raise KioskError("pack.invalid", f"The speech model in {name} cannot be loaded by Vosk ({type(exc).__name__}). "
                                         "Copy the pack again from its source.") from None


def validate_whisper(folder: Path, name: str) -> None:
    check(folder, name)


REAL_VALIDATORS: dict[str, Validator] = {"mt": validate_mt, "stt": validate_stt, "whisper": validate_whisper}
