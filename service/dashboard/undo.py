"""Cancelling a record from the dashboard through the same undo rules as an SMS `UNDO`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.commands import Command, Role
from schemas.outcomes import Rejected, Undone
from schemas.tables import AuditEntry, InboundMessage, Reporter, User
from workers.apply.undo import undo

PROVIDER = "dashboard"


def undo_as_user(session: Session, user: User, record_id: int) -> Undone | Rejected:
    """Cancel `record_id` as a coordinator would by SMS; every audit entry names the user.

    The cancellation is stored as an inbound `UNDO <n>` message from the dashboard, so the
    record's `cancelled_by` points at a real message just as it does for an SMS undo.
    Does not commit.
    """
    now = datetime.now(UTC)
    message = InboundMessage(
        channel="web",
        provider=PROVIDER,
        provider_id=f"user:{user.id}:{uuid.uuid4().hex}",
        sender=None,
        text=f"UNDO {record_id}",
        provider_time=now,
        stored_at=now,
        status="received",
        extra={"user_id": user.id, "email": user.email},
    )
    session.add(message)
    session.flush()
    # A dashboard user is not a reporter; this stand-in carries the coordinator's rights into
    # the shared rules and is never added to the session.
    stand_in = Reporter(name=user.email, role=Role.COORDINATOR.value, phone="", language="en")
    outcome = undo(
        session,
        message=message,
        reporter=stand_in,
        command=Command(keyword="UNDO", record=record_id),
    )
    message.processed_at = datetime.now(UTC)
    if isinstance(outcome, Undone):
        message.status = "accepted"
        message.record_id = outcome.record_id
        session.flush()
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.inbound_id == message.id)
        ).all()
        for entry in entries:
            entry.actor = f"user:{user.id}"
            entry.detail = {**(entry.detail or {}), "user": user.email}
    else:
        message.status = "rejected"
        message.reason = outcome.errors[0].code.value if outcome.errors else None
    session.flush()
    return outcome
