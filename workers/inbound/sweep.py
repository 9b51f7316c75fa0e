"""Find stored-but-unprocessed messages again: the periodic sweep and `ashshash requeue`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from schemas.status import MessageStatus
from schemas.tables import InboundMessage
from workers.db import session_scope
from workers.inbound.clock_repair import repair_clocks
from workers.inbound.jobs import drain_inbound
from workers.queue import wake
from workers.settings import Settings

log = logging.getLogger("ashshash.sweep")

# A message younger than this is probably in flight already; the sweep leaves it alone.
GRACE = timedelta(seconds=20)


@dataclass(frozen=True)
class RequeueReport:
    pending: int  # inbound messages waiting to be processed
    reset: int  # messages marked failed (a bug) put back to be processed again
    jobs: int  # failed RQ jobs put back on their queue
    unsent: int = 0  # replies stored but not sent yet, handed to the send job again

    def summary(self) -> str:
        return (
            f"{self.pending} stored message(s) queued for processing, "
            f"{self.reset} failed message(s) retried, {self.jobs} failed job(s) requeued, "
            f"{self.unsent} unsent repl(ies) queued"
        )


def pending(settings: Settings, older_than: timedelta = timedelta(0)) -> tuple[int, int | None]:
    """(count, lowest id) of stored messages not yet processed."""
    cutoff = datetime.now(UTC) - older_than
    with session_scope(settings) as session:
        count, first = session.execute(
            select(func.count(InboundMessage.id), func.min(InboundMessage.id)).where(
                InboundMessage.status == MessageStatus.RECEIVED,
                InboundMessage.stored_at <= cutoff,
            )
        ).one()
    return int(count), first


def sweep(settings: Settings, grace: timedelta = GRACE) -> int:
    """Wake the drain job if any stored message waits longer than `grace`; returns how many."""
    count, first = pending(settings, grace)
    if count and first is not None:
        log.info("sweep: %d stored message(s) waiting, waking the drain", count)
        wake(settings, drain_inbound, first)
    return count


def _requeue_failed_jobs(settings: Settings) -> int:
    if not settings.redis_url:
        return 0
    from rq.registry import FailedJobRegistry

    from workers.queue import QUEUES, get_queue

    total = 0
    for name in QUEUES:
        queue = get_queue(settings, name)
        registry = FailedJobRegistry(queue=queue)
        for job_id in registry.get_job_ids():
            try:
                registry.requeue(job_id)
                total += 1
            except Exception as exc:  # noqa: BLE001 - a vanished job is not worth stopping for
                log.warning("could not requeue job %s: %s", job_id, exc)
    return total


def requeue(settings: Settings) -> RequeueReport:
    """After an outage or a fix: failed messages back to pending, failed jobs back on queue."""
    with session_scope(settings) as session:
        # A time no page or parser can use (9999-12-31) would fail the message again.
        repair_clocks(session, settings)
        failed = select(func.count(InboundMessage.id)).where(
            InboundMessage.status == MessageStatus.FAILED
        )
        # Read first: no write lock taken (SQLite) when there is nothing to reset.
        reset = 0
        if session.scalar(failed):
            result = session.execute(
                update(InboundMessage)
                .where(InboundMessage.status == MessageStatus.FAILED)
                .values(status=MessageStatus.RECEIVED, reason=None)
            )
            reset = int(getattr(result, "rowcount", 0) or 0)
    jobs = _requeue_failed_jobs(settings)
    count = sweep(settings, grace=timedelta(0))
    unsent = _requeue_unsent(settings)
    return RequeueReport(pending=count, reset=reset, jobs=jobs, unsent=unsent)


def _requeue_unsent(settings: Settings) -> int:
    from workers.outbound.send import send_outbound, unsent_ids
    from workers.queue import enqueue_each

    with session_scope(settings) as session:
        ids = unsent_ids(session)
    enqueue_each(settings, send_outbound, ids)
    return len(ids)
