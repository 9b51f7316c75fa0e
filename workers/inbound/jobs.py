"""The inbound jobs (RQ, or in-process without Redis): drain, process by ids, store raw.

Every one of them processes through `workers.inbound.process.drain_batch`, the one path.
With Redis a stored message wakes `drain_inbound`, which takes 100 rows at a time with
`FOR UPDATE SKIP LOCKED`, so several workers share a backlog without waiting on each other
(one RQ job per message cost a job round trip each: ≈32 msgs/s with forking workers). In
embedded mode (no Redis) the webhook runs `process_inbound` for its own message right after
its commit: the same batch path, for the ids it names. See docs/benchmarks.md ("Ingest").
"""

from __future__ import annotations

import logging
from typing import Any

from schemas.envelope import InboundEnvelope
from schemas.status import MessageStatus
from workers.db import session_scope
from workers.inbound.process import BATCH, drain_batch
from workers.inbound.store import store_inbound
from workers.outbound import sender as send_sender
from workers.outbound.send import send_outbound
from workers.queue import clear_wake, enqueue, wake
from workers.runtime import current_settings
from workers.settings import Settings

log = logging.getLogger("ashshash.inbound.jobs")


def _send(settings: Settings, outbound: list[int]) -> None:
    if not outbound:
        return
    sender = send_sender.current()
    if sender is not None:
        # In the worker, whose sender lanes send replies: hand them over here, without a
        # job's round trip through Redis and back to this same process. The rows are
        # committed as queued, so a worker that dies now sends them on its next start.
        sender.hand_over(outbound)
        return
    # One send job per batch, not per reply: the queue's cost per job is paid once.
    job_id = f"send_outbound-{outbound[0]}-{outbound[-1]}-{len(outbound)}"
    enqueue(settings, send_outbound, *outbound, job_id=job_id)


def drain_inbound(*ids: int, settings: Settings | None = None) -> None:
    """Job: drain pending messages until none are left. `ids` names the row that woke it."""
    settings = settings or current_settings()
    clear_wake(settings, drain_inbound)
    # In-process there is no one to call for help; on SQLite helpers would only collide
    # (no SKIP LOCKED: one writer at a time).
    helped = not settings.redis_url or settings.is_sqlite
    while True:
        claimed, outbound = drain_batch(settings)
        _send(settings, outbound)
        if len(claimed) < BATCH:
            return
        if not helped:
            # A backlog: wake one more drain, which an idle worker takes (and it wakes the
            # next); SKIP LOCKED gives each its own rows.
            wake(settings, drain_inbound, claimed[-1])
            helped = True


def process_inbound(*ids: int, settings: Settings | None = None) -> None:
    """Job: process these stored messages, as batches; one already processed is left alone."""
    settings = settings or current_settings()
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), BATCH):
        _claimed, outbound = drain_batch(settings, ids=wanted[start : start + BATCH])
        _send(settings, outbound)


def dispatch(settings: Settings, message_id: int) -> None:
    """After commit: get a stored message processed (the RQ drain, or in-process by id)."""
    if settings.redis_url:
        wake(settings, drain_inbound, message_id)
    else:
        enqueue(settings, process_inbound, message_id)


def store_raw(payload: dict[str, Any], settings: Settings | None = None) -> None:
    """Job: store a message the webhook queued while the database was down, then process it.

    The one job that carries data instead of ids (`InboundEnvelope.to_payload`): the data
    had nowhere else to live. If the database is still down it raises, and RQ retries it
    with backoff.
    """
    settings = settings or current_settings()
    envelope = InboundEnvelope.from_payload(payload)
    with session_scope(settings) as session:
        message, created = store_inbound(session, settings, envelope)
        message_id = message.id
        pending = created or message.status == MessageStatus.RECEIVED
    if pending:
        dispatch(settings, message_id)
