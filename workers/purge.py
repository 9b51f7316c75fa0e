"""Forget old raw texts and sender numbers, keep the records they made (data minimisation)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import null, select, update
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.status import DECIDED, MessageStatus
from schemas.tables import AuditEntry, InboundMessage, OutboundMessage, UssdEvent

# Every final status, `failed` included (a bug's message is retried by `requeue`, but after
# DAYS its raw text goes like the others). Only a message still waiting (`received`) is
# kept: blanking it would lose a report that was never read.
PROCESSED = (*DECIDED, MessageStatus.FAILED)
MAX_DAYS = 36_500  # a hundred years: anything larger cannot be a date to count back to


def purge_inbound(session: Session, older_than_days: int, now: datetime | None = None) -> int:
    """Blank text, sender and provider extras of processed inbound messages stored more than
    `older_than_days` ago, the number and words of the replies to them, and the number and
    inputs of USSD end-of-session events. Does not commit.

    Age is the time the service stored the message, not the provider's timestamp (which may
    be in the future or far in the past: a wrong phone clock must not keep a text forever)."""
    if not 1 <= older_than_days <= MAX_DAYS:
        raise ValueError(f"older_than_days must be from 1 to {MAX_DAYS}")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=older_than_days)
    events = _purge_ussd_events(session, cutoff)
    ids = list(
        session.scalars(
            select(InboundMessage.id).where(
                InboundMessage.status.in_(PROCESSED),
                InboundMessage.stored_at < cutoff,
                # Already purged rows are left alone, so the count says what this run did.
                InboundMessage.text.is_not(None) | InboundMessage.sender.is_not(None),
            )
        )
    )
    if not ids and not events:
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
            actor=str(Actor.system()),
            action="purge",
            entity="inbound_messages",
            detail={
                "older_than_days": older_than_days,
                "messages": len(ids),
                "ussd_events": events,
            },
        )
    )
    return len(ids)


def _purge_ussd_events(session: Session, cutoff: datetime) -> int:
    """USSD end-of-session events keep their status and session (the dashboard counts
    abandoned sessions); the number, the inputs typed and provider extras go."""
    done = session.execute(
        update(UssdEvent)
        .where(
            UssdEvent.received_at < cutoff,
            UssdEvent.phone.is_not(None)
            | UssdEvent.input.is_not(None)
            | UssdEvent.extra.is_not(None),
        )
        # null(): SQL NULL, not the JSON value null, so a purged row is not purged again.
        .values(phone=None, input=None, extra=null())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(done, "rowcount", 0) or 0)
