"""Alembic environment for the stats store, run programmatically (no alembic.ini).

``kiosk.stats.migrate.upgrade`` passes an open connection in
``config.attributes["connection"]``.  On PostgreSQL an advisory lock makes
concurrent upgrades from several tablets take turns.
"""

from alembic import context
from sqlalchemy import text

from kiosk.stats.models import Base

VERSION_TABLE = "stats_alembic_version"
_PG_LOCK_KEY = 7_270_001  # arbitrary, constant

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
_pg = connection.dialect.name == "postgresql"
if _pg:
    connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
    connection.commit()
try:
    with context.begin_transaction():
        context.run_migrations()
finally:
    if _pg:
        connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
        connection.commit()
