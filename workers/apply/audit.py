"""Audit trail: one AuditEntry per change, naming its actor and the source message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.tables import AuditEntry, Record


def audit(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    inbound_id: int | None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record who changed what. `detail` must never hold a survivor's sex, age or place.

    `actor` is required and never inferred: the caller knows whether a reporter, a dashboard
    user or the system made the change (a guess once named a stand-in reporter)."""
    if not isinstance(actor, Actor):
        # A bare string would be stored as given; only the three forms of Actor are allowed.
        raise TypeError(f"audit actor must be an Actor, not {type(actor).__name__}")
    entry = AuditEntry(
        at=datetime.now(UTC),
        actor=str(actor),
        action=action,
        entity=entity,
        entity_id=entity_id,
        inbound_id=inbound_id,
        detail=detail,
    )
    session.add(entry)
    return entry


def audit_record(
    session: Session,
    *,
    actor: Actor,
    message_id: int | None,
    record: Record,
    code: str | None = None,
) -> AuditEntry:
    """The creation of a record: keyword, date, counts, and the survivor's code at most."""
    detail: dict[str, Any] = {
        "keyword": record.keyword,
        "activity_date": record.activity_date.isoformat(),
    }
    for name in (
        "total",
        "day_code",
        "members",
        "service",
        "referral_id",
        "outcome",
        "kinds",
        "partner",
    ):
        value = getattr(record, name)
        if value is not None:
            detail[name] = value
    if code is not None:
        detail["code"] = code
    return audit(
        session,
        actor=actor,
        action="create",
        entity="records",
        entity_id=record.id,
        inbound_id=message_id,
        detail=detail,
    )
