"""Core sub-commands: translate, transcribe, speak, converse, doctor, app."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.audio import read_wav
from kiosk.doctor import render, run_checks
from kiosk.engines.argos_mt import ArgosTranslator
from kiosk.engines.factory import build_engines, build_stt
from kiosk.engines.pyttsx3_tts import Pyttsx3TextToSpeech
from kiosk.errors import KioskError
from kiosk.languages import CODES
from kiosk.limits import check_text, read_lines
from kiosk.output import atomic_output, check_destination
from kiosk.pipeline import events as ev
from kiosk.pipeline.content_adapters import load_lookups
from kiosk.pipeline.conversation import Conversation
from kiosk.ui.launch import run


def register(sub) -> None:
    p = sub.add_parser("translate", help="translate text (arguments, or lines on stdin)")
    p.add_argument("--from", dest="source", required=True, choices=CODES, help="source language")
    p.add_argument("--to", dest="target", required=True, choices=CODES, help="target language")
    p.add_argument("text", nargs="*", help="text to translate; omit to read lines from stdin")
    p.add_argument("--json", action="store_true", help="print route, sentences and scores as JSON")
    p.set_defaults(func=cmd_translate)

    p = sub.add_parser("transcribe", help="recognise speech in a WAV file")
    p.add_argument("--lang", required=True, choices=CODES)
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print confidence and words as JSON")
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("speak", help="say text aloud, or write it to a WAV file")
    p.add_argument("--lang", required=True, choices=CODES)
    p.add_argument("text", nargs="+")
    p.add_argument("--out", type=Path, help="write a WAV file instead of playing")
    p.set_defaults(func=cmd_speak)

    p = sub.add_parser("converse", help="speech in, translated speech out (WAV → WAV)")
    p.add_argument("--from", dest="source", required=True, choices=CODES)
    p.add_argument("--to", dest="target", required=True, choices=CODES)
    p.add_argument("file", type=Path, help="16-bit PCM WAV with the speaker's speech")
    p.add_argument("--out", type=Path, required=True, help="WAV file for the translated speech")
    p.add_argument("--json", action="store_true", help="print every pipeline event as JSON lines")
    p.set_defaults(func=cmd_converse)

    p = sub.add_parser("doctor", help="what is installed and working, and how to fix what is not")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_doctor, reports_config=True)

    p = sub.add_parser("app", help="start the touchscreen app")
    p.add_argument("--kiosk", action="store_true", help="start in kiosk mode (full screen, PIN to exit)")
    p.add_argument("--size", metavar="WxH", help="window size, e.g. 1280x800")
    p.set_defaults(func=cmd_app)


def _engines(settings):
    return build_engines(settings)


def cmd_translate(args: argparse.Namespace, settings) -> int:
    lines = [check_text(" ".join(args.text))] if args.text else None
    mt = ArgosTranslator.from_settings(settings)
    mt.route(args.source, args.target)  # fail early with what is missing
    if settings.mt_protect_terms:  # agreed glossary terms carried through, as in the app

        mt.use_terms(getattr(load_lookups(settings).glossary, "checker", None))
    for line in lines if lines is not None else read_lines(sys.stdin):  # stdin: one line at a time
        if not line.strip():
            print()
            continue
        result = mt.translate(line, args.source, args.target)
        if args.json:
            print(json.dumps({
                "text": result.text, "route": list(result.route), "score": result.score,
                "sentences": [{"source": s.source, "text": s.text, "score": s.score} for s in result.sentences],
            }, ensure_ascii=False))
        else:
            print(result.text)
    return 0


def cmd_transcribe(args: argparse.Namespace, settings) -> int:
    stt = build_stt(settings)
    t = stt.transcribe_file(args.file, args.lang)
    if args.json:
        print(json.dumps({"language": t.language, "text": t.text, "confidence": t.confidence, "heard": t.heard,
                          "engine": stt.label(args.lang), "words": [w.__dict__ for w in t.words]}, ensure_ascii=False))
    elif not t.heard:
        print("(nothing heard)", file=sys.stderr)
        return 1
    else:
        print(t.text)
    return 0


def cmd_speak(args: argparse.Namespace, settings) -> int:
    text = check_text(" ".join(args.text))
    if args.out:
        check_destination(args.out)
    tts = Pyttsx3TextToSpeech.from_settings(settings)
    if args.out:
        with atomic_output(args.out) as tmp:
            audio = tts.synthesize(text, args.lang, tmp)
        print(f"wrote {args.out} ({audio.duration_s:.2f} s)")
    else:
        tts.speak(text, args.lang)
    return 0


def cmd_converse(args: argparse.Namespace, settings) -> int:
    check_destination(args.out)  # before the whole pipeline runs
    pcm = read_wav(args.file)  # validates the format first
    engines = _engines(settings)
    phrases, glossary, vocab = load_lookups(settings)
    engines.translator.route(args.source, args.target)  # explain what is missing before listening
    rec = ev.Recorder()

    def observer(event: ev.Event) -> None:
        rec(event)
        if args.json:
            print(
                json.dumps(
                    {"type": event.type, **{k: v for k, v in event.__dict__.items()}}, ensure_ascii=False, default=list
                )
            )

    conv = Conversation(engines, settings, observer, matcher=phrases, glossary=glossary,
                        recognition_phrases=vocab, speak_aloud=False)
    conv.start_session(mode="counter", visitor_language=args.source, staff_language=args.target)
    tid = conv.start_speech(side="visitor", source=args.source, target=args.target)
    for i in range(0, len(pcm), 8000):
        conv.push_audio(tid, pcm[i : i + 8000])
    conv.stop_speech(tid)
    conv.wait(timeout=None)
    conv.end_session()
    failed = [e for e in rec.events if isinstance(e, ev.TurnFailed)]
    if failed:
        raise KioskError(failed[0].code, failed[0].message)
    final = next(e for e in rec.events if isinstance(e, ev.FinalText))
    tr = next(e for e in rec.events if isinstance(e, ev.TranslationReady))
    back = next((e for e in rec.events if isinstance(e, ev.BackTranslationReady)), None)
    with atomic_output(args.out) as tmp:
        audio = engines.tts.synthesize(tr.text, args.target, tmp)
    if not args.json:
        print(f"heard ({args.source}, confidence {final.confidence:.2f}): {final.text}")
        mark = "verified phrase" if tr.verified else "machine translation via " + "→".join(tr.route)
        print(f"translation ({args.target}, {mark}): {tr.text}")
        if not tr.sure:
            print(f"NOT SURE: {', '.join(tr.reasons)}")
        if back and back.text:
            print(f"back-translation ({args.source}): {back.text}")
        print(f"wrote {args.out} ({audio.duration_s:.2f} s)")
    return 0


def cmd_doctor(args: argparse.Namespace, settings) -> int:
    checks = run_checks(settings, config_error=getattr(args, "config_error", None))
    if args.json:
        print(json.dumps([c.__dict__ for c in checks], ensure_ascii=False, indent=1))
    else:
        print(render(checks, settings))
    return 1 if any(c.status == "fail" for c in checks) else 0


def cmd_app(args: argparse.Namespace, settings) -> int:
    if args.kiosk:
        settings = settings.replace(mode="kiosk", fullscreen=True)
    size = None
    if args.size:
        try:
            w, h = (int(x) for x in args.size.lower().split("x"))
            size = (w, h)
        except ValueError:
            raise KioskError("cli.bad_argument", "--size must look like 1280x800.") from None

    return int(run(settings, size=size) or 0)
