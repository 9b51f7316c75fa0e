"""Refused SMS Gateway webhooks noted for the dashboard: which device, how far its clock was off.

A phone whose clock drifts past SMSGATE_MAX_SKEW_S gets 401 for every webhook until the app
gives up, so a refusal must be seen, not only logged. One note per device and reason per
ten minutes: a phone retrying (or someone posting junk) cannot fill the table.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.tables import AuditEntry

log = logging.getLogger("ashshash.hooks.smsgate")

ACTION = "webhook_refused"
ENTITY = "smsgate"
QUIET = timedelta(minutes=10)


def note_refusal(session: Session, *, device: str | None, skew_s: int | None, reason: str) -> None:
    """Store a refusal (device id as the body claims it, clock skew in seconds); never raises."""
    now = datetime.now(UTC)
    detail = {"device": device or "unknown", "skew_s": skew_s, "reason": reason}
    try:
        recent = session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.action == ACTION,
                AuditEntry.entity == ENTITY,
                AuditEntry.at >= now - QUIET,
            )
        ).all()
        if any(
            isinstance(d, dict)
            and d.get("device") == detail["device"]
            and d.get("reason") == reason
            for d in recent
        ):
            return
        session.add(
            AuditEntry(
                at=now, actor=str(Actor.system()), action=ACTION, entity=ENTITY, detail=detail
            )
        )
        session.commit()
    except Exception:  # noqa: BLE001 - the 401 matters; a note that failed is only logged
        session.rollback()
        log.warning("could not note a refused smsgate webhook for the dashboard")


def recent_refusals(session: Session, since: datetime) -> list[tuple[datetime, dict]]:
    """Refusals noted since `since`, newest first: (time, detail)."""
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.detail)
        .where(AuditEntry.action == ACTION, AuditEntry.entity == ENTITY, AuditEntry.at >= since)
        .order_by(AuditEntry.at.desc())
        .limit(20)
    ).all()
    return [(at, detail if isinstance(detail, dict) else {}) for at, detail in rows]
