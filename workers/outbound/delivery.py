"""Delivery reports: a provider's word for a sent message moves its status forward, never back."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.provider_values import provider_key, storable
from schemas.status import OutboundStatus
from schemas.tables import OutboundMessage

log = logging.getLogger("ashshash.outbound")

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


def _now() -> datetime:
    return datetime.now(UTC)


def _rank(message: OutboundMessage) -> int:
    if message.status == OutboundStatus.FAILED and message.provider_status == "failed":
        return REPORT_STATUS["failed"][1]
    if message.status in ("delivered", "failed"):
        return FINAL_RANK
    if message.status == OutboundStatus.SENT:
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
    if new_status == OutboundStatus.FAILED:
        message.failure_reason = (failure_reason or status.strip())[:200]
    elif new_status == OutboundStatus.DELIVERED:
        message.failure_reason = None
    return message
