"""The webhook's store: inbound rows written in shared commits, the drain woken once per commit.

`store_inbound` on a session costs a transaction per message (pool pre-ping, BEGIN, INSERT,
COMMIT: four round trips and a WAL flush each). Here concurrent callers in a process share
one multi-row `INSERT .. ON CONFLICT DO NOTHING RETURNING` in autocommit, so a whole batch
costs one round trip and one flush, and with Redis one `SET NX` wakes the drain for all of
it. See docs/benchmarks.md ("The webhook: group commit").
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, NamedTuple

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from schemas.tables import InboundMessage
from workers.db import get_engine
from workers.group_commit import GroupCommit
from workers.ingest import (
    RECEIVED,
    dispatch,
    inbound_values,
    insert_statement,
    pg_batch_insert_sql,
    rows_as_json,
)
from workers.settings import Settings

log = logging.getLogger("ashshash.intake")

Row = dict[str, Any]
Key = tuple[str, str]
MAX_BATCH = 100
_TABLE: Any = InboundMessage.__table__
# The database is unreachable (as opposed to a bug): the caller hands its message elsewhere.
DB_DOWN = (OperationalError, InterfaceError, PoolTimeout)


class Stored(NamedTuple):
    """A stored inbound message: its id, whether this call created it, and its status."""

    id: int
    created: bool
    status: str


# One group per database and queue per process (a forked child starts its own).
_groups: dict[tuple[str, str | None, int], GroupCommit[Row, Stored]] = {}
_groups_lock = threading.Lock()


def store_now(settings: Settings, **fields: Any) -> Stored:
    """Store one message (fields as `inbound_values`), committed when this returns, handed on.

    With Redis the batch's writer has woken the drain by then; without, the caller processes
    its own message in-process, as `dispatch` does. Raises the database's error (`DB_DOWN`
    when it is unreachable) if the message could not be stored.
    """
    stored = _group(settings).submit(inbound_values(settings, **fields))
    # A repeat of an id never processed (a lost job) is worth another push.
    if not settings.redis_url and (stored.created or stored.status == RECEIVED):
        _hand_on(settings, stored.id)
    return stored


def _group(settings: Settings) -> GroupCommit[Row, Stored]:
    # Keyed by the two URLs: they are all the writer reads from the settings.
    key = (settings.database_url, settings.redis_url, os.getpid())
    group = _groups.get(key)
    if group is None:
        with _groups_lock:
            group = _groups.get(key)
            if group is None:
                writer = _Writer(settings)
                group = GroupCommit(writer.write, max_batch=MAX_BATCH, idle=writer.release)
                _groups[key] = group
    return group


class _Writer:
    """Writes batches of inbound rows; one leader at a time calls it (`GroupCommit`)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        # Held from batch to batch while callers keep coming (no pool checkout and pre-ping
        # round trip per batch); given back when the group goes idle.
        self._conn: Connection | None = None

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def write(self, rows: list[Row]) -> list[Stored | BaseException]:
        """Write a batch, then wake the drain once for every row it has to process."""
        outcomes: list[Stored | BaseException]
        try:
            outcomes = list(self._insert(rows))
        except DB_DOWN:
            raise  # every row's outcome: each caller hands its message to the queue
        except Exception:
            if len(rows) == 1:
                raise
            # One row may be at fault (a bug, a value the database refuses); the statement
            # is atomic, so nothing was stored: write each alone and fail only that caller.
            log.warning("a batch of %d inbound messages failed; writing them one by one", len(rows))
            outcomes = [self._insert_alone(row) for row in rows]
        if self._settings.redis_url:
            # Set after the commit of every row here, so the drain the flag stands for
            # (pending, or started after this) sees them all: see `workers.queue.wake`.
            pending = [
                s.id
                for s in outcomes
                if isinstance(s, Stored) and (s.created or s.status == RECEIVED)
            ]
            if pending:
                _hand_on(self._settings, max(pending))
        return outcomes

    def _insert_alone(self, row: Row) -> Stored | BaseException:
        try:
            return self._insert([row])[0]
        except Exception as exc:  # noqa: BLE001 - this row's caller raises it
            return exc

    def _insert(self, rows: list[Row]) -> list[Stored]:
        held = self._conn is not None
        try:
            return _insert(self._connection(), rows)
        except DB_DOWN:
            self.release()
            if not held:
                raise
            # The held connection may have died between batches (a database restart): the
            # INSERT is idempotent, so try once more on a fresh, pre-pinged one.
            return _insert(self._connection(), rows)
        except BaseException:
            self.release()  # a failed statement leaves nothing worth keeping
            raise

    def _connection(self) -> Connection:
        if self._conn is None:
            conn = get_engine(self._settings.database_url).connect()
            # Autocommit: each INSERT is its own transaction, and the server answers only once
            # it is committed (WAL flushed; synchronous_commit stays on): one round trip.
            conn.execution_options(isolation_level="AUTOCOMMIT")
            self._conn = conn
        return self._conn


def _insert(conn: Connection, rows: list[Row]) -> list[Stored]:
    if conn.dialect.name == "postgresql":
        inserted = conn.exec_driver_sql(pg_batch_insert_sql(), (rows_as_json(rows),))
    else:
        inserted = conn.execute(insert_statement(conn.dialect.name), rows)
    new: dict[Key, int] = {(provider, pid): row_id for row_id, provider, pid in inserted}
    keys: list[Key] = [(row["provider"], row["provider_id"]) for row in rows]
    missing = sorted({key for key in keys if key not in new})
    old: dict[Key, tuple[int, str]] = {}
    if missing:  # repeats of stored messages: their status decides if they need a push
        found = conn.execute(
            select(_TABLE.c.id, _TABLE.c.provider, _TABLE.c.provider_id, _TABLE.c.status).where(
                tuple_(_TABLE.c.provider, _TABLE.c.provider_id).in_(missing)
            )
        )
        old = {(provider, pid): (row_id, status) for row_id, provider, pid, status in found}
    stored: list[Stored] = []
    first: set[Key] = set()
    for key in keys:
        if key in new:
            # The same id twice in one batch: the first caller created it, the second repeats.
            stored.append(Stored(new[key], key not in first, RECEIVED))
            first.add(key)
        elif key in old:
            row_id, status = old[key]
            stored.append(Stored(row_id, False, status))
        else:
            raise LookupError(f"inbound message {key} conflicted on insert but is not stored")
    return stored


def _hand_on(settings: Settings, message_id: int) -> None:
    # The message is stored: a failure from here on is the sweep's to fix, not the caller's.
    try:
        dispatch(settings, message_id)
    except Exception:
        log.exception("stored inbound %s, but could not hand it on", message_id)
