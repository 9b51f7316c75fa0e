"""Same sender, same text within 10 minutes: the copy processed second points at the first."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.outcomes import Duplicate
from schemas.tables import InboundMessage, Record, Reporter
from schemas.text import text_key
from workers.apply.records import aware

WINDOW = timedelta(minutes=10)
# A first message still waiting (received) or whose job failed has no answer to point at;
# one ignored (sender not yet registered) must not swallow the resend after registration.
PROCESSED = ("accepted", "rejected", "duplicate")


def find_duplicate(
    session: Session, message: InboundMessage, reporter: Reporter | None = None
) -> Duplicate | None:
    if not message.sender or message.text is None:
        return None
    key = message.text_key or text_key(message.text)
    if not key:
        return None
    if session.get_bind().dialect.name == "postgresql":
        # Two workers on two copies at once: the second waits for the first to commit (the
        # lock ends with the transaction), then finds it processed.
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(message.sender + key))))
    now = aware(message.provider_time)
    query = (
        select(InboundMessage)
        .where(
            InboundMessage.sender == message.sender,
            InboundMessage.provider_time >= now - WINDOW,
            # Both sides: jobs can run out of order (parallel workers, a requeue after an
            # outage), and whichever copy was processed first holds the one record.
            InboundMessage.provider_time <= now + WINDOW,
            InboundMessage.provider_id != message.provider_id,
            InboundMessage.status.in_(PROCESSED),
        )
        .order_by(InboundMessage.provider_time, InboundMessage.id)
    )
    if message.id is not None:
        query = query.where(InboundMessage.id != message.id)
    for first in session.scalars(query):
        # Compared here, not in SQL, so a row stored without its key still matches: one
        # sender's ten minutes is a handful of rows.
        if (first.text_key or text_key(first.text or "")) != key:
            continue
        if first.status == "accepted" and first.record_id is None:
            # WHO / HELP / LANG wrote nothing: asking again deserves a fresh answer.
            continue
        return Duplicate(first_record_id=first.record_id, first_status=_status_of(session, first))
    return None


def _status_of(session: Session, first: InboundMessage) -> str:
    """A duplicate of a duplicate reports the status of the message that made the record."""
    if first.status != "duplicate":
        return first.status
    if first.record_id is None:
        return "rejected"
    origin = session.scalar(
        select(InboundMessage.status)
        .join(Record, Record.inbound_id == InboundMessage.id)
        .where(Record.id == first.record_id)
    )
    return origin or "accepted"
