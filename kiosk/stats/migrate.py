"""Run the stats schema migrations programmatically (no alembic.ini at run time)."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.errors import KioskError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Alembic's ``context`` is process-global: one migration at a time per process.
# Across processes (several tablets on one fleet database) env.py takes a
# PostgreSQL advisory lock.
_LOCK = threading.Lock()


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine, revision: str = "head", where: str = "") -> None:
    """Bring the database behind ``engine`` to ``revision`` (default: the newest).

    A database written by a newer kiosk version (a schema revision this version does not know) is left
    untouched: ``stats.newer_database``.
    """
    from alembic import command

    with _LOCK, engine.connect() as conn:
        check_known(conn, where or "at " + str(engine.url))
        command.upgrade(alembic_config(conn), revision)
        conn.commit()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_known(conn, where: str) -> str | None:
    """The database's schema revision, if this kiosk version knows it; else ``stats.newer_database``."""
    from alembic.runtime.migration import MigrationContext

    current = MigrationContext.configure(conn, opts={"version_table": "stats_alembic_version"}).get_current_revision()
    if current is not None and current not in known_revisions():
        shown = current if len(current) <= 40 else current[:37] + "..."
        raise KioskError("stats.newer_database", f"The statistics database {where} was written by a newer kiosk "
                                                 f"version (schema {shown!r}); update this kiosk to use it. "
                                                 "Its counts are kept.")
    return current


def current_revision(engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": "stats_alembic_version"})
        return ctx.get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the statistics migrations folder has no revision")  # a broken install, not a user error
    return head
