"""Synonyms for matching: ``content/synonyms.toml`` plus the glossary's terms and aliases.

``synonyms.toml`` holds groups of words or expressions that mean the same at a counter::

    [[group]]
    id = "lose"                                 # snake_case, unique
    en = ["lose", "can not find", "misplace"]   # the first form is the one the others become
    ja = ["無くす", "落とす", "見つからない"]

A group may give any of the five languages.  Forms are compared as lemmas (``kiosk.content.analyse``):
"stole", "stolen" and "steals" are all "steal", so one form covers its inflections.  A form may hold a
negation ("can not find", "見つからない"): the negation is then part of the expression, not of the sentence.

``build_rules(content, lang, groups).apply(lemmas)`` (a ``LangRules``) rewrites a lemma sequence, longest
form first, and returns the new sequence, how many negations the rewritten expressions held, and which
groups fired.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.content import scripts
from kiosk.content.analyse import NEG, lemmas
from kiosk.content.load import Content, read_toml
from kiosk.errors import KioskError
from kiosk.languages import CODES as LANGS

FILE = "synonyms.toml"
_GROUP_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class SynonymGroup:
    id: str
    forms: Mapping[str, tuple[str, ...]] = field(hash=False)  # lang -> forms (first = the agreed one)


@dataclass(frozen=True)
class Rewrite:
    lemmas: tuple[str, ...]
    negations: int  # negation lemmas inside rewritten expressions (not a negation of the sentence)
    groups: tuple[str, ...]  # ids of the groups (or glossary terms "term:<id>") that fired


def load_groups(root: Path) -> tuple[SynonymGroup, ...]:
    """The groups of ``root/synonyms.toml`` (no file: none).  Structure errors raise content.invalid."""
    path = root / FILE
    if not path.is_file():
        return ()
    raw = read_toml(path, root).get("group", [])
    if not isinstance(raw, list):
        raise KioskError("content.invalid", f"{FILE}: use [[group]] blocks for synonym groups.")
    groups = []
    for n, entry in enumerate(raw, 1):
        gid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(gid, str) or not _GROUP_ID.match(gid):
            raise KioskError("content.invalid", f"{FILE}: group number {n} needs an id like \"lose_item\".")
        forms: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            value = entry.get(lang, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise KioskError("content.invalid", f"{FILE} {gid}: {lang} must be a list of non-empty texts.")
            if value:
                forms[lang] = tuple(value)
        unknown = sorted(set(entry) - {"id", "note", *LANGS})
        if unknown:
            raise KioskError("content.invalid", f"{FILE} {gid}: unknown field {unknown[0]!r}; use ja, en, vi, zh, ko.")
        groups.append(SynonymGroup(gid, forms))
    return tuple(groups)


class LangRules:
    """The rewrite rules of one language: lemma sequence -> (agreed lemmas, group id)."""

    def __init__(self, rules: Mapping[tuple[str, ...], tuple[tuple[str, ...], str]]) -> None:
        self._rules = dict(rules)
        self._longest = max((len(k) for k in self._rules), default=0)
        self._first = {k[0] for k in self._rules}

    def __len__(self) -> int:
        return len(self._rules)

    def apply(self, seq: tuple[str, ...]) -> Rewrite:
        out: list[str] = []
        negs, fired = 0, []
        i = 0
        while i < len(seq):
            if seq[i] in self._first:
                for size in range(min(self._longest, len(seq) - i), 0, -1):
                    hit = self._rules.get(seq[i:i + size])
                    if hit is not None:
                        target, gid = hit
                        negs += seq[i:i + size].count(NEG) - target.count(NEG)
                        out.extend(target)
                        fired.append(gid)
                        i += size
                        break
                else:
                    out.append(seq[i])
                    i += 1
            else:
                out.append(seq[i])
                i += 1
        return Rewrite(tuple(out), negs, tuple(fired))


def build_rules(content: Content, lang: str, groups: tuple[SynonymGroup, ...]) -> LangRules:
    """Rules for ``lang`` from the synonym groups, then the glossary (term text, aliases, kana).
    A form already claimed by an earlier group keeps its first meaning."""
    rules: dict[tuple[str, ...], tuple[tuple[str, ...], str]] = {}
    sources: list[tuple[str, tuple[str, ...]]] = [(g.id, g.forms[lang]) for g in groups if lang in g.forms]
    # the term and its aliases (not the kana reading: read as words, readings collide with other words)
    sources += [(f"term:{t.id}", (t.text(lang), *t.aliases.get(lang, ()))) for t in content.terms]
    for gid, forms in sources:
        target = _form_lemmas(forms[0], lang)
        if not target:
            continue
        for form in forms[1:]:
            key = _form_lemmas(form, lang)
            if not key or key == target or key in rules or all(x == NEG for x in key) or _collapsed(form, key, lang):
                continue
            if set(key) < set(target):  # 終バス read as バス must not make every bus the last one
                continue
            if gid.startswith("term:") and NEG in key:  # a kana reading analysed as ない: not a term
                continue
            rules[key] = (target, gid)
    first = LangRules(rules)
    for key, (target, gid) in list(rules.items()):  # 熱が出る -> 熱 -> 発熱 (a glossary term): go to the end
        seen = {key}
        while target in rules and target not in seen:
            seen.add(target)
            target = rules[target][0]
        # words inside the target that other rules rewrite (택시 타다 -> 택시 승강장 -> 택시 승차장)
        rewritten = first.apply(target).lemmas
        rules[key] = (rewritten if rewritten not in seen else target, gid)
    return LangRules(rules)


def _collapsed(form: str, key: tuple[str, ...], lang: str) -> bool:
    """A Chinese form read as one character, or a Korean one of several words read as one word, would
    rewrite that word everywhere (打的 -> 打, 놓고 오다 -> 놓다): not rules."""
    if len(key) != 1:
        return False
    if lang == "zh":
        return len(form.strip()) > 1 and len(key[0]) == 1
    return len(form.split()) > 1 and lang == "ko"


def _form_lemmas(form: str, lang: str) -> tuple[str, ...]:
    """A form's lemmas.  A Korean noun is read with a particle after it, as in a sentence: alone, Kiwi may
    take 성함 (name) for the verb 성하다."""
    found = lemmas(form, lang)
    if lang == "ko" and found != (form,) and lemmas(form + "도", lang) == (form,):
        return (form,)
    return found


def check_groups(root: Path) -> list[tuple[str, str, str]]:
    """Problems in synonyms.toml as (group id, field, message), for ``kiosk content check``."""
    try:
        groups = load_groups(root)
    except KioskError as exc:
        return [("", "", exc.message.removeprefix(f"{FILE}: ").removeprefix(f"{FILE} "))]
    problems = []
    seen: dict[tuple[str, str], str] = {}
    ids: set[str] = set()
    for g in groups:
        if g.id in ids:
            problems.append((g.id, "id", "duplicate group id; rename one"))
        ids.add(g.id)
        for lang, forms in g.forms.items():
            for form in forms:
                message = _script_problem(scripts, lang, form)
                if message:
                    problems.append((g.id, lang, f"{form!r}: {message}"))
                key = (lang, form.strip().lower())
                if key in seen and seen[key] != g.id:
                    problems.append((g.id, lang, f"{form!r} is also in group {seen[key]!r}; keep it in one group"))
                seen.setdefault(key, g.id)
    return problems


def _script_problem(scripts: Any, lang: str, form: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9 .\-]+", form) and lang != "en" or lang == "vi" and len(form.split()) < 3:
        return ""  # Latin loan words (wifi, ATM) are fine in any language; short Vietnamese may lack diacritics
    return scripts.CHECKS[lang](form)
