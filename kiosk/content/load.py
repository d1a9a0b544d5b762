"""Load the content directory into frozen dataclasses.

Layout (see content/README.md)::

    content/topics.toml               [topics.<id>] names in five languages
    content/phrasebook/<topic>.toml   [[phrase]] entries
    content/glossary.toml             [[term]] entries
    content/faq.toml                  [[answer]] entries (templates)
    content/site.toml                 values a city fills in for the templates
    content/ui_strings.toml           [strings.<key>] (optional while the UI is built)

``load_content`` checks structure only (parseable TOML, required fields present
and of the right type, unique ids) and raises ``KioskError("content.invalid")``
naming the file, line and id.  The finer checks (scripts, placeholders, lengths)
are in ``kiosk.content.validate`` and run by ``kiosk content check``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import kiosk
from kiosk.errors import KioskError
from kiosk.languages import CODES as LANGS

PHRASE_TEXT_FIELDS = ("ja", "ja_kana", "ja_easy", "en", "vi", "zh", "ko")
SPEAKERS = ("staff", "visitor", "both")


@dataclass(frozen=True)
class Topic:
    id: str
    names: Mapping[str, str] = field(hash=False)
    icon: str = ""

    def name(self, lang: str) -> str:
        return self.names[lang]


@dataclass(frozen=True)
class Phrase:
    id: str
    topic: str
    speaker: str
    texts: Mapping[str, str] = field(hash=False)  # ja en vi zh ko
    ja_kana: str
    ja_easy: str
    reviewed: str = "no"
    file: str = ""
    # other wordings the matcher accepts for this phrase (``variants_<lang>``); never shown
    variants: Mapping[str, tuple[str, ...]] = field(hash=False, default_factory=dict)

    def text(self, lang: str) -> str:
        return self.texts[lang]

    @property
    def is_reviewed(self) -> bool:
        return is_reviewed(self.reviewed)


@dataclass(frozen=True)
class Term:
    id: str
    topic: str
    texts: Mapping[str, str] = field(hash=False)
    ja_kana: str
    aliases: Mapping[str, tuple[str, ...]] = field(hash=False)
    accept: Mapping[str, tuple[str, ...]] = field(hash=False, default_factory=dict)
    note: str = ""
    reviewed: str = "no"

    def text(self, lang: str) -> str:
        return self.texts[lang]

    def variants(self, lang: str) -> tuple[str, ...]:
        """The agreed term and its accepted aliases in ``lang`` (for ja also the kana)."""
        out = [self.texts[lang], *self.aliases.get(lang, ())]
        if lang == "ja" and self.ja_kana:
            out.append(self.ja_kana)
        return tuple(dict.fromkeys(v for v in out if v))

    def accepted(self, lang: str) -> tuple[str, ...]:
        """What counts as the term in a translation: ``variants`` plus ``accept_<lang>``
        (forms too common to look for in a source text, e.g. "phone")."""
        return tuple(dict.fromkeys((*self.variants(lang), *self.accept.get(lang, ()))))

    @property
    def is_reviewed(self) -> bool:
        return is_reviewed(self.reviewed)


@dataclass(frozen=True)
class FaqAnswer:
    id: str
    topic: str
    questions: Mapping[str, str] = field(hash=False)
    answers: Mapping[str, str] = field(hash=False)
    reviewed: str = "no"

    def question(self, lang: str) -> str:
        return self.questions[lang]

    @property
    def is_reviewed(self) -> bool:
        return is_reviewed(self.reviewed)


@dataclass(frozen=True)
class UiStrings:
    strings: Mapping[str, Mapping[str, str]] = field(hash=False)

    def get(self, key: str, lang: str) -> str:
        try:
            return self.strings[key][lang]
        except KeyError:
            raise KioskError(
                "content.missing", f"UI string {key!r} has no {lang!r} text; add it to content/ui_strings.toml."
            ) from None


@dataclass(frozen=True)
class Content:
    directory: Path
    topics: Mapping[str, Topic] = field(hash=False)
    phrases: tuple[Phrase, ...]
    terms: tuple[Term, ...]
    faq: tuple[FaqAnswer, ...]
    site: Mapping[str, Any] = field(hash=False)
    ui: UiStrings

    def phrase(self, phrase_id: str) -> Phrase:
        for p in self.phrases:
            if p.id == phrase_id:
                return p
        raise KioskError("content.missing", f"No phrase with id {phrase_id!r} in the phrasebook.")

    def phrases_in(self, topic: str) -> tuple[Phrase, ...]:
        return tuple(p for p in self.phrases if p.topic == topic)

    def term(self, term_id: str) -> Term:
        for t in self.terms:
            if t.id == term_id:
                return t
        raise KioskError("content.missing", f"No glossary term with id {term_id!r}.")

    def answer(self, answer_id: str) -> FaqAnswer:
        for a in self.faq:
            if a.id == answer_id:
                return a
        raise KioskError("content.missing", f"No FAQ answer with id {answer_id!r}.")

    def unreviewed(self) -> dict[str, int]:
        """How many entries still say reviewed = "no", per kind (for the admin screen)."""
        return {
            "phrases": sum(not p.is_reviewed for p in self.phrases),
            "terms": sum(not t.is_reviewed for t in self.terms),
            "faq": sum(not a.is_reviewed for a in self.faq),
        }


def is_reviewed(value: str) -> bool:
    return value.strip().lower() not in ("", "no", "false")


def default_content_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$KIOSK_CONTENT_DIR`` if set, else the repository's ``content/`` folder."""
    env = os.environ if env is None else env
    if env.get("KIOSK_CONTENT_DIR"):
        return Path(env["KIOSK_CONTENT_DIR"]).expanduser()

    return Path(kiosk.__file__).resolve().parent.parent / "content"


# --------------------------------------------------------------------------- reading


def read_toml(path: Path, root: Path) -> dict[str, Any]:
    """Parse one TOML file or raise content.invalid / content.missing naming it."""
    rel = _rel(path, root)
    if not path.is_file():
        raise KioskError("content.missing", f"{rel} is missing; restore it from the kiosk repository.")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise KioskError("content.invalid", f"{rel} is not UTF-8 text; save it as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise KioskError("content.invalid", f"{rel} is not valid TOML ({exc}); fix that line.") from None


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def id_line(path: Path, entry_id: str) -> int:
    """1-based line of ``id = "<entry_id>"`` (or a ``[section.<id>]`` header) in ``path``; 0 if not found."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    pat = re.compile(r'^\s*(id\s*=\s*["\']' + re.escape(entry_id) + r'["\']|\[[\w.]*\.' + re.escape(entry_id) + r"\])")
    for n, line in enumerate(lines, 1):
        if pat.search(line):
            return n
    return 0


def _where(path: Path, root: Path, entry_id: str) -> str:
    line = id_line(path, entry_id) if entry_id else 0
    return f"{_rel(path, root)}:{line}" if line else _rel(path, root)


def _text(entry: Mapping[str, Any], key: str, path: Path, root: Path, entry_id: str, required: bool = True) -> str:
    value = entry.get(key, "" if not required else None)
    if value is None:
        raise KioskError("content.invalid", f"{_where(path, root, entry_id)} {entry_id}: field {key!r} is missing; add "
                                            "it.")
    if not isinstance(value, str):
        raise KioskError("content.invalid", f"{_where(path, root, entry_id)} {entry_id}: field {key!r} must be text in "
                                            "quotes.")
    return value


def _entry_id(entry: Any, path: Path, root: Path, n: int, kind: str) -> str:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"].strip():
        raise KioskError("content.invalid", f"{_rel(path, root)}: {kind} number {n} has no id; add id = \"...\".")
    return entry["id"]


def _check_unique(seen: dict[str, Path], entry_id: str, path: Path, root: Path, kind: str) -> None:
    if entry_id in seen:
        raise KioskError(
            "content.invalid",
            f"{_where(path, root, entry_id)} {entry_id}: duplicate {kind} id (also in {_rel(seen[entry_id], root)}); "
            "rename one.",
        )
    seen[entry_id] = path


def load_topics(root: Path) -> dict[str, Topic]:
    path = root / "topics.toml"
    raw = read_toml(path, root).get("topics", {})
    topics = {}
    for tid, entry in raw.items():
        if not isinstance(entry, dict):
            raise KioskError("content.invalid", f"{_rel(path, root)}: [topics.{tid}] must be a table.")
        names = {lang: _text(entry, lang, path, root, tid) for lang in LANGS}
        topics[tid] = Topic(tid, names, str(entry.get("icon", "")))
    return topics


def load_phrases(root: Path) -> tuple[Phrase, ...]:
    phrases: list[Phrase] = []
    seen: dict[str, Path] = {}
    folder = root / "phrasebook"
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
        raw = read_toml(path, root)
        topic = raw.get("topic", path.stem)
        entries = raw.get("phrase", [])
        if not isinstance(entries, list):
            raise KioskError("content.invalid", f"{_rel(path, root)}: use [[phrase]] blocks for entries.")
        for n, entry in enumerate(entries, 1):
            pid = _entry_id(entry, path, root, n, "phrase")
            _check_unique(seen, pid, path, root, "phrase")
            texts = {lang: _text(entry, lang, path, root, pid) for lang in LANGS}
            variants = {}
            for lang in LANGS:
                value = entry.get(f"variants_{lang}", [])
                if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                    raise KioskError(
                        "content.invalid", f"{_where(path, root, pid)} {pid}: variants_{lang} must be a list of texts."
                    )
                if value:
                    variants[lang] = tuple(value)
            phrases.append(
                Phrase(
                    id=pid,
                    topic=str(topic),
                    speaker=_text(entry, "speaker", path, root, pid, required=False) or "both",
                    texts=texts,
                    ja_kana=_text(entry, "ja_kana", path, root, pid),
                    ja_easy=_text(entry, "ja_easy", path, root, pid),
                    reviewed=_text(entry, "reviewed", path, root, pid, required=False) or "no",
                    file=_rel(path, root),
                    variants=variants,
                )
            )
    return tuple(phrases)


def load_terms(root: Path) -> tuple[Term, ...]:
    path = root / "glossary.toml"
    entries = read_toml(path, root).get("term", [])
    terms: list[Term] = []
    seen: dict[str, Path] = {}
    for n, entry in enumerate(entries, 1):
        tid = _entry_id(entry, path, root, n, "term")
        _check_unique(seen, tid, path, root, "term")
        aliases: dict[str, tuple[str, ...]] = {}
        accept: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            for name, into in ((f"aliases_{lang}", aliases), (f"accept_{lang}", accept)):
                value = entry.get(name, [])
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise KioskError(
                        "content.invalid", f"{_where(path, root, tid)} {tid}: {name} must be a list of texts."
                    )
                if value:
                    into[lang] = tuple(value)
        terms.append(
            Term(
                id=tid,
                topic=_text(entry, "topic", path, root, tid),
                texts={lang: _text(entry, lang, path, root, tid) for lang in LANGS},
                ja_kana=_text(entry, "ja_kana", path, root, tid),
                aliases=aliases,
                accept=accept,
                note=_text(entry, "note", path, root, tid, required=False),
                reviewed=_text(entry, "reviewed", path, root, tid, required=False) or "no",
            )
        )
    return tuple(terms)


def load_faq(root: Path) -> tuple[FaqAnswer, ...]:
    path = root / "faq.toml"
    entries = read_toml(path, root).get("answer", [])
    out: list[FaqAnswer] = []
    seen: dict[str, Path] = {}
    for n, entry in enumerate(entries, 1):
        aid = _entry_id(entry, path, root, n, "answer")
        _check_unique(seen, aid, path, root, "answer")
        out.append(
            FaqAnswer(
                id=aid,
                topic=_text(entry, "topic", path, root, aid),
                questions={lang: _text(entry, f"question_{lang}", path, root, aid) for lang in LANGS},
                answers={lang: _text(entry, f"answer_{lang}", path, root, aid) for lang in LANGS},
                reviewed=_text(entry, "reviewed", path, root, aid, required=False) or "no",
            )
        )
    return tuple(out)


def load_site(root: Path) -> dict[str, Any]:
    """site.toml: ``key = "text"`` (same in every language) or ``[key]`` with ja/en/vi/zh/ko."""
    path = root / "site.toml"
    raw = read_toml(path, root)
    for key, value in raw.items():
        if isinstance(value, dict):
            missing = [lang for lang in LANGS if not isinstance(value.get(lang), str)]
            if missing:
                raise KioskError(
                    "content.invalid", f"{_where(path, root, key)} {key}: give the text for {', '.join(missing)}."
                )
        elif not isinstance(value, (str, int)):
            raise KioskError("content.invalid", f"{_rel(path, root)} {key}: must be text or a table of five languages.")
    return raw


def load_ui(root: Path) -> UiStrings:
    path = root / "ui_strings.toml"
    if not path.is_file():
        return UiStrings({})
    raw = read_toml(path, root).get("strings", {})
    strings = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            raise KioskError("content.invalid", f"{_rel(path, root)}: [strings.{key}] must be a table.")
        strings[key] = {lang: _text(entry, lang, path, root, key) for lang in LANGS}
    return UiStrings(strings)


def load_content(content_dir: str | os.PathLike[str] | None = None) -> Content:
    """Load every content file (structure checked; see module doc)."""
    root = Path(content_dir) if content_dir is not None else default_content_dir()
    if not root.is_dir():
        raise KioskError("content.missing", f"Content folder {root} does not exist; set KIOSK_CONTENT_DIR or restore "
                                            "it.")
    return Content(
        directory=root,
        topics=load_topics(root),
        phrases=load_phrases(root),
        terms=load_terms(root),
        faq=load_faq(root),
        site=load_site(root),
        ui=load_ui(root),
    )
