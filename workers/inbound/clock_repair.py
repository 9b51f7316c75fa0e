"""Stored messages with a provider time the clock rule would not have trusted, put right.

Messages stored before the rule existed (or by an older release) may carry 9999-12-31 or
0001-01-01: processing them fails, and `ashshash requeue` would fail them again forever.
Before requeueing, such unprocessed messages get the time stored and the `clock` flag,
exactly as `workers.inbound.rows.inbound_values` would have stored them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.provider_values import CLOCK, received_time, with_flag
from schemas.status import MessageStatus
from schemas.tables import InboundMessage
from workers.settings import Settings

UNPROCESSED = (MessageStatus.RECEIVED, MessageStatus.FAILED)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def repair_clocks(session: Session, settings: Settings) -> int:
    """Give untrusted unprocessed messages the time stored; returns how many. No commit."""
    rows = session.execute(
        select(InboundMessage.id, InboundMessage.provider_time, InboundMessage.stored_at).where(
            InboundMessage.status.in_(UNPROCESSED)
        )
    ).all()
    repaired = 0
    for message_id, provider_time, stored_at in rows:
        stored = _aware(stored_at)
        when, _flag = received_time(_aware(provider_time), stored, settings.max_provider_lag_days)
        if when is not stored:
            continue
        message = session.get(InboundMessage, message_id)
        if message is None:
            continue
        extra = dict(message.extra) if isinstance(message.extra, dict) else {}
        extra.setdefault("provider_time", _aware(provider_time).isoformat())
        message.extra = extra
        message.provider_time = stored
        message.flags = with_flag(message.flags, CLOCK)
        repaired += 1
    return repaired
