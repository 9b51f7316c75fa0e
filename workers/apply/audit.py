"""Audit trail: one AuditEntry per change, naming the reporter and the source message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from schemas.tables import AuditEntry, Record, Reporter


def audit(
    session: Session,
    *,
    reporter: Reporter | None,
    action: str,
    entity: str,
    entity_id: int | None,
    inbound_id: int | None,
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> AuditEntry:
    """Record who changed what. `detail` must never hold a survivor's sex, age or place.

    `actor` names a dashboard user (`user:<id>`) when the change was made in the browser;
    otherwise the reporter, or "system" (the command line, jobs)."""
    if actor is None:
        actor = f"reporter:{reporter.id}" if reporter is not None else "system"
    entry = AuditEntry(
        at=datetime.now(UTC),
        actor=actor,
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
    reporter: Reporter,
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
        reporter=reporter,
        action="create",
        entity="records",
        entity_id=record.id,
        inbound_id=message_id,
        detail=detail,
    )
