"""Forget old raw texts and sender numbers, keep the records they made (data minimisation)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schemas.tables import AuditEntry, InboundMessage, OutboundMessage

PROCESSED = ("accepted", "rejected", "duplicate", "ignored")


def purge_inbound(session: Session, older_than_days: int, now: datetime | None = None) -> int:
    """Blank text, sender and provider extras of processed inbound messages received more than
    `older_than_days` ago, and the number and words of the replies to them. Does not commit."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=older_than_days)
    ids = list(
        session.scalars(
            select(InboundMessage.id).where(
                InboundMessage.status.in_(PROCESSED),
                InboundMessage.provider_time < cutoff,
                # Already purged rows are left alone, so the count says what this run did.
                InboundMessage.text.is_not(None) | InboundMessage.sender.is_not(None),
            )
        )
    )
    if not ids:
        return 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.execute(
            update(InboundMessage)
            .where(InboundMessage.id.in_(chunk))
            # text_key is a hash of the text: short texts could be guessed back from it.
            .values(text=None, sender=None, text_key=None, extra=None)
        )
        # A reply carries the number it went to, and words that echo the message.
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.inbound_id.in_(chunk))
            .values(to="", text="")
        )
    session.add(
        AuditEntry(
            at=now,
            actor="system",
            action="purge",
            entity="inbound_messages",
            detail={"older_than_days": older_than_days, "messages": len(ids)},
        )
    )
    return len(ids)
