"""Check every content file and list the problems (``kiosk content check``).

``validate(content_dir)`` never raises for bad content: it returns a list of
``Problem(file, line, id, field, message)``, sorted by file and line.  Checks:
parseable UTF-8 TOML; required fields present and non-empty (all five
languages; ja_kana and ja_easy for phrases; question_/answer_ for FAQ);
placeholders identical in every language of an entry; ids unique and well
formed; topics known; scripts plausible (``kiosk.content.scripts``); lengths
sane between languages; FAQ placeholders defined in site.toml; phrase ``variants_<lang>`` and
``synonyms.toml`` groups well formed and in the right script, no form in two groups.  (Phrase
placeholders such as {place} or {time} are slots staff fill in at the counter;
the matcher uses a phrase only when site.toml fills all of its slots.)

``check_content(content_dir)`` raises ``KioskError("content.invalid")`` naming
the first problem (and how many there are) — for the app's start-up.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.content import scripts
from kiosk.content.load import PHRASE_TEXT_FIELDS, SPEAKERS, id_line
from kiosk.content.normalise import placeholders
from kiosk.content.synonyms import FILE, check_groups, load_groups
from kiosk.errors import KioskError
from kiosk.languages import CODES as LANGS

_PHRASE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9_]*$")
_TERM_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ASCII_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .&'-]*$")
_BRACES = re.compile(r"[{}]")
_PH = re.compile(r"\{[a-z_][a-z0-9_]*\}")


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    id: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = " ".join(x for x in (self.id, f"[{self.field}]" if self.field else "") if x)
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"


class _Collector:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def add(self, path: Path, entry_id: str, field: str, message: str) -> None:
        line = id_line(path, entry_id) if entry_id else 0
        self.problems.append(Problem(path.relative_to(self.root).as_posix(), line, entry_id, field, message))

    def read(self, path: Path, required: bool = True) -> dict[str, Any] | None:
        if not path.is_file():
            if required:
                self.add(path, "", "", "file is missing")
            return None
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.add(path, "", "", "not UTF-8 text; save it as UTF-8")
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+)", str(exc))
            self.problems.append(Problem(path.relative_to(self.root).as_posix(), int(m.group(1)) if m else 0,
                                         "", "", f"not valid TOML: {exc}"))
        return None


def _texts(c: _Collector, path: Path, eid: str, entry: dict, fields: tuple[str, ...]) -> dict[str, str]:
    """Present, non-empty text fields of ``entry`` (problems added for the others)."""
    out = {}
    for f in fields:
        value = entry.get(f)
        if value is None:
            c.add(path, eid, f, "missing; add it")
        elif not isinstance(value, str):
            c.add(path, eid, f, "must be text in quotes")
        elif not value.strip():
            c.add(path, eid, f, "is empty")
        else:
            out[f] = value
    return out


def _check_texts(c: _Collector, path: Path, eid: str, texts: dict[str, str], lang_of=lambda f: f,
                 lengths: bool = True) -> None:
    """Placeholders identical, braces well formed, scripts plausible, lengths sane."""
    reference_field = next(iter(texts), None)
    reference = sorted(placeholders(texts[reference_field])) if reference_field else []
    for f, text in texts.items():
        found = placeholders(text)
        if len(_BRACES.findall(text)) != 2 * len(found):
            c.add(path, eid, f, "has a stray { or }; placeholders look like {counter_name}")
        if sorted(found) != reference:
            c.add(path, eid, f, f"placeholders {_fmt(found)} differ from {reference_field}'s {_fmt(reference)}")
        check = scripts.CHECKS.get(lang_of(f))
        if not any(ch.isalpha() for ch in _PH.sub(" ", text)):
            message = ""  # only placeholders and punctuation ("{name}?"): no words whose script could be wrong
        elif f == "ja_kana":
            message = scripts.check_ja_kana(_PH.sub(" ", text), texts.get("ja", ""))
        else:
            message = check(_PH.sub(" ", text)) if check else ""
        if message:
            c.add(path, eid, f, message)
    if lengths:
        by_lang = {lang_of(f): _PH.sub("", t) for f, t in texts.items() if lang_of(f) in LANGS}
        bad = scripts.length_problem(by_lang)
        if bad:
            field = next(f for f in texts if lang_of(f) == bad[0])
            c.add(path, eid, field, bad[1])


def _fmt(found: list[str]) -> str:
    return " ".join(sorted(found)) if found else "(none)"


def _check_reviewed(c: _Collector, path: Path, eid: str, entry: dict) -> None:
    value = entry.get("reviewed")
    if value is None:
        c.add(path, eid, "reviewed", 'missing; write reviewed = "no" until a person has checked it')
    elif not isinstance(value, str) or not value.strip():
        c.add(path, eid, "reviewed", 'must be "no" or who checked it and when, e.g. "Tanaka 2026-11-30"')


def _ids(c: _Collector, path: Path, entries: Any, kind: str, seen: dict[str, str]):
    if not isinstance(entries, list):
        c.add(path, "", "", f"use [[{kind}]] blocks for entries")
        return
    for n, entry in enumerate(entries, 1):
        eid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(eid, str) or not eid.strip():
            c.add(path, "", "id", f"{kind} number {n} has no id")
            continue
        if eid in seen:
            c.add(path, eid, "id", f"duplicate id (also in {seen[eid]}); rename one")
            continue
        seen[eid] = path.relative_to(c.root).as_posix()
        yield eid, entry


def _topics(c: _Collector) -> set[str]:
    path = c.root / "topics.toml"
    raw = c.read(path)
    if raw is None:
        return set()
    topics = raw.get("topics", {})
    for tid, entry in topics.items():
        if not isinstance(entry, dict):
            c.add(path, tid, "", "must be a [topics.<id>] table")
            continue
        _check_texts(c, path, tid, _texts(c, path, tid, entry, LANGS), lengths=False)
    return set(topics)


def _phrasebook(c: _Collector, topics: set[str], site: dict) -> int:
    folder = c.root / "phrasebook"
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not files:
        c.add(folder, "", "", "no phrasebook files (phrasebook/<topic>.toml)")
    seen: dict[str, str] = {}
    count = 0
    for path in files:
        raw = c.read(path)
        if raw is None:
            continue
        topic = raw.get("topic")
        if topic != path.stem:
            c.add(path, "", "topic", f'write topic = "{path.stem}" at the top (the file name)')
        if topics and path.stem not in topics:
            c.add(path, "", "topic", f"topic {path.stem!r} is not in topics.toml")
        for pid, entry in _ids(c, path, raw.get("phrase", []), "phrase", seen):
            count += 1
            if not _PHRASE_ID.match(pid) or pid.split(".")[0] != path.stem:
                c.add(path, pid, "id", f'id must look like "{path.stem}.snake_case_name"')
            if entry.get("speaker", "both") not in SPEAKERS:
                c.add(path, pid, "speaker", "must be staff, visitor or both")
            texts = _texts(c, path, pid, entry, PHRASE_TEXT_FIELDS)
            _check_texts(c, path, pid, texts)
            _check_variants(c, path, pid, entry, texts)
            _check_reviewed(c, path, pid, entry)
    return count


def _check_variants(c: _Collector, path: Path, pid: str, entry: dict, texts: dict[str, str]) -> None:
    """``variants_<lang>``: other wordings the matcher accepts (lists of texts in that script, using only
    the phrase's own placeholders)."""
    allowed = set(placeholders(texts.get("en", "")))
    for lang in LANGS:
        name = f"variants_{lang}"
        value = entry.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            c.add(path, pid, name, "must be a list of non-empty texts")
            continue
        for v in value:
            extra = sorted(set(placeholders(v)) - allowed)
            message = f"placeholder {extra[0]} is not in the phrase" if extra else scripts.CHECKS[lang](_PH.sub(" ", v))
            if message:
                c.add(path, pid, name, f"{v!r}: {message}")


def _synonyms(c: _Collector) -> int:
    path = c.root / FILE
    if c.read(path, required=False) is None:
        return 0
    for gid, field, message in check_groups(c.root):
        c.add(path, gid, field, message)
    try:
        return len(load_groups(c.root))
    except KioskError:
        return 0


def _check_site_fields(c: _Collector, path: Path, eid: str, texts: dict[str, str], site: dict) -> None:
    for f, text in texts.items():
        for p in placeholders(text):
            if p[1:-1] not in site:
                c.add(path, eid, f, f"placeholder {p} is not defined in site.toml")
        break  # placeholders are identical across fields (checked above): one report is enough


def _glossary(c: _Collector, topics: set[str]) -> int:
    path = c.root / "glossary.toml"
    raw = c.read(path)
    if raw is None:
        return 0
    count = 0
    for tid, entry in _ids(c, path, raw.get("term", []), "term", {}):
        count += 1
        if not _TERM_ID.match(tid):
            c.add(path, tid, "id", "id must be snake_case (a-z, 0-9, _)")
        if topics and entry.get("topic") not in topics:
            c.add(path, tid, "topic", f"topic {entry.get('topic')!r} is not in topics.toml")
        texts = _texts(c, path, tid, entry, ("ja", "ja_kana", "en", "vi", "zh", "ko"))
        _check_texts(c, path, tid, texts, lengths=False)
        for name in [f"{kind}_{lang}" for kind in ("aliases", "accept") for lang in LANGS]:
            lang = name.rsplit("_", 1)[1]
            aliases = entry.get(name, [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                c.add(path, tid, name, "must be a list of non-empty texts")
                continue
            for a in aliases:  # acronyms and names in Latin letters ("AED", "IC", "Wi-Fi") are fine anywhere
                message = "" if _ASCII_NAME.match(a) else scripts.CHECKS[lang](a)
                if message:
                    c.add(path, tid, name, message)
        _check_reviewed(c, path, tid, entry)
    return count


def _faq(c: _Collector, topics: set[str], site: dict) -> int:
    path = c.root / "faq.toml"
    raw = c.read(path)
    if raw is None:
        return 0
    count = 0
    for aid, entry in _ids(c, path, raw.get("answer", []), "answer", {}):
        count += 1
        if topics and entry.get("topic") not in topics:
            c.add(path, aid, "topic", f"topic {entry.get('topic')!r} is not in topics.toml")
        for part in ("question", "answer"):
            fields = tuple(f"{part}_{lang}" for lang in LANGS)
            texts = _texts(c, path, aid, entry, fields)
            _check_texts(c, path, aid, texts, lang_of=lambda f: f.split("_", 1)[1])
            _check_site_fields(c, path, aid, texts, site)
        _check_reviewed(c, path, aid, entry)
    return count


def _site(c: _Collector) -> dict:
    path = c.root / "site.toml"
    raw = c.read(path)
    if raw is None:
        return {}
    for key, value in raw.items():
        if isinstance(value, dict):
            texts = _texts(c, path, key, value, LANGS)
            _check_texts(c, path, key, texts, lengths=False)
        elif not isinstance(value, (str, int)) or (isinstance(value, str) and not value.strip()):
            c.add(path, key, "", "must be non-empty text or a table with ja, en, vi, zh, ko")
    return raw


def _ui(c: _Collector) -> int:
    path = c.root / "ui_strings.toml"
    raw = c.read(path, required=False)
    if raw is None:
        return 0
    strings = raw.get("strings", {})
    for key, entry in strings.items():
        if not isinstance(entry, dict):
            c.add(path, key, "", "must be a [strings.<key>] table")
            continue
        _check_texts(c, path, key, _texts(c, path, key, entry, LANGS))
    return len(strings)


def validate_with_counts(content_dir: str | Path) -> tuple[list[Problem], dict[str, int]]:
    root = Path(content_dir)
    c = _Collector(root)
    if not root.is_dir():
        return [Problem(str(root), 0, "", "", "content folder does not exist")], {}
    topics = _topics(c)
    site = _site(c)
    counts = {
        "topics": len(topics),
        "phrases": _phrasebook(c, topics, site),
        "terms": _glossary(c, topics),
        "faq": _faq(c, topics, site),
        "site values": len(site),
        "ui strings": _ui(c),
        "synonym groups": _synonyms(c),
    }
    return sorted(set(c.problems)), counts


def validate(content_dir: str | Path) -> list[Problem]:
    """Every problem in the content folder (empty list: all good)."""
    return validate_with_counts(content_dir)[0]


def check_content(content_dir: str | Path) -> None:
    problems = validate(content_dir)
    if problems:
        more = f" (and {len(problems) - 1} more; run `kiosk content check`)" if len(problems) > 1 else ""
        raise KioskError("content.invalid", f"{problems[0]}{more}")
