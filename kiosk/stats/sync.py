"""Fleet sync: push a tablet's session rows to a shared PostgreSQL database.

    result = push(store, "postgresql://kiosk@db.city.example/kiosk_stats", batch_size=500)

* Idempotent: every row carries its random UUID and the fleet table has a unique
  constraint on it; inserts use ``ON CONFLICT DO NOTHING``, so re-sending is harmless.
* Batched: each batch (sessions + their failure counts) is one transaction.
* Resumable: after each committed batch the local high-water mark
  (``stats_push_marks``, keyed by a hash of the URL without password) moves on;
  a cut connection loses at most the batch in flight, which the next push re-sends.
* The fleet schema is created/upgraded by the same migrations (an advisory lock
  lets several tablets push at once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.errors import KioskError
from kiosk.stats import migrate
from kiosk.stats.store import StatsStore, normalize_url, safe_url, target_key

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class PushResult:
    considered: int  # local sessions sent in this run
    inserted: int  # new rows in the fleet database
    batches: int

    @property
    def already_there(self) -> int:
        return self.considered - self.inserted


def push(
    store: StatsStore,
    url: str,
    *,
    batch_size: int = 500,
    on_batch: Callable[[int, int], None] | None = None,
) -> PushResult:
    """Send every session not yet pushed to ``url``; ``on_batch(batch_no, rows)`` after each commit."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    from kiosk.stats.models import FailureCount, PushMark, SessionRow

    if batch_size < 1:
        raise KioskError("stats.bad_batch_size", "Batch size must be at least 1.")
    remote_url = normalize_url(url)
    if not remote_url.startswith("postgresql"):
        raise KioskError("stats.bad_database", "Push needs a fleet database URL starting with postgresql://.")
    key = target_key(remote_url)
    engine = create_engine(remote_url, poolclass=NullPool, connect_args={"connect_timeout": 10})
    considered = inserted = batches = 0
    try:
        migrate.upgrade(engine)
        with engine.connect() as remote, store._sessions() as local:
            mark = local.get(PushMark, key)
            last_id = mark.last_id if mark else 0
            while True:
                rows = local.scalars(
                    select(SessionRow).where(SessionRow.id > last_id).order_by(SessionRow.id).limit(batch_size)
                ).all()
                if not rows:
                    break
                uuids = [r.uuid for r in rows]
                fails = local.scalars(select(FailureCount).where(FailureCount.session_uuid.in_(uuids))).all()
                with remote.begin():
                    inserted += _insert(
                        remote, SessionRow, [_session_values(r) for r in rows], ["uuid"], returning=True
                    )
                    _insert(remote, FailureCount, [_failure_values(f) for f in fails], ["session_uuid", "code"])
                last_id = rows[-1].id
                _set_mark(local, key, last_id)
                considered += len(rows)
                batches += 1
                _LOGGER.info("stats push: batch %d, %d sessions", batches, len(rows))
                if on_batch is not None:
                    on_batch(batches, len(rows))
    except SQLAlchemyError as exc:
        _LOGGER.warning("stats push stopped after %d sessions: %s", considered, type(exc).__name__)
        raise KioskError(
            "stats.push_failed",
            f"Pushing statistics to {safe_url(url)} stopped after {considered} sessions "
            f"({type(exc).__name__}); check the connection and run the same command again to resume.",
        ) from None
    finally:
        engine.dispose()
    return PushResult(considered, inserted, batches)


def _insert(conn, model, values: list[dict], keys: list[str], *, returning: bool = False) -> int:
    """``INSERT ... ON CONFLICT DO NOTHING``; with ``returning``, how many rows were new."""
    if not values:
        return 0
    from sqlalchemy.dialects.postgresql import insert

    stmt = insert(model).on_conflict_do_nothing(index_elements=keys)
    if not returning:
        conn.execute(stmt, values)
        return 0
    return len(conn.execute(stmt.returning(model.__table__.c.id), values).all())


def _session_values(row) -> dict:
    from kiosk.stats.models import SessionRow

    return {c.key: getattr(row, c.key) for c in SessionRow.__table__.columns if c.key != "id"}


def _failure_values(row) -> dict:
    return {"session_uuid": row.session_uuid, "code": row.code, "count": row.count}


def _set_mark(local, key: str, last_id: int) -> None:
    from kiosk.stats.models import PushMark

    mark = local.get(PushMark, key)
    if mark is None:
        local.add(PushMark(target=key, last_id=last_id))
    else:
        mark.last_id = last_id
    local.commit()
