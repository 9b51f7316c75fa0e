"""Engine and session factory, one per settings; fork-safe for RQ and gunicorn workers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from workers.settings import Settings

# The database is unreachable (an outage, not a bug): callers retry later or hand the work
# elsewhere, and never mark a message failed for it.
DB_DOWN = (OperationalError, InterfaceError, PoolTimeout)

_engines: dict[tuple[str, int], Engine] = {}

# psycopg parses a query's placeholders again on every execute once it has more than 50
# parameters (its cache caps, psycopg/_queries.py). A drained batch's multi-row INSERTs
# (insertmanyvalues: 100 rows x a dozen columns) all pass that cap, and that re-parsing was
# a fifth of the drain's CPU (docs/benchmarks.md, "Send"). Their text depends only on the
# row count, so caching them is safe; the cache stays an LRU of 128 queries.
PSYCOPG_CACHE_PARAMS = 1 << 16
PSYCOPG_CACHE_LENGTH = 1 << 20


def _cache_large_queries() -> None:
    try:
        from psycopg import _queries
    except ImportError:  # no PostgreSQL driver installed: nothing to tune
        return
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(
        _queries.MAX_CACHED_STATEMENT_PARAMS, PSYCOPG_CACHE_PARAMS
    )
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(
        _queries.MAX_CACHED_STATEMENT_LENGTH, PSYCOPG_CACHE_LENGTH
    )


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the web process write while a worker reads; busy_timeout waits instead of
    # failing with "database is locked" when two writers meet.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def get_engine(url: str) -> Engine:
    """One engine per URL per process: a forked child never reuses its parent's sockets.

    hide_parameters: a database error's text (logged, and kept as a failed message's reason)
    must not carry the bound values — raw texts and phone numbers."""
    key = (url, os.getpid())
    engine = _engines.get(key)
    if engine is None:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 10}, hide_parameters=True)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            _cache_large_queries()
            engine = create_engine(
                url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True
            )
        _engines[key] = engine
    return engine


def session_factory(settings: Settings) -> sessionmaker[Session]:
    return sessionmaker(get_engine(settings.database_url), expire_on_commit=False)


@contextmanager
def session_scope(settings: Settings) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any exception."""
    session = session_factory(settings)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def write_lock(session: Session) -> None:
    """SQLite: take the database's write lock now, for the rest of the transaction.

    SQLite reads outside a write transaction, so two workers could both find no first copy
    and both write a record. A write as the transaction's first statement makes the second
    worker wait (busy_timeout) until the first commits, then read what it wrote. A no-op
    where the lock is held already, and on PostgreSQL (row and advisory locks there)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("UPDATE inbound_messages SET id = id WHERE 0"))


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
