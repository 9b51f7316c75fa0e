"""The outreach send job: reminders, digests and broadcasts, after replies, held when they
may not go (quiet hours, the monthly budget, the phone's rate), never dropped."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schemas.outreach.window import quiet_reason
from schemas.status import OutboundStatus
from schemas.tables import OutboundMessage
from workers.db import session_scope
from workers.outbound.send import OUTREACH_KINDS, send_outbound
from workers.outreach import budget, pacing
from workers.outreach.config import load, local_now
from workers.settings import Settings

log = logging.getLogger("ashshash.outreach")

# Messages per outreach job: a reply waits behind at most one such job (one request to
# Africa's Talking for a broadcast's chunk, which shares one text).
JOB_SIZE = 100


def _now() -> datetime:
    return datetime.now(UTC)


def hold(session: Session, ids: list[int], reason: str) -> None:
    """Leave these still queued, saying why, for the outreach tick to send later."""
    if ids:
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id.in_(ids), OutboundMessage.status == OutboundStatus.QUEUED)
            .values(failure_reason=f"held: {reason}"[:200])
            .execution_options(synchronize_session=False)
        )


def held_reason(session: Session, settings: Settings, now: datetime) -> str | None:
    """Why no outreach may go now (quiet hours or the budget), or None."""
    loaded = load(settings)
    quiet = quiet_reason(local_now(settings, now), loaded.config.window)
    if quiet:
        return quiet
    if budget.state(session, settings, now).stopped:
        return "monthly SMS budget reached"
    return None


def send_outreach(*ids: int, settings: Settings | None = None) -> None:
    """Job: send queued outreach messages by id, unless they must wait (then hold them)."""
    if settings is None:
        from workers.runtime import current_settings

        settings = current_settings()
    now = _now()
    with session_scope(settings) as session:
        waiting = list(
            session.scalars(
                select(OutboundMessage.id)
                .where(
                    OutboundMessage.id.in_(ids),
                    OutboundMessage.status == OutboundStatus.QUEUED,
                    OutboundMessage.kind.in_(OUTREACH_KINDS),
                )
                .order_by(OutboundMessage.id)
            )
        )
        reason = held_reason(session, settings, now)
        if reason is None and settings.sms_backend == "smsgate":
            room = pacing.allowance(session, settings, now)
            hold(session, waiting[room:], f"phone rate {settings.smsgate_rate}")
            waiting = waiting[:room]
        elif reason is not None:
            hold(session, waiting, reason)
            log.info("outreach %d messages held: %s", len(waiting), reason)
            waiting = []
    if waiting:
        send_outbound(*waiting, settings=settings)


def enqueue_outreach(settings: Settings, ids: list[int], tag: str) -> None:
    """Jobs of JOB_SIZE on the outreach queue; ids named so a repeat is recognisable."""
    from workers.queue import enqueue

    for n in range(0, len(ids), JOB_SIZE):
        chunk = ids[n : n + JOB_SIZE]
        job_id = f"send_outreach-{tag}-{chunk[0]}-{chunk[-1]}-{len(chunk)}"
        enqueue(settings, send_outreach, *chunk, job_id=job_id)


def queued_outreach(session: Session) -> list[int]:
    """Outreach still queued (held, or its job lost): the tick sends it when it may go."""
    return list(
        session.scalars(
            select(OutboundMessage.id)
            .where(
                OutboundMessage.status == OutboundStatus.QUEUED,
                OutboundMessage.kind.in_(OUTREACH_KINDS),
            )
            .order_by(OutboundMessage.id)
        )
    )
