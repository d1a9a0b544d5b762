"""Run the stats schema migrations programmatically (no alembic.ini at run time)."""

from __future__ import annotations

import threading
from pathlib import Path

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


def upgrade(engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision`` (default: the newest)."""
    from alembic import command

    with _LOCK, engine.connect() as conn:
        command.upgrade(alembic_config(conn), revision)
        conn.commit()


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
