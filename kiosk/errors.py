"""One exception type with stable error codes.

Every failure a visitor or staff member can meet is a ``KioskError`` with a
``code`` (a stable dotted string, e.g. ``"audio.bad_format"``) and a message
that says what to do.  Messages never contain what a visitor said or typed.

Each area documents its codes in ``CODES`` below; a test checks that every
code raised in the package is listed here.
"""

from __future__ import annotations


class KioskError(Exception):
    """A failure with a stable ``code`` and a human message that says what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message

    def __reduce__(self):  # keep picklable across threads/processes
        return (type(self), (self.code, self.message))


# code -> short description (for docs, `kiosk doctor`, and the code test)
CODES: dict[str, str] = {
    # audio
    "audio.bad_format": "audio is not 16-bit PCM WAV that can be converted to 16 kHz mono",
    "audio.unreadable": "audio file missing or not a WAV file",
    "audio.no_device": "no audio input/output device available",
    "audio.nothing_heard": "the recording held no speech",
    "audio.too_long": "a recording is longer than the limit (10 minutes)",
    # text entering the kiosk (typed, CLI, stdin)
    "text.too_long": "a text is longer than the limit (kiosk.limits.MAX_TEXT_CHARS)",
    "text.bad_encoding": "a text or line of input is not valid UTF-8",
    # output files
    "output.bad_path": "an output file cannot be written where asked (missing folder, a directory, no permission)",
    "output.write_failed": "writing an output file failed (disk full, I/O error); the partial file is removed",
    # speech to text
    "stt.missing_model": "no speech-recognition model installed for a language",
    "stt.bad_model": "a speech-recognition model folder is broken",
    # translation
    "mt.missing_direction": "no installed pack (direct or via English) serves a direction",
    "mt.bad_pack": "an installed translation pack cannot be loaded",
    "mt.unsupported_language": "a language code is not one of ja, en, vi, zh, ko",
    # speech output
    "tts.missing_voice": "no speech-output voice for a language",
    "tts.engine_failed": "the speech-output engine failed",
    # packs
    "pack.checksum_mismatch": "a pack file does not match its expected sha256",
    "pack.unknown": "a pack is not in the catalogue and has no .sha256 beside it",
    "pack.unsafe_archive": "a pack archive has unsafe entries (.., absolute paths, symlinks)",
    "pack.too_large": "a pack archive expands beyond the allowed size or ratio",
    "pack.disk_full": "not enough free disk space to install or export packs",
    "pack.corrupt": "a pack file is truncated or not a valid archive",
    "pack.invalid": "a pack's contents fail validation",
    "pack.not_installed": "no installed pack has this id",
    "pack.locked": "another install is running",
    "pack.catalogue_invalid": "the pack catalogue file is invalid",
    "pack.not_found": "no pack file or pack folder at a path given to install",
    "pack.interrupted": "an upgrade was cut short between its two renames (recovered at start and by verify)",
    "pack.damaged": "an installed pack's files no longer match the list recorded at install",
    "pack.not_removable": "a pack that comes with the app (PyPI Korean model) cannot be removed",
    "pack.bad_language": "the language given for a speech model is not one of ja, en, vi, zh, ko",
    # content
    "content.invalid": "a content file fails validation",
    "content.missing": "a content file is missing",
    "content.bad_fill": "a phrase blank typed at the counter is empty or too long",
    # config and CLI
    "config.invalid": "the settings file or environment has a bad value",
    "cli.bad_argument": "a command-line argument is invalid",
    # pipeline
    "pipeline.cancelled": "a turn was cancelled",
    "pipeline.internal": "an unexpected internal failure",
    "pipeline.bad_side": "a turn was started for a side other than staff or visitor (a programming error)",
    "pipeline.empty_text": "a typed turn with no text",
    # stats
    "stats.bad_database": "a statistics database URL or file cannot be used",
    "stats.damaged": "the statistics database file is damaged (the app keeps it aside and begins a new one)",
    "stats.disk_full": "the disk holding the statistics database is full (its counts are kept)",
    "stats.newer_database": "the statistics database was written by a newer kiosk version (left untouched)",
    "stats.not_kiosk_database": "a database given to --source is missing or holds no kiosk statistics",
    "stats.push_failed": "pushing statistics to the fleet database failed",
    "stats.bad_report_file": "a report file name does not end in .html or .pdf",
    "stats.bad_batch_size": "a push batch size below 1",
    # bench
    "bench.probe_failed": "the start-up or memory probe of kiosk bench failed",
    # ui / admin
    "admin.pin_locked": "too many wrong PIN attempts",
    "admin.bad_pin": "wrong staff PIN",
    "admin.weak_pin": "a new staff PIN is too short or too easy to guess",
    "admin.pin_missing": "the staff PIN file is missing although a PIN was set (fail closed; kiosk admin reset-pin)",
    "admin.pin_broken": "the staff PIN file or hash is damaged (kiosk admin reset-pin)",
    "admin.pin_mismatch": "the two new PINs typed for kiosk admin reset-pin differ",
    "admin.task_failed": "a staff-screen task (packs, statistics) failed unexpectedly; details in the log",
    "ui.font_missing": "no CJK font installed for the touchscreen app",
}
