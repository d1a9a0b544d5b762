"""`kiosk stats ...` sub-commands (registered by kiosk.cli).

    kiosk stats summary [--from DATE] [--to DATE] [--month YYYY-MM] [--source DB] [--lang ja]
    kiosk stats export --format csv [--from DATE --to DATE | --month YYYY-MM] [--out FILE] [--source DB]
    kiosk stats report --out report.html|report.pdf [--from/--to | --month] [--source DB] [--lang ja]
    kiosk stats push --to postgresql://USER@HOST/DBNAME [--batch-size N]
    kiosk stats purge [--months N]

``--from/--to`` are always dates (inclusive).  The database to read is
``--source`` (a ``postgresql://`` fleet URL or a SQLite file), by default this
tablet's store; the issue's ``report --from postgresql://...`` is spelled
``report --source postgresql://...`` so that ``--from`` means the same everywhere.
``--lang`` words the tables and charts in one of the five languages (default
English; the CSV export stays English).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import sys

from kiosk.config import RANGES
from kiosk.errors import KioskError
from kiosk.languages import CODES
from kiosk.output import atomic_output, check_destination
from kiosk.stats.export import check_report_path, csv_text, export_csv, report
from kiosk.stats.health import open_readonly
from kiosk.stats.store import bad_database, normalize_url, open_store, safe_url
from kiosk.stats.sync import push
from kiosk.stats.tables import as_text, suppressed, tables

_DB_HELP = "database to read: postgresql://USER@HOST/DBNAME or a SQLite file (default: this tablet's store)"


def register(sub) -> None:
    p = sub.add_parser("stats", help="usage statistics: summary, export, report, push, purge (counts only)")
    ss = p.add_subparsers(dest="stats_command", metavar="STATS_COMMAND")
    ss.required = True

    s = ss.add_parser("summary", help="print the numbers for a period as tables")
    _range_args(s)
    _lang_arg(s)
    s.set_defaults(func=cmd_summary)

    e = ss.add_parser("export", help="export the numbers for a period as CSV (small counts suppressed)")
    e.add_argument("--format", choices=("csv",), default="csv", help="output format (csv)")
    e.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    _range_args(e)
    e.set_defaults(func=cmd_export)

    r = ss.add_parser("report", help="write an HTML (embedded charts) or PDF report for a period")
    r.add_argument("--out", metavar="FILE", required=True, help="report file ending in .html or .pdf")
    _range_args(r)
    _lang_arg(r)
    r.set_defaults(func=cmd_report)

    u = ss.add_parser("push", help="send new session counts to a fleet PostgreSQL database (idempotent, resumable)")
    u.add_argument("--to", dest="target", metavar="URL", required=True, help="postgresql://USER@HOST/DBNAME")
    u.add_argument("--batch-size", type=int, default=500, metavar="N", help="sessions per transaction (500)")
    u.set_defaults(func=cmd_push)

    g = ss.add_parser("purge", help="delete sessions older than the retention period")
    g.add_argument("--months", type=int, metavar="N", help="retention in months (default: stats_retention_months)")
    g.set_defaults(func=cmd_purge)


def _range_args(p) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day, YYYY-MM-DD")
    p.add_argument("--month", metavar="YYYY-MM", help="a whole calendar month (instead of --from/--to)")
    p.add_argument("--source", metavar="DB", help=_DB_HELP)
    p.add_argument("--suppress-below", type=int, metavar="N",
                   help="show counts 1..N-1 as <N (default: stats_suppress_below; 0 = off)")  # fmt: skip


def _lang_arg(p) -> None:
    p.add_argument("--lang", choices=CODES, default="en", help="language of titles and labels (default: en)")


# ------------------------------------------------------------------ handlers
def cmd_summary(args, settings) -> int:
    summary = _summary(args, settings)
    below = _below(args, settings)
    for table in tables(summary, args.lang).values():
        if table.name in ("uses_by_day", "by_hour") and not any(r[1] for r in table.rows):
            continue
        print(as_text(suppressed(table, below)))
        print()
    return 0


def cmd_export(args, settings) -> int:
    if args.out:
        check_destination(args.out)  # before the summary is computed
    summary = _summary(args, settings)
    if args.out:
        with atomic_output(args.out) as tmp:
            export_csv(summary, tmp, suppress_below=_below(args, settings))
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(csv_text(summary, suppress_below=_below(args, settings)))
    return 0


def cmd_report(args, settings) -> int:
    check_report_path(args.out)  # before the summary is computed
    check_destination(args.out)
    summary = _summary(args, settings)
    with atomic_output(args.out) as tmp:
        report(summary, tmp, suppress_below=_below(args, settings), lang=args.lang)
    print(f"wrote {args.out}")
    return 0


def cmd_push(args, settings) -> int:
    with open_store(settings) as store:
        result = push(store, args.target, batch_size=args.batch_size)
    print(
        f"pushed {result.considered} sessions to {safe_url(args.target)} in {result.batches} batches "
        f"({result.inserted} new, {result.already_there} already there)"
    )
    return 0


def cmd_purge(args, settings) -> int:
    months = settings.stats_retention_months if args.months is None else args.months
    top = int(RANGES["stats_retention_months"][1])
    if not 0 <= months <= top:
        raise KioskError("cli.bad_argument", f"--months must be from 0 (keep everything) to {top}.")
    with open_store(settings) as store:
        n = store.purge_expired(months, dt.date.today())
    print(f"removed {n} sessions older than {months} months" if months else "retention is off (0 months): kept all")
    return 0


# ------------------------------------------------------------------- helpers
def _below(args, settings) -> int:
    n = settings.stats_suppress_below if args.suppress_below is None else args.suppress_below
    top = int(RANGES["stats_suppress_below"][1])
    if not 0 <= n <= top:
        raise KioskError("cli.bad_argument", f"--suppress-below must be from 0 (off) to {top}.")
    return n


def parse_day(text: str | None, flag: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise KioskError("cli.bad_argument", f"{flag} must be a date like 2025-04-30, not {text!r}.") from None


def date_range(args) -> tuple[dt.date | None, dt.date | None]:
    """Validated (first, last) day from --from/--to or --month."""
    if args.month:
        if args.date_from or args.date_to:
            raise KioskError("cli.bad_argument", "Use either --month or --from/--to, not both.")

        m = re.fullmatch(r"(\d{4})-(\d{1,2})", args.month.strip())
        try:
            if m is None:
                raise ValueError(args.month)
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        except (ValueError, calendar.IllegalMonthError):
            raise KioskError("cli.bad_argument", f"--month must look like 2025-04, not {args.month[:40]!r}.") from None
    first, last = parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
    if first and last and first > last:
        raise KioskError("cli.bad_argument", "--from must not be after --to.")
    return first, last


def _summary(args, settings):
    """The summary for the period, read from --source (read-only: a file is opened with mode=ro, a fleet
    database is never migrated) or from this tablet's own store."""
    from sqlalchemy.exc import SQLAlchemyError

    first, last = date_range(args)
    source = args.source
    if source is None:
        store = open_store(settings)
    elif source.startswith(("postgres", "sqlite://")) or "://" in source:
        store = open_store(source, migrate=False)
    else:
        store = open_readonly(source)
    where = safe_url(normalize_url(source)) if source else str(settings.stats_db_path)
    try:
        return store.summary(first, last)
    except SQLAlchemyError as exc:
        raise bad_database(normalize_url(source) if source else store.url, exc) from None
    except (ValueError, TypeError, OverflowError):  # a stored row that cannot be read back (a bad date or number)
        raise KioskError("stats.damaged", f"The statistics database {where} holds a row that cannot be read "
                                          "(a bad date or number); its other counts are kept.") from None
    finally:
        store.close()
