"""The wake-up job: process every pending inbound message in batches, one commit per batch.

One RQ job per message costs a job round trip each (≈32 msgs/s with forking workers); a
drain takes 100 rows at a time with `FOR UPDATE SKIP LOCKED`, so several workers share the
backlog without waiting on each other; a bad message (a bug) is isolated by redoing its
batch with a savepoint per message. See docs/benchmarks.md ("Ingest").
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import InboundMessage
from workers.batch import Batch, reporters_of
from workers.db import write_lock
from workers.inbound import DB_DOWN, PENDING, process_message
from workers.inbound_job import mark_failed
from workers.settings import Settings

log = logging.getLogger("ashshash.drain")

BATCH = 100


def _claim(session: Session, limit: int) -> list[InboundMessage]:
    # SQLite: two drains must not claim the same rows (no row locks there): hold the write
    # lock from before the claim until the batch commits.
    write_lock(session)
    query = (
        select(InboundMessage)
        .where(InboundMessage.status == PENDING)
        .order_by(InboundMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Rows another worker is processing are skipped, not waited for.
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _run_batch(settings: Settings, limit: int, isolate: bool) -> tuple[list[int], list[int]]:
    from workers.db import session_scope

    failed: list[tuple[int, Exception]] = []
    outbound: list[int] = []
    with session_scope(settings) as session:
        messages = _claim(session, limit)
        if not isolate:
            batch = Batch(session, settings, messages)
            batch.run()
            return [m.id for m in messages], batch.outbound
        reporters = reporters_of(session, messages)
        for message in messages:
            try:
                with session.begin_nested():
                    result = process_message(session, settings, message, reporters=reporters)
            except DB_DOWN:
                raise
            except Exception as exc:
                log.exception("processing inbound %s failed", message.id)
                failed.append((message.id, exc))
                continue
            if result.outbound_id is not None:
                outbound.append(result.outbound_id)
    for message_id, error in failed:
        mark_failed(settings, message_id, error)
    return [m.id for m in messages], outbound


def drain_batch(settings: Settings, limit: int = BATCH) -> tuple[list[int], list[int]]:
    """Process up to `limit` pending messages in one transaction: (their ids, outbound ids).

    Optimistic first: the batch path (workers/batch.py: a handful of statements for the
    whole batch, no savepoints). If any message fails, the whole batch rolls back and is
    redone one message at a time with a savepoint each, so only the bad one is marked failed.
    """
    try:
        return _run_batch(settings, limit, isolate=False)
    except DB_DOWN:
        raise
    except Exception:  # noqa: BLE001 - redone below with each message isolated
        log.warning("a message in a batch failed; redoing the batch message by message")
        return _run_batch(settings, limit, isolate=True)


def drain_inbound(*ids: int, settings: Settings | None = None) -> None:
    """Job: drain pending messages until none are left. `ids` names the row that woke it."""
    from workers.outbound.send import send_outbound
    from workers.queue import clear_wake, enqueue, wake
    from workers.runtime import current_settings

    settings = settings or current_settings()
    clear_wake(settings, drain_inbound)
    # In-process there is no one to call for help; on SQLite helpers would only collide
    # (no SKIP LOCKED: one writer at a time).
    helped = not settings.redis_url or settings.is_sqlite
    while True:
        claimed, outbound = drain_batch(settings)
        if outbound:
            # One send job per batch, not per reply: the queue's cost per job is paid once.
            job_id = f"send_outbound-{outbound[0]}-{outbound[-1]}-{len(outbound)}"
            enqueue(settings, send_outbound, *outbound, job_id=job_id)
        if len(claimed) < BATCH:
            return
        if not helped:
            # A backlog: wake one more drain, which an idle worker takes (and it wakes the
            # next); SKIP LOCKED gives each its own rows.
            wake(settings, drain_inbound, claimed[-1])
            helped = True
