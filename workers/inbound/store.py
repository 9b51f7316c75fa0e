"""Store inbound messages exactly once per (provider, provider id): in a session, or grouped.

`store_inbound` writes in the caller's transaction (USSD, the simulator, the queue's
`store_raw`). The webhooks' `store_grouped` shares commits instead: a transaction per
message costs four round trips and a WAL flush each (pool pre-ping, BEGIN, INSERT, COMMIT);
concurrent callers in a process share one multi-row `INSERT .. ON CONFLICT DO NOTHING
RETURNING` in autocommit, so a whole batch costs one round trip and one flush, and its
pending rows are handed on once. See docs/benchmarks.md ("The webhook: group commit").
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.orm import Session, make_transient_to_detached

from schemas.envelope import InboundEnvelope
from schemas.status import MessageStatus
from schemas.tables import InboundMessage
from workers.db import DB_DOWN, get_engine
from workers.inbound.group_commit import GroupCommit
from workers.inbound.rows import (
    TABLE,
    Row,
    inbound_values,
    insert_statement,
    pg_batch_insert_sql,
    rows_as_json,
)
from workers.settings import Settings

log = logging.getLogger("ashshash.inbound.store")

Key = tuple[str, str]
MAX_BATCH = 100
# After a commit: get these stored messages processed (`workers.inbound.jobs.dispatch`).
HandOn = Callable[[Settings, int], None]


class Stored(NamedTuple):
    """A stored inbound message: its id, whether this call created it, and its status."""

    id: int
    created: bool
    status: str

    @property
    def pending(self) -> bool:
        """New, or a repeat of one never processed (a lost job): worth a push."""
        return self.created or self.status == MessageStatus.RECEIVED


def store_inbound(
    session: Session, settings: Settings, envelope: InboundEnvelope
) -> tuple[InboundMessage, bool]:
    """The stored row and whether it is new. Does not commit."""
    values = inbound_values(settings, envelope)
    # INSERT .. ON CONFLICT DO NOTHING RETURNING as the transaction's first statement: one
    # round trip for a new message; concurrent deliveries of one id never raise; on SQLite
    # the write lock is taken (waiting on busy_timeout) before any read snapshot goes stale.
    # Core, not the ORM's bulk insert: this is a hot path.
    conn = session.connection()
    new_id = conn.execute(insert_statement(conn.dialect.name), values).scalar()
    if new_id is not None:
        message = InboundMessage(id=new_id, **values)
        # The row is in the database already: attach the object as persistent, no query.
        make_transient_to_detached(message)
        session.add(message)
        return message, True
    existing = session.scalars(
        select(InboundMessage).where(
            InboundMessage.provider == values["provider"],
            InboundMessage.provider_id == values["provider_id"],
        )
    ).one()
    return existing, False


# One group per database and queue per process (a forked child starts its own).
_groups: dict[tuple[str, str | None, int, HandOn], GroupCommit[Row, Stored]] = {}
_groups_lock = threading.Lock()


def store_grouped(settings: Settings, envelope: InboundEnvelope, hand_on: HandOn) -> Stored:
    """Store one message, committed when this returns (the commit shared with concurrent
    callers), and handed on: with Redis the batch's writer calls `hand_on` once for the whole
    batch (one wake-up); without, each caller hands on its own message. Raises the database's
    error (`DB_DOWN` when it is unreachable) if the message could not be stored."""
    stored = _group(settings, hand_on).submit(inbound_values(settings, envelope))
    if not settings.redis_url and stored.pending:
        _hand_on(hand_on, settings, stored.id)
    return stored


def _group(settings: Settings, hand_on: HandOn) -> GroupCommit[Row, Stored]:
    # Keyed by the two URLs: they are all the writer reads from the settings.
    key = (settings.database_url, settings.redis_url, os.getpid(), hand_on)
    group = _groups.get(key)
    if group is None:
        with _groups_lock:
            group = _groups.get(key)
            if group is None:
                writer = Writer(settings, hand_on)
                group = GroupCommit(writer.write, max_batch=MAX_BATCH, idle=writer.release)
                _groups[key] = group
    return group


class Writer:
    """Writes batches of inbound rows; one leader at a time calls it (`GroupCommit`)."""

    def __init__(self, settings: Settings, hand_on: HandOn) -> None:
        self._settings = settings
        self._hand_on = hand_on
        # Held from batch to batch while callers keep coming (no pool checkout and pre-ping
        # round trip per batch); given back when the group goes idle.
        self._conn: Connection | None = None

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def write(self, rows: list[Row]) -> list[Stored | BaseException]:
        """Write a batch, then (with Redis) hand on once every row it has to process."""
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
            # Called after the commit of every row here, so the drain the wake-up flag stands
            # for (pending, or started after this) sees them all: see `workers.queue.wake`.
            pending = [s.id for s in outcomes if isinstance(s, Stored) and s.pending]
            if pending:
                _hand_on(self._hand_on, self._settings, max(pending))
        return outcomes

    def _insert_alone(self, row: Row) -> Stored | BaseException:
        try:
            return self._insert([row])[0]
        except Exception as exc:  # noqa: BLE001 - this row's caller raises it
            return exc

    def _insert(self, rows: list[Row]) -> list[Stored]:
        held = self._conn is not None
        try:
            return insert_rows(self._connection(), rows)
        except DB_DOWN:
            self.release()
            if not held:
                raise
            # The held connection may have died between batches (a database restart): the
            # INSERT is idempotent, so try once more on a fresh, pre-pinged one.
            return insert_rows(self._connection(), rows)
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


def insert_rows(conn: Connection, rows: list[Row]) -> list[Stored]:
    """Insert rows in one statement; each row's `Stored`, in order (repeats included)."""
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
            select(TABLE.c.id, TABLE.c.provider, TABLE.c.provider_id, TABLE.c.status).where(
                tuple_(TABLE.c.provider, TABLE.c.provider_id).in_(missing)
            )
        )
        old = {(provider, pid): (row_id, status) for row_id, provider, pid, status in found}
    stored: list[Stored] = []
    first: set[Key] = set()
    for key in keys:
        if key in new:
            # The same id twice in one batch: the first caller created it, the second repeats.
            stored.append(Stored(new[key], key not in first, MessageStatus.RECEIVED))
            first.add(key)
        elif key in old:
            row_id, status = old[key]
            stored.append(Stored(row_id, False, status))
        else:
            raise LookupError(f"inbound message {key} conflicted on insert but is not stored")
    return stored


def _hand_on(hand_on: HandOn, settings: Settings, message_id: int) -> None:
    # The message is stored: a failure from here on is the sweep's to fix, not the caller's.
    try:
        hand_on(settings, message_id)
    except Exception:
        log.exception("stored inbound %s, but could not hand it on", message_id)
