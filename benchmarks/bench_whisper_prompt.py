"""Does counter vocabulary help Whisper?  CER with and without the topic's glossary terms as a prompt.

    .venv/bin/python benchmarks/bench_whisper_prompt.py [--per-lang N]

Counter sentences: the phrasebook's sentences (every topic), spoken by espeak-ng in each language
(there are no real recordings of counter sentences), recognised by Whisper base three ways:
plain; ``initial_prompt`` = the glossary terms of the sentence's topic in that language; and
``hotwords`` = the same terms.  Prints pooled CER per language and way.  Not a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from kiosk.audio import read_wav
from kiosk.config import load_settings
from kiosk.content.load import default_content_dir, load_content
from kiosk.engines.whisper_stt import WhisperSpeechToText, to_float
from kiosk.engines.whisper_text import join_segments

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.speech_eval import cer, normalise  # noqa: E402

VOICES = {"ja": "ja", "en": "en-us", "vi": "vi", "zh": "cmn", "ko": "ko"}
SEP = {"ja": "、", "zh": "、", "en": ", ", "vi": ", ", "ko": ", "}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-lang", type=int, default=12, help="sentences per language")
    args = ap.parse_args()
    import numpy as np

    content = load_content(default_content_dir())
    stt = WhisperSpeechToText(data_dir=load_settings().data_dir)
    model = stt.model()
    print(f"\n### Whisper base, phrasebook sentences spoken by espeak-ng, {args.per_lang} per language\n")
    print("| lang | sentences | CER plain | CER initial_prompt | CER hotwords |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "s.wav"
        for lang, voice in VOICES.items():
            phrases = [p for p in content.phrases if "{" not in p.text(lang)]
            step = max(1, len(phrases) // args.per_lang)
            chosen = phrases[::step][: args.per_lang]
            totals = {"plain": 0.0, "prompt": 0.0, "hotwords": 0.0}
            chars = 0
            for phrase in chosen:
                text = phrase.text(lang)
                terms = [t.text(lang) for t in content.terms if t.topic == phrase.topic]
                vocab = SEP[lang].join(terms)[:300]
                subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True, capture_output=True)
                audio = to_float(read_wav(wav))
                spans = stt.speech_spans(audio)
                speech = np.concatenate([audio[a:b] for a, b in spans]) if spans else audio
                ways = (("plain", {}), ("prompt", {"initial_prompt": vocab}), ("hotwords", {"hotwords": vocab}))
                for way, kw in ways:
                    segs, _ = model.transcribe(speech, language=lang, beam_size=1, temperature=0.0,
                                               condition_on_previous_text=False, without_timestamps=True, **kw)
                    hyp = join_segments([s.text for s in segs], lang)
                    totals[way] += cer(text, hyp) * len(normalise(text))
                chars += len(normalise(text))
            print(f"| {lang} | {len(chosen)} | {totals['plain'] / chars:.3f} | {totals['prompt'] / chars:.3f} | "
                  f"{totals['hotwords'] / chars:.3f} |", flush=True)


if __name__ == "__main__":
    main()
