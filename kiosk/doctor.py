"""`kiosk doctor`: what is installed and working, and for each missing thing how to fix it.

Cheap checks only (no model is loaded), so it runs in a second or two.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import shutil
from dataclasses import dataclass

from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.fonts import find_font  # the font the app registers
from kiosk.languages import LANGUAGES
from kiosk.packs.coverage import DIRECT, MISSING, current_coverage, render_text
from kiosk.pin import PinStore, permission_problem
from kiosk.stats.health import doctor_check


@dataclass(frozen=True)
class Check:
    area: str
    name: str
    status: str  # "ok" | "warn" | "fail"
    detail: str
    fix: str = ""


def _module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def run_checks(settings: Settings, config_error: KioskError | None = None) -> list[Check]:
    checks: list[Check] = []
    add = checks.append

    # settings (a bad value or file: the rest is checked with the defaults)
    if config_error is not None:
        add(Check("config", "settings", "fail", config_error.message,
                  "correct the value in settings.toml or the environment (ranges: kiosk/config.py RANGES)"))
    else:
        add(Check("config", "settings", "ok", "all values within their ranges"))

    # engines
    for mod, what, fix in (
        ("vosk", "speech recognition (Vosk)", "run ./scripts/setup.sh"),
        ("faster_whisper", "speech recognition (Whisper, faster-whisper)", "run ./scripts/setup.sh"),
        ("ctranslate2", "translation (CTranslate2)", "run ./scripts/setup.sh"),
        ("sentencepiece", "translation tokenizer (SentencePiece)", "run ./scripts/setup.sh"),
        ("pyttsx3", "speech output (pyttsx3)", "run ./scripts/setup.sh"),
        ("kivy", "touchscreen app (Kivy)", "run ./scripts/setup.sh"),
    ):
        ok = _module(mod)
        add(Check("engines", what, "ok" if ok else "fail", "installed" if ok else "not installed", "" if ok else fix))

    lib = ctypes.util.find_library("espeak-ng")
    add(Check("engines", "espeak-ng library", "ok" if lib else "fail", lib or "libespeak-ng not found",
              "" if lib else "apt-get install libespeak-ng1 espeak-ng"))

    # data dir
    d = settings.data_dir
    try:
        d.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(d).free
        status = "ok" if free > 500 * 2**20 else "warn"
        add(Check("data", "data directory", status, f"{d} ({free / 2**30:.1f} GiB free)",
                  "" if status == "ok" else "free disk space: language packs need up to 500 MB each"))
    except OSError as exc:
        add(Check("data", "data directory", "fail", f"{d}: {exc.strerror}", "set --data-dir or KIOSK_DATA_DIR to a "
                                                                            "writable folder"))

    # statistics database (read-only: doctor never changes it)

    status, detail, fix = doctor_check(settings)
    add(Check("data", "statistics database", status, detail, fix))

    # staff PIN: the file exists and is sound, only its owner can read it

    pin = PinStore.peek(settings.data_dir)
    perms = permission_problem(pin.path)
    if pin.problem is not None:
        add(Check("data", "staff PIN", "fail", f"[{pin.problem.code}] {pin.problem.message}", "kiosk admin reset-pin"))
    elif perms:
        add(Check("data", "staff PIN", "fail", perms, f"chmod 600 {pin.path}"))
    elif settings.admin_pin_hash:
        add(Check("data", "staff PIN", "warn", "the PIN hash is still in settings.toml (readable by others)",
                  "start the app once: it moves the hash into admin-pin.json (0600)"))
    else:
        add(Check("data", "staff PIN", "warn" if pin.is_default() else "ok",
                  "default PIN 0000 (must be changed on first use)" if pin.is_default() else "set (0600 file)",
                  "set a PIN in the staff screen" if pin.is_default() else ""))

    # packs: speech recognition, translation, speech output (one source of truth: kiosk.packs.coverage)

    cov = current_coverage(settings)
    for code in cov.languages:
        lang = LANGUAGES[code]
        if cov.stt.get(code):
            add(Check("stt", f"speech recognition {code}", "ok", str(cov.stt[code])))
        else:
            add(Check("stt", f"speech recognition {code}", "warn", "no speech-recognition model",
                      f"kiosk packs install {lang.vosk_pack}.zip, or reinstall the app for the bundled Whisper model "
                      "(see lang_packs/README.md)"))
        if cov.tts.get(code):
            add(Check("tts", f"speech output {code}", "ok", f"espeak-ng voice {lang.espeak_voice}"))
        else:
            add(Check("tts", f"speech output {code}", "warn", f"espeak-ng voice {lang.espeak_voice} missing",
                      "apt-get install espeak-ng"))
    direct = {d for d, how in cov.directions.items() if how == DIRECT}
    for (a, b), how in cov.directions.items():
        name = f"translation {a}→{b}"
        if how != MISSING:
            add(Check("mt", name, "ok", "direct pack" if how == DIRECT else "via English"))
        else:
            need = [(a, b)] if "en" in (a, b) else [(a, "en"), ("en", b)]
            files = " and ".join(f"translate-{x}_{y}-*.argosmodel" for x, y in need if (x, y) not in direct)
            add(Check("mt", name, "warn", "missing", f"kiosk packs install {files} (see lang_packs/README.md)"))
    # audio devices
    if importlib.util.find_spec("sounddevice") is None:
        add(Check("audio", "audio devices", "fail", "sounddevice not installed", "run ./scripts/setup.sh"))
    else:
        try:
            import sounddevice as sd  # noqa: PLC0415

            devs = sd.query_devices()
            ins = sum(1 for x in devs if x["max_input_channels"] > 0)
            outs = sum(1 for x in devs if x["max_output_channels"] > 0)
            status = "ok" if ins and outs else "warn"
            add(Check("audio", "audio devices", status, f"{ins} input, {outs} output",
                      "" if status == "ok" else "connect a microphone and speaker (typed input still works)"))
        except OSError:
            add(Check("audio", "audio devices", "fail", "PortAudio library missing", "apt-get install libportaudio2"))

    # CJK font

    try:
        font = find_font()[0]
        add(Check("ui", "CJK font", "ok", font))
    except KioskError:
        add(Check("ui", "CJK font", "fail", "Noto CJK not found", "apt-get install fonts-noto-cjk"))

    # content
    try:
        from kiosk.content.load import default_content_dir  # noqa: PLC0415
        from kiosk.content.validate import validate  # noqa: PLC0415

        problems = validate(default_content_dir())
        add(Check("content", "phrasebook, glossary, FAQ, UI strings",
                  "ok" if not problems else "warn",
                  "valid" if not problems else f"{len(problems)} problems", "" if not problems else "kiosk content "
                                                                                                    "check"))
    except ImportError:
        pass
    except Exception as exc:  # noqa: BLE001
        add(Check("content", "content files", "warn", type(exc).__name__, "kiosk content check"))
    return checks


def render(checks: list[Check], settings: Settings) -> str:
    mark = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}
    lines = [f"kiosk doctor — data dir {settings.data_dir}", ""]
    mt_rows = [c for c in checks if c.area == "mt"]
    areas = list(dict.fromkeys(c.area for c in checks if c.area != "mt"))
    for area in areas:
        lines.append(f"[{area}]")
        for c in (c for c in checks if c.area == area):
            lines.append(f"  {mark[c.status]} {c.name}: {c.detail}" + (f"\n         fix: {c.fix}" if c.fix else ""))

    lines += ["", "[coverage]", render_text(current_coverage(settings))]
    missing = [c for c in mt_rows if c.status != "ok"]
    if missing:
        lines.append(f"fix: {len(missing)} directions missing; install Argos packs to and from English "
                     "(kiosk packs install PATH; see lang_packs/README.md)")
    return "\n".join(lines)
