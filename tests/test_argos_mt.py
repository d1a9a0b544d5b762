"""The real MT adapter (kiosk.engines.argos_mt) on tiny fixture-built Argos packs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from kiosk.engines.argos_mt import EMPTY_SCORE, ArgosTranslator, mean_log_prob
from kiosk.engines.base import Translator
from kiosk.errors import KioskError
from tests.support import tiny_argos

REPO = Path(__file__).resolve().parent.parent
KO = ["화장실은 어디에 있습니까?", "잠시만 기다려 주세요!", "수수료는 300엔입니다.", "여기에 성함과 주소를 적어 "
                                                                                     "주세요."]
EN = ["Where is the toilet?", "Please wait a moment!", "The fee is 300 yen.", "Mr. Tanaka will call your number soon."]
JA = ["トイレはどこですか？", "少々お待ちください！", "手数料は300円です。"]


@pytest.fixture(scope="module")
def mt(tiny_pack_dirs) -> ArgosTranslator:
    return ArgosTranslator(list(tiny_pack_dirs.values()))


@pytest.fixture
def pack_copies(tiny_pack_dirs, tmp_path):
    """Writable copies of the session packs, as {(from, to): folder}."""
    out = {}
    for (a, b), folder in tiny_pack_dirs.items():
        out[(a, b)] = Path(shutil.copytree(folder, tmp_path / "packs" / f"{a}-{b}"))
    return out


# ----------------------------------------------------------------- the fixture packs
def test_archive_has_the_argos_layout(tiny_pack_archives):
    archive = tiny_pack_archives[("ko", "en")]
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
        top = {n.split("/")[0] for n in names}
        assert len(top) == 1
        root = top.pop()
        for member in ("metadata.json", "README.md", "sentencepiece.model", "model/model.bin",
                       "model/config.json", "model/shared_vocabulary.json"):
            assert f"{root}/{member}" in names
        meta = json.loads(zf.read(f"{root}/metadata.json"))
    assert meta["from_code"] == "ko" and meta["to_code"] == "en"
    assert meta["package_version"] == "1.0" and meta["argos_version"]
    assert meta["from_name"] == "Korean" and meta["to_name"] == "English"


def test_pack_build_is_deterministic(tmp_path):
    a = tiny_argos.build_argos_pack_dir(tmp_path / "a", "ko", "en", seed=3)
    b = tiny_argos.build_argos_pack_dir(tmp_path / "b", "ko", "en", seed=3)
    c = tiny_argos.build_argos_pack_dir(tmp_path / "c", "ko", "en", seed=4)
    assert (a / "model" / "model.bin").read_bytes() == (b / "model" / "model.bin").read_bytes()
    assert (a / "model" / "model.bin").read_bytes() != (c / "model" / "model.bin").read_bytes()
    assert (a / "sentencepiece.model").read_bytes() == (c / "sentencepiece.model").read_bytes()


def test_broken_archive_variants(tiny_pack_archives, tmp_path):
    archive = tiny_pack_archives[("en", "ja")]
    truncated = tiny_argos.truncated_copy(archive, tmp_path / "t.argosmodel")
    assert not zipfile.is_zipfile(truncated)
    corrupt = tiny_argos.corrupt_copy(archive, tmp_path / "c.argosmodel")
    assert zipfile.is_zipfile(corrupt)
    with zipfile.ZipFile(corrupt) as zf:
        assert zf.testzip() == f"{zf.namelist()[0]}model/model.bin"  # fails its CRC check


# ----------------------------------------------------------------------- routing
def test_is_a_translator_and_lists_direct_pairs(mt):
    assert isinstance(mt, Translator)
    assert mt.direct_pairs() == {("ko", "en"), ("en", "ja"), ("ja", "en"), ("en", "vi")}
    assert mt.broken == {}


@pytest.mark.parametrize("src,tgt,route", [
    ("ko", "en", ("ko", "en")),
    ("en", "ja", ("en", "ja")),
    ("ko", "ja", ("ko", "en", "ja")),
    ("ko", "vi", ("ko", "en", "vi")),
    ("ja", "vi", ("ja", "en", "vi")),
    ("vi", "vi", ("vi",)),
])
def test_route(mt, src, tgt, route):
    assert mt.route(src, tgt) == route


@pytest.mark.parametrize("src,tgt,message", [
    ("en", "ko", "No translation pack for en→ko. Install a pack for en→ko (kiosk packs install PATH)."),
    ("vi", "ja", "No translation pack for vi→ja. Install a pack for vi→ja, or a pack for vi→en "
                 "to go with the installed en→ja (kiosk packs install PATH)."),
    ("ko", "zh", "No translation pack for ko→zh. Install a pack for ko→zh, or a pack for en→zh "
                 "to go with the installed ko→en (kiosk packs install PATH)."),
    ("zh", "vi", "No translation pack for zh→vi. Install a pack for zh→vi, or a pack for zh→en "
                 "to go with the installed en→vi (kiosk packs install PATH)."),
    ("zh", "ko", "No translation pack for zh→ko. Install a pack for zh→ko, or packs for both zh→en "
                 "and en→ko (kiosk packs install PATH)."),
])
def test_missing_direction(mt, src, tgt, message):
    for call in (lambda: mt.route(src, tgt), lambda: mt.translate("안녕", src, tgt)):
        with pytest.raises(KioskError) as exc:
            call()
        assert exc.value.code == "mt.missing_direction"
        assert exc.value.message == message


def test_no_packs_at_all():
    with pytest.raises(KioskError) as exc:
        ArgosTranslator([]).route("ko", "ja")
    assert exc.value.message == ("No translation pack for ko→ja. Install a pack for ko→ja, or packs for both "
                                 "ko→en and en→ja (kiosk packs install PATH).")


@pytest.mark.parametrize("src,tgt", [("fr", "en"), ("ko", "de"), ("", "en")])
def test_unsupported_language(mt, src, tgt):
    with pytest.raises(KioskError) as exc:
        mt.translate("x", src, tgt)
    bad = src if src != "ko" else tgt
    assert exc.value.code == "mt.unsupported_language"
    assert exc.value.message == f"Unknown language code {bad!r}. Use one of: ja, en, vi, zh, ko."


# ------------------------------------------------------------------- translating
def test_same_language_is_unchanged(mt):
    result = mt.translate("  こんにちは。元気？ ", "ja", "ja")
    assert result.text == "  こんにちは。元気？ "
    assert result.route == ("ja",) and result.sentences == () and result.score == 0.0


def test_direct_translation(mt):
    result = mt.translate(" ".join(KO[:2]), "ko", "en")
    assert result.route == ("ko", "en") and not result.pivoted
    assert result.source_language == "ko" and result.target_language == "en"
    assert [s.source for s in result.sentences] == KO[:2]
    assert all(s.text.strip() for s in result.sentences)
    assert result.text.strip()
    assert all(EMPTY_SCORE < s.score <= 0.0 for s in result.sentences)
    assert result.score == min(s.score for s in result.sentences)


def test_translation_is_deterministic(mt, tiny_pack_dirs):
    first = [mt.translate(s, "ko", "en") for s in KO]
    again = [mt.translate(s, "ko", "en") for s in KO]
    fresh = ArgosTranslator(list(tiny_pack_dirs.values()))
    other = [fresh.translate(s, "ko", "en") for s in KO]
    assert first == again == other
    assert len({r.text for r in first}) == len(KO)  # the output depends on the input


def test_pivot_translation(mt):
    result = mt.translate(" ".join(KO[:3]), "ko", "ja")
    assert result.route == ("ko", "en", "ja") and result.pivoted
    assert [s.source for s in result.sentences] == KO[:3]
    assert all(s.text for s in result.sentences)
    assert result.text == "".join(s.text for s in result.sentences)  # ja: no spaces between sentences
    # each sentence goes ko→en, then that English text en→ja; scores add up
    for s in result.sentences:
        en = mt.translate(s.source, "ko", "en").sentences
        assert len(en) == 1
        ja = mt._run(mt.packs[("en", "ja")], [en[0].text])
        assert s.text == ja[1][0]
        assert s.score == pytest.approx(en[0].score + ja[2][0])
        assert s.score <= 0.0


def test_paragraphs_and_blank_lines_are_kept(mt):
    text = f"{JA[0]}{JA[1]}\n\n{JA[2]}"
    result = mt.translate(text, "ja", "en")
    lines = result.text.split("\n")
    assert len(lines) == 3 and lines[1] == "" and lines[0] and lines[2]
    assert [s.source for s in result.sentences] == JA


def test_empty_text(mt):
    result = mt.translate("   ", "ko", "en")
    assert result.text == "" and result.sentences == () and result.route == ("ko", "en")


def test_scores_are_mean_log_prob_per_token(mt):
    """Our score equals CTranslate2's own per-token log-probs of the output, averaged."""
    pack = mt._load(mt.packs[("ko", "en")])
    pieces, _texts, scores = mt._run(pack, KO)
    forced = pack.translator.score_batch([pack.tokenizer.encode(s, out_type=str) for s in KO], pieces)
    for score, result in zip(scores, forced, strict=True):
        assert len(result.log_probs) > 1
        assert score == pytest.approx(sum(result.log_probs) / len(result.log_probs), abs=0.05)
        assert score <= 0.0


def test_mean_log_prob_edges():
    assert mean_log_prob(-2.0, 0) == EMPTY_SCORE
    assert mean_log_prob(float("-inf"), 3) == EMPTY_SCORE
    assert mean_log_prob(-4.0 / 4**0.2, 4) == pytest.approx(-4.0 / 5)  # 4 tokens + end token
    assert mean_log_prob(-256.0 / 256**0.2, 256) == pytest.approx(-1.0)  # hit the length limit: no end token


def test_models_load_once_under_concurrency(tiny_pack_dirs):
    mt = ArgosTranslator(list(tiny_pack_dirs.values()), intra_threads=1)
    results, errors = [], []

    def work():
        try:
            results.append(mt.translate(KO[0], "ko", "ja"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 6 and len({r.text for r in results}) == 1
    loaded = {k for k, p in mt.packs.items() if p.translator is not None}
    assert loaded == {("ko", "en"), ("en", "ja")}  # lazily: only the packs on the route


def test_warm_up_loads_the_route(tiny_pack_dirs):
    mt = ArgosTranslator(list(tiny_pack_dirs.values()))
    assert all(p.translator is None for p in mt.packs.values())
    assert mt.warm_up("ja", "vi") == ("ja", "en", "vi")
    assert {k for k, p in mt.packs.items() if p.translator is not None} == {("ja", "en"), ("en", "vi")}


@pytest.mark.parametrize("compute_type", ["int8", "float32", "float16"])
def test_compute_types_and_fallback(tiny_pack_dirs, compute_type):
    mt = ArgosTranslator([tiny_pack_dirs[("en", "vi")]], compute_type=compute_type, intra_threads=1)
    assert mt.translate(EN[0], "en", "vi").text


# -------------------------------------------------------------------- bad packs
def _bad(folder: Path, reason: str) -> str:
    return (f"The translation pack in {folder} cannot be loaded ({reason}). "
            "Remove it and install it again (kiosk packs install PATH).")


@pytest.mark.parametrize("how,reason", [
    ("model", "the CTranslate2 model in model/ is missing or damaged"),
    ("missing_model", "the CTranslate2 model in model/ is missing or damaged"),
    ("sentencepiece", "sentencepiece.model is missing or unreadable"),
])
def test_corrupt_pack_fails_alone(pack_copies, how, reason):
    folder = tiny_argos.break_pack_dir(pack_copies[("en", "ja")], how)
    mt = ArgosTranslator(list(pack_copies.values()))
    for _ in range(2):  # the same error again, without retrying the load
        with pytest.raises(KioskError) as exc:
            mt.translate(EN[0], "en", "ja")
        assert exc.value.code == "mt.bad_pack"
        assert exc.value.message == _bad(folder, reason)
    with pytest.raises(KioskError) as exc:
        mt.translate(KO[0], "ko", "ja")  # the pivot through the broken pack too
    assert exc.value.code == "mt.bad_pack"
    assert mt.translate(KO[0], "ko", "en").text  # the other packs still work
    assert mt.translate(EN[0], "en", "vi").text


@pytest.mark.parametrize("content,reason", [
    ("{not json", "metadata.json is not valid JSON"),
    ('{"from_code": "ko"}', "metadata.json has no from_code/to_code"),
    (None, "metadata.json is missing"),
])
def test_bad_metadata_is_skipped(pack_copies, content, reason):
    folder = pack_copies[("en", "vi")]
    if content is None:
        (folder / "metadata.json").unlink()
    else:
        (folder / "metadata.json").write_text(content, encoding="utf-8")
    mt = ArgosTranslator(list(pack_copies.values()))
    assert ("en", "vi") not in mt.direct_pairs()
    assert set(mt.broken) == {folder}
    assert mt.broken[folder].code == "mt.bad_pack"
    assert mt.broken[folder].message == _bad(folder, reason)
    assert mt.translate(KO[0], "ko", "en").text


# ------------------------------------------------- equality with argostranslate
ARGOS_SCRIPT = r"""
import json, socket, sys
from pathlib import Path

def _no_network(*args, **kwargs):
    raise RuntimeError("network used")
socket.socket.connect = _no_network

req = json.loads(sys.stdin.read())
import argostranslate.package as package
import argostranslate.translate as translate
from kiosk.engines.sentences import split_sentences

for archive in req["archives"]:
    package.install_from_path(Path(archive))

class Splitter:  # stands in for MiniSBD, which would download a model
    def __init__(self, lang):
        self.lang = lang
    def split_sentences(self, text):
        return [text] if req["whole"] else split_sentences(text, self.lang)

translate.get_installed_languages()
for item in translate.installed_translates:
    underlying = item.cached_translation.underlying
    underlying.sentencizer = Splitter(underlying.pkg.from_code)
print(json.dumps([translate.translate(text, src, tgt) for src, tgt, text in req["jobs"]]))
"""


def _argostranslate(archives, jobs, sandbox: Path, *, whole: bool, beam_size=2, compute_type="int8"):
    """Run argostranslate itself in a subprocess whose HOME and ARGOS_* point into ``sandbox``."""
    home = sandbox / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(home), "PYTHONPATH": str(REPO),
        "XDG_DATA_HOME": str(sandbox / "xdg-data"), "XDG_CONFIG_HOME": str(sandbox / "xdg-config"),
        "XDG_CACHE_HOME": str(sandbox / "xdg-cache"), "TMPDIR": str(sandbox),
        "ARGOS_PACKAGES_DIR": str(sandbox / "argos-packages"), "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_BEAM_SIZE": str(beam_size), "ARGOS_COMPUTE_TYPE": compute_type,
        "ARGOS_INTER_THREADS": "1", "ARGOS_INTRA_THREADS": "2",
    }
    out = subprocess.run(
        [sys.executable, "-c", ARGOS_SCRIPT], input=json.dumps({"archives": [str(a) for a in archives],
                                                               "jobs": jobs, "whole": whole}),
        capture_output=True, text=True, env=env, cwd=sandbox, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_equals_argostranslate(tiny_pack_archives, tiny_pack_dirs, tmp_path):
    mt = ArgosTranslator(list(tiny_pack_dirs.values()), beam_size=2, compute_type="int8", intra_threads=2)
    singles = ([("ko", "en", s) for s in KO] + [("en", "ja", s) for s in EN] + [("ja", "en", s) for s in JA]
               + [("en", "vi", s) for s in EN[:2]] + [("ko", "ja", s) for s in KO[:2]] + [("ja", "vi", JA[0])])
    theirs = _argostranslate(tiny_pack_archives.values(), singles, tmp_path / "a", whole=True)
    ours = [mt.translate(text, src, tgt) for src, tgt, text in singles]
    assert [len(r.sentences) for r in ours] == [1] * len(singles)
    assert [r.text for r in ours] == theirs
    assert all(theirs)

    # several sentences and paragraphs, split the same way on both sides
    multi = [("ko", "en", " ".join(KO)), ("ja", "en", "".join(JA) + "\n" + JA[0]), ("en", "vi", " ".join(EN)),
             ("en", "ja", EN[0] + "\n\n" + EN[1])]
    theirs = _argostranslate(tiny_pack_archives.values(), multi + [("en", "ja", " ".join(EN))], tmp_path / "b",
                             whole=False)
    ours = [mt.translate(text, src, tgt).text for src, tgt, text in multi]
    assert ours == theirs[:-1]
    # ja/zh targets: we join sentences without the space argostranslate leaves between them
    joined = mt.translate(" ".join(EN), "en", "ja")
    assert len(joined.sentences) == len(EN)
    assert joined.text == "".join(s.text for s in joined.sentences)
    assert joined.text.replace(" ", "") == theirs[-1].replace(" ", "")


def test_equals_argostranslate_with_other_settings(tiny_pack_archives, tiny_pack_dirs, tmp_path):
    mt = ArgosTranslator([tiny_pack_dirs[("ko", "en")]], beam_size=4, compute_type="float32", intra_threads=2)
    jobs = [("ko", "en", s) for s in KO]
    theirs = _argostranslate([tiny_pack_archives[("ko", "en")]], jobs, tmp_path, whole=True,
                             beam_size=4, compute_type="float32")
    assert [mt.translate(t, "ko", "en").text for _, _, t in jobs] == theirs


# ----------------------------------------------------------- nothing written anywhere
ADAPTER_SCRIPT = r"""
import json, sys
from kiosk.engines.argos_mt import ArgosTranslator
req = json.loads(sys.stdin.read())
mt = ArgosTranslator(req["packs"])
print(json.dumps([mt.translate(t, s, g).text for s, g, t in req["jobs"]]))
"""


def _tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in sorted(root.rglob("*"))}


def test_no_files_outside_the_data_dir(pack_copies, tmp_path):
    """A fresh process with HOME, TMPDIR, XDG_* and cwd in a sandbox: after loading and
    translating, the sandbox is still empty and the data dir unchanged."""
    data = tmp_path / "packs"
    sandbox = tmp_path / "sandbox"
    dirs = {name: sandbox / name for name in ("home", "tmp", "cwd", "xdg-data", "xdg-config", "xdg-cache")}
    for d in dirs.values():
        d.mkdir(parents=True)
    before = _tree(data)
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), "HOME": str(dirs["home"]),
           "TMPDIR": str(dirs["tmp"]), "XDG_DATA_HOME": str(dirs["xdg-data"]),
           "XDG_CONFIG_HOME": str(dirs["xdg-config"]), "XDG_CACHE_HOME": str(dirs["xdg-cache"]),
           "PYTHONDONTWRITEBYTECODE": "1"}
    req = {"packs": [str(p) for p in pack_copies.values()],
           "jobs": [["ko", "ja", " ".join(KO)], ["en", "vi", EN[0]], ["ja", "en", JA[0]]]}
    out = subprocess.run([sys.executable, "-c", ADAPTER_SCRIPT], input=json.dumps(req), capture_output=True,
                         text=True, env=env, cwd=dirs["cwd"], timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert all(json.loads(out.stdout))
    assert {name: _tree(d) for name, d in dirs.items()} == {name: {} for name in dirs}
    assert _tree(data) == before


def test_no_files_in_home_in_process(mt):
    home = Path.home()
    before = _tree(home)
    mt.translate(" ".join(KO), "ko", "vi")
    assert _tree(home) == before


def test_import_is_light():
    code = ("import sys, kiosk.engines.argos_mt; "
            "print(sorted(m for m in ('ctranslate2', 'sentencepiece', 'argostranslate', 'minisbd') if m in "
            "sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
