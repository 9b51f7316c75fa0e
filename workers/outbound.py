"""Replies out: stored first (queue_reply), sent by a job with retries, moved on by reports."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import OutboundMessage
from workers.db import session_scope
from workers.gateways import Gateway, SendResult, gateway_for
from workers.settings import Settings

log = logging.getLogger("ashshash.outbound")

# Waits between attempts when the job runs in-process (no Redis): the caller is a webhook
# or the command line, so a few short tries only; RQ's own Retry backs off for minutes.
IN_PROCESS_DELAYS: tuple[float, ...] = (0.5, 2.0)
IN_PROCESS_SLOW = 2.0  # seconds: an attempt that failed this slowly is not repeated inline
# Across every job run and requeue: past this a retryable failure is given up as failed,
# so a number that never works cannot cycle through `ashshash requeue` forever.
MAX_ATTEMPTS = 10

# Delivery-report words -> (our status, rank). Ranks only rise: a report never moves a
# message back, and the final ones (rank 4) are never replaced. Africa's Talking words
# first; SMS Gateway for Android's and our own words let every backend share this path.
REPORT_STATUS: dict[str, tuple[str, int]] = {
    "Sent": ("sent", 1),
    "Submitted": ("sent", 2),
    "Buffered": ("sent", 3),
    "Success": ("delivered", 4),
    "Rejected": ("failed", 4),
    "Failed": ("failed", 4),
    "Delivered": ("delivered", 4),
    "sent": ("sent", 1),
    "delivered": ("delivered", 4),
    "failed": ("failed", 4),
}
FINAL_RANK = 4


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
        status="queued",
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    session.add(message)
    if flush:
        session.flush()  # the id exists before the caller commits and enqueues
    return message


def unsent_ids(session: Session) -> list[int]:
    """Messages still waiting to be sent (after an outage or a lost job), oldest first."""
    query = (
        select(OutboundMessage.id)
        .where(OutboundMessage.status == "queued")
        .order_by(OutboundMessage.id)
    )
    return list(session.scalars(query))


def _record(message: OutboundMessage, gateway: Gateway, result: SendResult) -> _Next:
    """Write one attempt's result onto the row; say whether another attempt should follow."""
    message.attempts = (message.attempts or 0) + 1
    message.backend = gateway.name
    message.provider_status = (result.status or "")[:20] or None  # column width
    message.updated_at = _now()
    if result.provider_id:
        message.provider_id = result.provider_id
    if result.ok:
        message.status = "sent"
        message.cost = result.cost
        message.failure_reason = None
        return _Next.DONE
    reason = (result.error or result.status or "not accepted")[:200]
    if result.retryable and message.attempts < MAX_ATTEMPTS:
        # Still queued: the next attempt, RQ's retry or `ashshash requeue` sends it.
        message.failure_reason = reason
        return _Next.RETRY
    if result.retryable:
        reason = f"gave up after {message.attempts} attempts: {reason}"[:200]
    message.status = "failed"
    message.failure_reason = reason
    return _Next.DONE


def _attempt(settings: Settings, gateway: Gateway, outbound_id: int) -> _Next:
    with session_scope(settings) as session:
        # The row lock keeps two workers from sending the same message at once (PostgreSQL).
        message = session.get(OutboundMessage, outbound_id, with_for_update=True)
        if message is None:
            log.warning("outbound message %s not found; nothing to send", outbound_id)
            return _Next.DONE
        if message.status != "queued":
            return _Next.DONE  # already sent or failed for good: running twice is harmless
        result = gateway.send(message.to, message.text)
        outcome = _record(message, gateway, result)
        if not result.ok:
            log.warning(
                "outbound %s attempt %s not sent (%s): %s",
                outbound_id,
                message.attempts,
                "retry" if outcome is _Next.RETRY else "final",
                message.failure_reason,
            )
        return outcome


def _in_rq_job() -> bool:
    from rq import get_current_job

    return get_current_job() is not None


def _send_one(
    settings: Settings, gateway: Gateway, outbound_id: int, delays: tuple[float, ...]
) -> bool:
    """Attempt, wait, attempt again; True when the message is done (sent or failed)."""
    for attempt, delay in enumerate((*delays, None)):
        started = time.monotonic()
        if _attempt(settings, gateway, outbound_id) is _Next.DONE:
            return True
        if delay is not None and time.monotonic() - started > IN_PROCESS_SLOW:
            # A slow failure (a timeout) would hold the waiting webhook or command that long
            # again; the message stays queued for the next run instead.
            return False
        if delay is not None:
            log.info("outbound %s: retrying in %.1f s (try %d)", outbound_id, delay, attempt + 2)
            time.sleep(delay)
    return False


def send_outbound(*ids: int, settings: Settings | None = None) -> None:
    """Job: send stored messages by id through the configured backend, recording each result.

    Idempotent: a message no longer queued is left alone. A retryable failure leaves the
    message queued with its reason; in an RQ job the job then raises so RQ's Retry runs it
    again with backoff, in-process it is retried briefly and then left for `ashshash requeue`.
    """
    if settings is None:
        from workers.runtime import current_settings

        settings = current_settings()
    gateway = gateway_for(settings)
    in_rq = _in_rq_job()
    delays = () if in_rq else IN_PROCESS_DELAYS
    pending = [i for i in ids if not _send_one(settings, gateway, i, delays)]
    if not pending:
        return
    if in_rq:
        # The rows are committed as still queued with their reasons; RQ backs off and retries.
        raise RetryableSendError(f"outbound messages {pending} not sent yet; will retry")
    log.warning("outbound %s left queued for `ashshash requeue`", pending)


def _rank(message: OutboundMessage) -> int:
    if message.status in ("delivered", "failed"):
        return FINAL_RANK
    if message.status == "sent":
        # After a send, provider_status holds the send answer's word ("Success" means
        # accepted, not delivered), so only the intermediate report words count here.
        word = REPORT_STATUS.get(message.provider_status or "")
        return word[1] if word and word[1] < FINAL_RANK else 1
    return 0


def apply_delivery_report(
    session: Session, *, provider_id: str, status: str, failure_reason: str | None = None
) -> OutboundMessage | None:
    """Move a sent message forward by a provider's delivery report; never backwards.

    Returns the message (changed or not), or None when no message has that provider id.
    Unknown status words change nothing. Does not commit.
    """
    message = session.scalar(
        select(OutboundMessage)
        .where(OutboundMessage.provider_id == provider_id)
        .order_by(OutboundMessage.id)
        .limit(1)
        .with_for_update()
    )
    if message is None:
        return None
    mapped = REPORT_STATUS.get(status.strip())
    if mapped is None:
        log.warning("delivery report for %s with unknown status %r ignored", provider_id, status)
        return message
    new_status, rank = mapped
    if rank <= _rank(message):
        return message  # late, repeated or out of order: the later state stands
    message.status = new_status
    message.provider_status = status.strip()[:20]
    message.updated_at = _now()
    if new_status == "failed":
        message.failure_reason = (failure_reason or status.strip())[:200]
    elif new_status == "delivered":
        message.failure_reason = None
    return message
