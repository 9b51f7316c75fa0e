"""Replies out: stored first (queue_reply), then sent by a job, concurrently, with retries."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session

from schemas.provider_values import provider_key
from schemas.replies.sms_length import segments
from schemas.status import OutboundStatus
from schemas.tables import OutboundMessage
from workers.db import session_scope
from workers.outbound import pool as send_pool
from workers.outbound import sender as send_sender
from workers.outbound.gateways import Gateway, SendResult, gateway_for
from workers.settings import Settings

log = logging.getLogger("ashshash.outbound")

# Waits between attempts when the job runs in-process (no Redis): the caller is a webhook
# or the command line, so a few short tries only; RQ's own Retry backs off for minutes.
IN_PROCESS_DELAYS: tuple[float, ...] = (0.5, 2.0)
IN_PROCESS_SLOW = 2.0  # seconds: an attempt that failed this slowly is not repeated inline
# Across every job run and requeue: past this a retryable failure is given up as failed,
# so a number that never works cannot cycle through `ashshash requeue` forever.
MAX_ATTEMPTS = 10
# Failure reasons of messages held back by a backend set up wrong start with this; the
# dashboard's overview lists them (service/dashboard/providers.py).
CONFIG_FAULT = "configuration: "
# Kinds sent by the outreach queue (workers/outreach): paced, held in quiet hours, budgeted.
OUTREACH_KINDS = ("reminder", "digest", "broadcast")


class RetryableSendError(RuntimeError):
    """Raised inside an RQ job so that the queue's Retry sends the message again later."""


class _Next(Enum):
    DONE = "done"
    RETRY = "retry"


def _now() -> datetime:
    return datetime.now(UTC)


def queue_reply(
    session: Session,
    settings: Settings,
    *,
    to: str,
    text: str,
    inbound_id: int | None,
    kind: str = "reply",
    known_new: bool = False,
    flush: bool = True,
    broadcast_id: int | None = None,
) -> OutboundMessage:
    """Store a message to send (status queued). One reply per inbound message: asking twice
    returns the first. Does not commit; the caller enqueues `send_outbound` after its commit.

    `known_new`: the caller already found no reply for `inbound_id` (a drain batch looks its
    messages' replies up in one query), so there is no lookup. `flush=False`: the row gets
    its id from the caller's next flush, one INSERT for a whole batch.
    """
    if inbound_id is not None and not known_new:
        existing = session.scalar(
            select(OutboundMessage).where(OutboundMessage.inbound_id == inbound_id)
        )
        if existing is not None:
            return existing
    now = _now()
    message = OutboundMessage(
        inbound_id=inbound_id,
        to=to,
        text=text,
        kind=kind,
        backend=settings.sms_backend,
        status=OutboundStatus.QUEUED,
        attempts=0,
        created_at=now,
        updated_at=now,
        segments=segments(text)[2],
        broadcast_id=broadcast_id,
    )
    session.add(message)
    if flush:
        session.flush()  # the id exists before the caller commits and enqueues
    return message


def unsent_ids(session: Session) -> list[int]:
    """Replies still waiting to be sent (after an outage or a lost job), oldest first.
    Queued outreach is the outreach tick's to send (it waits for its window)."""
    query = (
        select(OutboundMessage.id)
        .where(
            OutboundMessage.status == OutboundStatus.QUEUED,
            OutboundMessage.kind.not_in(OUTREACH_KINDS),
        )
        .order_by(OutboundMessage.id)
    )
    return list(session.scalars(query))


# What an attempt reads of a claimed row: what it sends, and what a result may leave as is.
_CLAIMED = (
    OutboundMessage.id,
    OutboundMessage.to,
    OutboundMessage.text,
    OutboundMessage.attempts,
    OutboundMessage.provider_id,
    OutboundMessage.cost,
)


def _record(row: Row[Any], gateway: Gateway, result: SendResult) -> tuple[dict[str, Any], _Next]:
    """One attempt's result as the row's new values; whether another attempt should follow.
    Every key is always there, so the batch's rows go out as one UPDATE statement."""
    attempts = (row.attempts or 0) + 1
    values: dict[str, Any] = {
        "id": row.id,
        "attempts": attempts,
        "backend": gateway.name,
        "provider_status": (result.status or "")[:20] or None,  # column width
        "updated_at": _now(),
        "provider_id": provider_key(result.provider_id) if result.provider_id else row.provider_id,
        "status": OutboundStatus.QUEUED,
        "cost": row.cost,
    }
    if result.ok:
        values.update(status=OutboundStatus.SENT, cost=result.cost, failure_reason=None)
        return values, _Next.DONE
    reason = (result.error or result.status or "not accepted")[:200]
    if result.config_fault:
        # Not this message's fault: it waits, however long, for the setup to be fixed.
        values["failure_reason"] = f"{CONFIG_FAULT}{reason}"[:200]
        return values, _Next.RETRY
    if result.retryable and attempts < MAX_ATTEMPTS:
        # Still queued: the next attempt, RQ's retry or `ashshash requeue` sends it.
        values["failure_reason"] = reason
        return values, _Next.RETRY
    if result.retryable:
        reason = f"gave up after {attempts} attempts: {reason}"[:200]
    values.update(status=OutboundStatus.FAILED, failure_reason=reason)
    return values, _Next.DONE


def _claim(session: Session, ids: list[int]) -> list[Row[Any]]:
    """The job's rows still queued, locked, in the job's order: one query for the batch."""
    query = select(*_CLAIMED).where(
        OutboundMessage.id.in_(ids), OutboundMessage.status == OutboundStatus.QUEUED
    )
    if session.get_bind().dialect.name == "postgresql":
        # A row another job holds is being sent by it (and retried by it): skip, not wait.
        query = query.with_for_update(skip_locked=True)
    order = {outbound_id: n for n, outbound_id in enumerate(ids)}
    return sorted(session.execute(query), key=lambda row: order[row.id])


def _write(session: Session, written: list[dict[str, Any]]) -> None:
    """The attempt's results, one UPDATE by primary key for them all (an executemany,
    pipelined by psycopg: one round trip), not an ORM flush of loaded objects."""
    if written:
        session.execute(update(OutboundMessage), written)
        written.clear()


def _mark_all(session: Session, ids: list[int], gateway: Gateway, result: SendResult) -> None:
    """A backend that answers every message alike (the outbox): one UPDATE for the batch,
    the same columns `_record` writes for an accepted message."""
    claim = select(OutboundMessage.id).where(
        OutboundMessage.id.in_(ids), OutboundMessage.status == OutboundStatus.QUEUED
    )
    if session.get_bind().dialect.name == "postgresql":
        claim = claim.with_for_update(skip_locked=True)
    values: dict[str, object] = {
        "status": "sent",
        "attempts": func.coalesce(OutboundMessage.attempts, 0) + 1,
        "backend": gateway.name,
        "provider_status": (result.status or "")[:20] or None,
        "cost": result.cost,
        "failure_reason": None,
        "updated_at": _now(),
    }
    if result.provider_id:
        values["provider_id"] = provider_key(result.provider_id)
    statement = update(OutboundMessage).where(OutboundMessage.id.in_(claim)).values(values)
    session.execute(statement.execution_options(synchronize_session=False))


def attempt(settings: Settings, gateway: Gateway, ids: list[int]) -> list[tuple[int, bool]]:
    """One attempt for each of `ids` still queued, in one transaction and one commit; the
    provider calls go out concurrently (`workers.outbound.pool`, SEND_CONCURRENCY at once).

    Returns the messages to try again, each with whether its failed attempt was slow.
    A provider's answer is never lost to an exception (a bug, RQ's job timeout): the answers
    already recorded are committed before it propagates, as the old one-commit-per-message
    loop would have had them. Only a hard kill (SIGKILL, power loss) between the first
    provider call and the commit loses answers, and then every message answered in that
    window is sent again (at least once, never lost): up to one job's batch instead of one.
    """
    uniform: SendResult | None = getattr(gateway, "uniform_result", None)
    again: list[tuple[int, bool]] = []
    with session_scope(settings) as session:
        if uniform is not None and uniform.ok:
            _mark_all(session, ids, gateway, uniform)
            return again
        claimed = _claim(session, ids)
        written: list[dict[str, Any]] = []

        def on_result(row: Any, result: SendResult, elapsed: float) -> None:
            values, outcome = _record(row, gateway, result)
            written.append(values)
            if outcome is _Next.RETRY:
                again.append((row.id, elapsed > IN_PROCESS_SLOW))
            if not result.ok:
                log.warning(
                    "outbound %s attempt %s not sent (%s): %s",
                    row.id,
                    values["attempts"],
                    "retry" if outcome is _Next.RETRY else "final",
                    values["failure_reason"],
                )

        try:
            send_pool.run(
                gateway, send_pool.plan(claimed, gateway), settings.send_concurrency, on_result
            )
        except BaseException:
            # Every answer received so far is in `written`: commit them before the
            # exception goes on, so none is sent twice.
            _write(session, written)
            session.commit()
            raise
        _write(session, written)
    return again


def _rq_queue() -> str | None:
    """The queue of the RQ job running this call, or None outside RQ."""
    from rq import get_current_job

    job = get_current_job()
    return None if job is None else str(job.origin)


def send_outbound(*ids: int, settings: Settings | None = None) -> None:
    """Job: send stored messages by id through the configured backend, recording each result.

    In the worker (`ashshash worker`), a job from the outbound queue hands its ids to the
    process's sender and returns at once; the sender makes the attempts below from its own
    threads and schedules the retries. Idempotent: a message no longer queued is left alone.
    A retryable failure leaves the message queued with its reason; in an RQ job the job then
    raises so RQ's Retry runs it again with backoff, in-process it is retried briefly and then
    left for `ashshash requeue`.
    Each attempt covers the whole job: its rows are claimed in one query and written in one
    commit (the outbox backend: one UPDATE).
    """
    if settings is None:
        from workers.runtime import current_settings

        settings = current_settings()
    queue = _rq_queue()
    sender = send_sender.current()
    if sender is not None and queue == "outbound":
        # The worker's sender sends them (workers/outbound/sender.py): this job's worker
        # goes back to draining instead of waiting on the provider.
        sender.hand_over(list(dict.fromkeys(ids)))
        return
    gateway = gateway_for(settings)
    in_rq = queue is not None
    delays = () if in_rq else IN_PROCESS_DELAYS
    trying = list(dict.fromkeys(ids))
    pending: list[int] = []
    for tried, delay in enumerate((*delays, None)):
        again = attempt(settings, gateway, trying)
        if delay is None:
            pending += [outbound_id for outbound_id, _slow in again]
            break
        # A slow failure (a timeout) would hold the waiting webhook or command that long
        # again; such a message stays queued for the next run instead.
        pending += [outbound_id for outbound_id, slow in again if slow]
        trying = [outbound_id for outbound_id, slow in again if not slow]
        if not trying:
            break
        log.info("outbound %s: retrying in %.1f s (try %d)", trying, delay, tried + 2)
        time.sleep(delay)
    if not pending:
        return
    if in_rq:
        # The rows are committed as still queued with their reasons; RQ backs off and retries.
        raise RetryableSendError(f"outbound messages {pending} not sent yet; will retry")
    log.warning("outbound %s left queued for `ashshash requeue`", pending)
