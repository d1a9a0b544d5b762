"""`kiosk content ...` sub-commands (registered by kiosk.cli).

    kiosk content check [--dir DIR]            validate every file; exit 1 if any problem
    kiosk content stats [--dir DIR]            entries per topic, how many unreviewed
    kiosk content search QUERY --lang L        find phrases and glossary terms
    kiosk content match TEXT --lang L [--suggest]   which verified phrase would replace MT for TEXT, and why
"""

from __future__ import annotations

from pathlib import Path

from kiosk.content.load import default_content_dir, load_content
from kiosk.content.match import PhraseMatcher
from kiosk.content.search import search
from kiosk.content.validate import validate_with_counts
from kiosk.errors import KioskError
from kiosk.languages import CODES


def _dir(args) -> Path:
    return Path(args.dir) if args.dir else default_content_dir()


def _lang(code: str) -> str:
    if code not in CODES:
        raise KioskError("cli.bad_argument", f"--lang must be one of {', '.join(CODES)} (got {code!r}).")
    return code


def cmd_check(args, settings) -> int:
    root = _dir(args)
    problems, counts = validate_with_counts(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {root}")
        return 1
    content = load_content(root)
    unreviewed = content.unreviewed()
    print(f"content OK: {root}")
    for name, n in counts.items():
        print(f"  {name}: {n}")
    print(f"  unreviewed: {unreviewed['phrases']} phrases, {unreviewed['terms']} terms, {unreviewed['faq']} FAQ "
          "answers")
    return 0


def cmd_stats(args, settings) -> int:
    content = load_content(_dir(args))
    print(f"{'topic':<22} {'phrases':>7} {'unreviewed':>10} {'terms':>6} {'faq':>4}")
    for tid in sorted(content.topics):
        phrases = content.phrases_in(tid)
        terms = [t for t in content.terms if t.topic == tid]
        faq = [a for a in content.faq if a.topic == tid]
        print(f"{tid:<22} {len(phrases):>7} {sum(not p.is_reviewed for p in phrases):>10} {len(terms):>6} "
              f"{len(faq):>4}")
    u = content.unreviewed()
    print(f"{'total':<22} {len(content.phrases):>7} {u['phrases']:>10} {len(content.terms):>6} {len(content.faq):>4}")
    print(f"unreviewed: {u['phrases']} phrases, {u['terms']} terms, {u['faq']} FAQ answers")
    return 0


def cmd_search(args, settings) -> int:
    if not 1 <= args.limit <= 1000:
        raise KioskError("cli.bad_argument", "--limit must be from 1 to 1000.")
    hits = search(load_content(_dir(args)), args.query, _lang(args.lang), limit=args.limit, topic=args.topic)
    for h in hits:
        print(f"{h.score:5.1f}  {h.kind:<6} {h.id:<40} {h.text}")
    if not hits:
        print("no matches")
    return 0


def cmd_match(args, settings) -> int:
    lang = _lang(args.lang)
    matcher = PhraseMatcher(load_content(_dir(args)))
    m = matcher.match(args.text, lang)
    if m is None:
        print(f"no verified phrase matches (threshold {matcher.thresholds[lang]:g}; machine translation would be used)")
    else:
        r = m.reason
        print(f"{m.entry_id}  similarity {m.similarity} (threshold {matcher.thresholds[lang]:g})")
        print(f"  why: {r.method} (lemmas {r.lemma_score}, characters {r.char_score}) against the {lang} {r.source}: "
              f"{r.wording}")
        print(f"  synonyms: {', '.join(r.synonyms) or '-'}")
        print(f"  guards agreed: {'; '.join(r.guards)}")
        for pid, guard in r.rejected:
            print(f"  stopped by the {guard} guard: {pid}")
        for code, text in m.texts.items():
            print(f"  {code}: {text}")
    if args.suggest:
        suggestions = matcher.suggest(args.text, lang, k=3)
        print("closest phrases below the threshold:" if suggestions else "no close phrases below the threshold")
        for s in suggestions:
            print(f"  {s.score:5.1f}  {s.phrase_id:<40} {s.text(lang)}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("content", help="check, count and search the verified phrasebook, glossary and FAQ")
    csub = p.add_subparsers(dest="content_command", metavar="ACTION")
    csub.required = True

    def add(name: str, func, help_text: str):
        q = csub.add_parser(name, help=help_text)
        q.add_argument("--dir", metavar="DIR", help="content folder (default: $KIOSK_CONTENT_DIR or the bundled "
                                                    "content/)")
        q.set_defaults(func=func)
        return q

    add("check", cmd_check, "validate every content file; exit 1 if there is any problem")
    add("stats", cmd_stats, "entries per topic and how many are not reviewed yet")
    q = add("search", cmd_search, "find phrases and glossary terms containing or resembling QUERY")
    q.add_argument("query", metavar="QUERY")
    q.add_argument("--lang", required=True, help="language of QUERY: ja, en, vi, zh or ko")
    q.add_argument("--topic", help="only this topic id")
    q.add_argument("--limit", type=int, default=10)
    q = add("match", cmd_match, "show which verified phrase (if any) would be used for TEXT instead of MT")
    q.add_argument("text", metavar="TEXT")
    q.add_argument("--lang", required=True, help="language of TEXT: ja, en, vi, zh or ko")
    q.add_argument("--suggest", action="store_true", help="also list the 3 closest phrases below the threshold")
