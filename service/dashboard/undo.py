"""Cancelling a record from the dashboard through the same undo rules as an SMS `UNDO`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Command, Role
from schemas.outcomes import Rejected, Undone
from schemas.status import MessageStatus
from schemas.tables import InboundMessage, User
from workers.apply.undo import Canceller, undo

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
        status=MessageStatus.RECEIVED,
        extra={"user_id": user.id, "email": user.email},
    )
    session.add(message)
    session.flush()
    # A dashboard user has a coordinator's rights over every record, owns none, and is the
    # actor of every entry written (the email in each entry's detail, as it always was).
    by = Canceller(
        actor=Actor.user(user.id),
        role=Role.COORDINATOR,
        reporter_id=None,
        note={"user": user.email},
    )
    outcome = undo(
        session, message=message, command=Command(keyword="UNDO", record=record_id), by=by
    )
    message.processed_at = datetime.now(UTC)
    if isinstance(outcome, Undone):
        message.status = MessageStatus.ACCEPTED
        message.record_id = outcome.record_id
    else:
        message.status = MessageStatus.REJECTED
        message.reason = outcome.errors[0].code.value if outcome.errors else None
    session.flush()
    return outcome
