"""UNDO: cancel a record (own within 7 days, coordinators any) and restore what it implied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Command, ErrorCode, Role
from schemas.outcomes import Rejected, Undone
from schemas.status import RecordStatus
from schemas.tables import InboundMessage, Record, Referral, Reporter, Survivor
from workers.apply.audit import audit
from workers.apply.records import aware
from workers.apply.referrals import refresh_outcome
from workers.apply.rejections import refuse

UNDO_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Canceller:
    """Who asks for a cancellation: the rights the rules read, and the actor the audit names.

    A dashboard user is not a reporter: they come with a coordinator's role, no reporter id
    and their own actor, so nothing has to be faked or rewritten afterwards."""

    actor: Actor
    role: Role
    reporter_id: int | None = None  # whose own records the 7-day rule allows; None: nobody's
    note: Mapping[str, Any] = field(default_factory=dict)  # added to every entry's detail

    @classmethod
    def reporter(cls, reporter: Reporter) -> Canceller:
        """A reporter's UNDO by SMS or USSD."""
        return cls(Actor.reporter(reporter.id), Role(reporter.role), reporter.id)


def undo(
    session: Session, *, message: InboundMessage, command: Command, by: Canceller
) -> Undone | Rejected:
    number = command.record
    record = session.get(Record, number) if number is not None else None
    if record is None:
        return refuse(by.role, "UNDO", ErrorCode.UNKNOWN_RECORD, "record", record=number or 0)
    if record.status == RecordStatus.CANCELLED:
        if record.cancelled_by is not None and record.cancelled_by == message.id:
            # This very message cancelled it already (a retried job): same answer again.
            return Undone(record_id=record.id, keyword=record.keyword)
        return refuse(by.role, "UNDO", ErrorCode.ALREADY_CANCELLED, "record", record=record.id)
    if by.role != Role.COORDINATOR:
        if by.reporter_id is None or record.reporter_id != by.reporter_id:
            return refuse(by.role, "UNDO", ErrorCode.UNDO_NOT_OWN, "record", record=record.id)
        # Provider time of the UNDO against that of the record, never the worker's clock.
        if aware(message.provider_time) - aware(record.received_at) > UNDO_WINDOW:
            return refuse(
                by.role,
                "UNDO",
                ErrorCode.UNDO_TOO_LATE,
                "record",
                record=record.id,
                days=UNDO_WINDOW.days,
            )
    record.status = RecordStatus.CANCELLED
    record.cancelled_at = datetime.now(UTC)
    record.cancelled_by = message.id
    session.flush()
    _restore(session, record, by, message)
    _audit(session, by, message, "cancel", "records", record.id, {"keyword": record.keyword})
    return Undone(record_id=record.id, keyword=record.keyword)


def _audit(
    session: Session,
    by: Canceller,
    message: InboundMessage,
    action: str,
    entity: str,
    entity_id: int,
    detail: dict[str, Any],
) -> None:
    """One entry of this cancellation, naming its actor and source message from the start."""
    audit(
        session,
        actor=by.actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        inbound_id=message.id,
        detail={**detail, **by.note},
    )


def _restore(session: Session, record: Record, by: Canceller, message: InboundMessage) -> None:
    """Undo what the record implied beyond itself. A certificate needs nothing: certified
    status is read from active CERT records."""
    if record.keyword == "ENR" and record.survivor_id is not None:
        survivor = session.get(Survivor, record.survivor_id)
        if survivor is not None:
            survivor.active = False
            _audit(
                session,
                by,
                message,
                "deactivate",
                "survivors",
                survivor.id,
                {"code": survivor.code},
            )
            # No enrolment, no one to have served: the code's services stop counting too.
            for open_referral in list(
                session.scalars(
                    select(Referral).where(
                        Referral.survivor_id == survivor.id, Referral.active.is_(True)
                    )
                )
            ):
                _close_referral(session, open_referral, record, by, message)
            _cancel_dependents(session, Record.survivor_id == survivor.id, record, by, message)
    elif record.keyword == "REF":
        referral = _referral_of(session, record)
        if referral is not None:
            _close_referral(session, referral, record, by, message)
    elif record.keyword == "REFOUT" and record.referral_id is not None:
        followed = session.get(Referral, record.referral_id)
        if followed is not None:
            refresh_outcome(session, followed)
            _audit(
                session,
                by,
                message,
                "update",
                "referrals",
                followed.id,
                {"outcome": followed.outcome},
            )


def _close_referral(
    session: Session, referral: Referral, cause: Record, by: Canceller, message: InboundMessage
) -> None:
    """A referral that never was: its R number stops answering and its outcomes stop counting."""
    referral.active = False
    _audit(session, by, message, "deactivate", "referrals", referral.id, {"record": cause.id})
    _cancel_dependents(
        session,
        (Record.referral_id == referral.id) & (Record.keyword == "REFOUT"),
        cause,
        by,
        message,
    )


def _cancel_dependents(
    session: Session,
    condition: ColumnElement[bool],
    cause: Record,
    by: Canceller,
    message: InboundMessage,
) -> None:
    """Cancel the active records that rest on a cancelled one, each with its own audit entry."""
    for dependent in list(
        session.scalars(
            select(Record).where(
                condition, Record.status == RecordStatus.ACTIVE, Record.id != cause.id
            )
        )
    ):
        dependent.status = RecordStatus.CANCELLED
        dependent.cancelled_at = cause.cancelled_at
        dependent.cancelled_by = message.id
        _audit(
            session,
            by,
            message,
            "cancel",
            "records",
            dependent.id,
            {"keyword": dependent.keyword, "because": cause.id},
        )


def _referral_of(session: Session, record: Record) -> Referral | None:
    if record.referral_id is not None:
        return session.get(Referral, record.referral_id)
    return session.scalar(select(Referral).where(Referral.record_id == record.id))
