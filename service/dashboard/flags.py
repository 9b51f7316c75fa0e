"""Warnings from the pipeline shown on the overview: clock-flagged messages, send failures by
reason, and numbers whose replies are paused by the hourly limit (SENDER_HOURLY_LIMIT)."""

from __future__ import annotations

import importlib
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.status import OutboundStatus
from schemas.tables import InboundMessage, OutboundMessage
from service.dashboard.display import clip
from workers.settings import Settings


def clock_flagged(session: Session, since: datetime) -> int:
    """Messages whose provider time was not trusted (the stored time was used or flagged)."""
    return (
        session.scalar(
            select(func.count()).where(
                InboundMessage.flags.like("%clock%"), InboundMessage.stored_at >= since
            )
        )
        or 0
    )


def failures_by_reason(session: Session, since: datetime, limit: int = 10) -> list[tuple[str, int]]:
    rows = session.execute(
        select(OutboundMessage.failure_reason, func.count())
        .where(OutboundMessage.status == OutboundStatus.FAILED, OutboundMessage.updated_at >= since)
        .group_by(OutboundMessage.failure_reason)
    ).all()
    grouped: Counter[str] = Counter()
    for reason, n in rows:
        grouped[clip(reason, 60) or "—"] += n
    return grouped.most_common(limit)


def throttled_numbers(session: Session, settings: Settings) -> list[str] | None:
    """Numbers throttled now, from workers.outbound.throttle when the service has it; else None.

    The hook: workers/outbound/throttle.py (hourly reply limit) lists the numbers whose replies are
    paused; until it exists the overview says nothing about throttling rather than guess.
    """
    try:
        throttle: Any = importlib.import_module("workers.outbound.throttle")
    except ModuleNotFoundError:
        return None
    listing = getattr(throttle, "throttled_numbers", None)
    if listing is None:
        return None
    found = listing(session, settings, now=datetime.now(UTC))
    # workers.outbound.throttle lists (phone, replies in the hour); keep the phones.
    return [str(item[0] if isinstance(item, tuple) else item) for item in found]
