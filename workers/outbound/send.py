"""Replies out: stored first (queue_reply), sent by a job with retries, moved on by reports."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from schemas.provider_values import provider_key, storable
from schemas.replies.sms_length import segments
from schemas.tables import OutboundMessage
from workers.db import session_scope
from workers.outbound import pool as send_pool
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
    "Expired": ("failed", 4),  # not in AT's list, but sent in production (courier maps it)
    "Delivered": ("delivered", 4),
    "sent": ("sent", 1),
    "delivered": ("delivered", 4),
    "cancelled": ("failed", 4),  # SMS Gateway's sms:cancelled (app v1.67+): never sent
    # SMS Gateway reports a multipart reply per part: `sms:delivered` for each part that
    # arrived, `sms:failed` if any part did not. Its failed outranks delivered, so a
    # half-failed reply never shows as delivered, whichever report comes first.
    "failed": ("failed", 5),
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
        status="queued",
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
        .where(OutboundMessage.status == "queued", OutboundMessage.kind.not_in(OUTREACH_KINDS))
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
        message.provider_id = provider_key(result.provider_id)
    if result.ok:
        message.status = "sent"
        message.cost = result.cost
        message.failure_reason = None
        return _Next.DONE
    reason = (result.error or result.status or "not accepted")[:200]
    if result.config_fault:
        # Not this message's fault: it waits, however long, for the setup to be fixed.
        message.failure_reason = f"{CONFIG_FAULT}{reason}"[:200]
        return _Next.RETRY
    if result.retryable and message.attempts < MAX_ATTEMPTS:
        # Still queued: the next attempt, RQ's retry or `ashshash requeue` sends it.
        message.failure_reason = reason
        return _Next.RETRY
    if result.retryable:
        reason = f"gave up after {message.attempts} attempts: {reason}"[:200]
    message.status = "failed"
    message.failure_reason = reason
    return _Next.DONE


def _claim(session: Session, ids: list[int]) -> list[OutboundMessage]:
    """The job's rows still queued, locked, in the job's order: one query for the batch."""
    query = select(OutboundMessage).where(
        OutboundMessage.id.in_(ids), OutboundMessage.status == "queued"
    )
    if session.get_bind().dialect.name == "postgresql":
        # A row another job holds is being sent by it (and retried by it): skip, not wait.
        query = query.with_for_update(skip_locked=True)
    order = {outbound_id: n for n, outbound_id in enumerate(ids)}
    return sorted(session.scalars(query), key=lambda message: order[message.id])


def _mark_all(session: Session, ids: list[int], gateway: Gateway, result: SendResult) -> None:
    """A backend that answers every message alike (the outbox): one UPDATE for the batch,
    the same columns `_record` writes for an accepted message."""
    claim = select(OutboundMessage.id).where(
        OutboundMessage.id.in_(ids), OutboundMessage.status == "queued"
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


def _attempt(settings: Settings, gateway: Gateway, ids: list[int]) -> list[tuple[int, bool]]:
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

        def on_result(row: object, result: SendResult, elapsed: float) -> None:
            message = row
            assert isinstance(message, OutboundMessage)
            outcome = _record(message, gateway, result)
            if outcome is _Next.RETRY:
                again.append((message.id, elapsed > IN_PROCESS_SLOW))
            if not result.ok:
                log.warning(
                    "outbound %s attempt %s not sent (%s): %s",
                    message.id,
                    message.attempts,
                    "retry" if outcome is _Next.RETRY else "final",
                    message.failure_reason,
                )

        try:
            send_pool.run(
                gateway, send_pool.plan(claimed, gateway), settings.send_concurrency, on_result
            )
        except BaseException:
            # Every answer received so far is on its row (written in this thread, whole);
            # commit them before the exception goes on, so none is sent twice.
            session.commit()
            raise
    return again


def _in_rq_job() -> bool:
    from rq import get_current_job

    return get_current_job() is not None


def send_outbound(*ids: int, settings: Settings | None = None) -> None:
    """Job: send stored messages by id through the configured backend, recording each result.

    Idempotent: a message no longer queued is left alone. A retryable failure leaves the
    message queued with its reason; in an RQ job the job then raises so RQ's Retry runs it
    again with backoff, in-process it is retried briefly and then left for `ashshash requeue`.
    Each attempt covers the whole job: its rows are claimed in one query and written in one
    commit (the outbox backend: one UPDATE).
    """
    if settings is None:
        from workers.runtime import current_settings

        settings = current_settings()
    gateway = gateway_for(settings)
    in_rq = _in_rq_job()
    delays = () if in_rq else IN_PROCESS_DELAYS
    trying = list(dict.fromkeys(ids))
    pending: list[int] = []
    for attempt, delay in enumerate((*delays, None)):
        again = _attempt(settings, gateway, trying)
        if delay is None:
            pending += [outbound_id for outbound_id, _slow in again]
            break
        # A slow failure (a timeout) would hold the waiting webhook or command that long
        # again; such a message stays queued for the next run instead.
        pending += [outbound_id for outbound_id, slow in again if slow]
        trying = [outbound_id for outbound_id, slow in again if not slow]
        if not trying:
            break
        log.info("outbound %s: retrying in %.1f s (try %d)", trying, delay, attempt + 2)
        time.sleep(delay)
    if not pending:
        return
    if in_rq:
        # The rows are committed as still queued with their reasons; RQ backs off and retries.
        raise RetryableSendError(f"outbound messages {pending} not sent yet; will retry")
    log.warning("outbound %s left queued for `ashshash requeue`", pending)


def _rank(message: OutboundMessage) -> int:
    if message.status == "failed" and message.provider_status == "failed":
        return REPORT_STATUS["failed"][1]
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
    An unknown status word is logged and kept raw as the provider status of a message not
    yet final; it changes no status. Does not commit.
    """
    message = session.scalar(
        select(OutboundMessage)
        .where(OutboundMessage.provider_id == provider_key(provider_id))
        .order_by(OutboundMessage.id)
        .limit(1)
        .with_for_update()
    )
    if message is None:
        return None
    mapped = REPORT_STATUS.get(status.strip())
    if mapped is None:
        log.warning(
            "delivery report for %s with unknown status %r kept raw", provider_id, status[:40]
        )
        if _rank(message) < FINAL_RANK:
            message.provider_status = storable(status.strip())[:20] or None
            message.updated_at = _now()
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
