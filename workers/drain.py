"""The wake-up job: process every pending inbound message in batches, one commit per batch.

One RQ job per message costs a job round trip each (≈32 msgs/s with forking workers); a
drain takes 100 rows at a time with `FOR UPDATE SKIP LOCKED`, so several workers share the
backlog without waiting on each other, and one bad message (a bug) rolls back only its own
savepoint. See docs/benchmarks.md ("Ingest").
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import InboundMessage
from workers.inbound import DB_DOWN, PENDING, mark_failed, process_message
from workers.settings import Settings

log = logging.getLogger("ashshash.drain")

BATCH = 100


def _claim(session: Session, limit: int) -> list[InboundMessage]:
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


def drain_batch(settings: Settings, limit: int = BATCH) -> tuple[int, list[int]]:
    """Process up to `limit` pending messages in one transaction: (claimed, outbound ids)."""
    from workers.db import session_scope

    failed: list[tuple[int, Exception]] = []
    outbound: list[int] = []
    with session_scope(settings) as session:
        messages = _claim(session, limit)
        for message in messages:
            try:
                with session.begin_nested():
                    result = process_message(session, settings, message)
            except DB_DOWN:
                raise
            except Exception as exc:
                log.exception("processing inbound %s failed", message.id)
                failed.append((message.id, exc))
                continue
            if result.outbound_id is not None:
                outbound.append(result.outbound_id)
    for message_id, exc in failed:
        mark_failed(settings, message_id, exc)
    return len(messages), outbound


def drain_inbound(*ids: int, settings: Settings | None = None) -> None:
    """Job: drain pending messages until none are left. `ids` names the row that woke it."""
    from workers.outbound import send_outbound
    from workers.queue import clear_wake, enqueue_each
    from workers.runtime import current_settings

    settings = settings or current_settings()
    clear_wake(settings, drain_inbound)
    while True:
        claimed, outbound = drain_batch(settings)
        enqueue_each(settings, send_outbound, outbound)
        if claimed < BATCH:
            return
