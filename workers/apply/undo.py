"""UNDO: cancel a record (own within 7 days, coordinators any) and restore what it implied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from schemas.commands import Command, ErrorCode, Role
from schemas.outcomes import Rejected, Undone
from schemas.tables import InboundMessage, Record, Referral, Reporter, Survivor
from workers.apply.audit import audit
from workers.apply.records import aware
from workers.apply.referrals import refresh_outcome
from workers.apply.rejections import reject

UNDO_WINDOW = timedelta(days=7)


def undo(
    session: Session, *, message: InboundMessage, reporter: Reporter, command: Command
) -> Undone | Rejected:
    number = command.record
    record = session.get(Record, number) if number is not None else None
    if record is None:
        return reject(reporter, "UNDO", ErrorCode.UNKNOWN_RECORD, "record", record=number or 0)
    if record.status == "cancelled":
        if record.cancelled_by is not None and record.cancelled_by == message.id:
            # This very message cancelled it already (a retried job): same answer again.
            return Undone(record_id=record.id, keyword=record.keyword)
        return reject(reporter, "UNDO", ErrorCode.ALREADY_CANCELLED, "record", record=record.id)
    if reporter.role != Role.COORDINATOR:
        if record.reporter_id != reporter.id:
            return reject(reporter, "UNDO", ErrorCode.UNDO_NOT_OWN, "record", record=record.id)
        # Provider time of the UNDO against that of the record, never the worker's clock.
        if aware(message.provider_time) - aware(record.received_at) > UNDO_WINDOW:
            return reject(
                reporter,
                "UNDO",
                ErrorCode.UNDO_TOO_LATE,
                "record",
                record=record.id,
                days=UNDO_WINDOW.days,
            )
    record.status = "cancelled"
    record.cancelled_at = datetime.now(UTC)
    record.cancelled_by = message.id
    session.flush()
    _restore(session, record, reporter, message)
    audit(
        session,
        reporter=reporter,
        action="cancel",
        entity="records",
        entity_id=record.id,
        inbound_id=message.id,
        detail={"keyword": record.keyword},
    )
    return Undone(record_id=record.id, keyword=record.keyword)


def _restore(session: Session, record: Record, reporter: Reporter, message: InboundMessage) -> None:
    """Undo what the record implied beyond itself. A certificate needs nothing: certified
    status is read from active CERT records."""
    if record.keyword == "ENR" and record.survivor_id is not None:
        survivor = session.get(Survivor, record.survivor_id)
        if survivor is not None:
            survivor.active = False
            audit(
                session,
                reporter=reporter,
                action="deactivate",
                entity="survivors",
                entity_id=survivor.id,
                inbound_id=message.id,
                detail={"code": survivor.code},
            )
            # No enrolment, no one to have served: the code's services stop counting too.
            for open_referral in list(
                session.scalars(
                    select(Referral).where(
                        Referral.survivor_id == survivor.id, Referral.active.is_(True)
                    )
                )
            ):
                _close_referral(session, open_referral, record, reporter, message)
            _cancel_dependents(
                session, Record.survivor_id == survivor.id, record, reporter, message
            )
    elif record.keyword == "REF":
        referral = _referral_of(session, record)
        if referral is not None:
            _close_referral(session, referral, record, reporter, message)
    elif record.keyword == "REFOUT" and record.referral_id is not None:
        followed = session.get(Referral, record.referral_id)
        if followed is not None:
            refresh_outcome(session, followed)
            audit(
                session,
                reporter=reporter,
                action="update",
                entity="referrals",
                entity_id=followed.id,
                inbound_id=message.id,
                detail={"outcome": followed.outcome},
            )


def _close_referral(
    session: Session,
    referral: Referral,
    cause: Record,
    reporter: Reporter,
    message: InboundMessage,
) -> None:
    """A referral that never was: its R number stops answering and its outcomes stop counting."""
    referral.active = False
    audit(
        session,
        reporter=reporter,
        action="deactivate",
        entity="referrals",
        entity_id=referral.id,
        inbound_id=message.id,
        detail={"record": cause.id},
    )
    _cancel_dependents(
        session,
        (Record.referral_id == referral.id) & (Record.keyword == "REFOUT"),
        cause,
        reporter,
        message,
    )


def _cancel_dependents(
    session: Session,
    condition: ColumnElement[bool],
    cause: Record,
    reporter: Reporter,
    message: InboundMessage,
) -> None:
    """Cancel the active records that rest on a cancelled one, each with its own audit entry."""
    for dependent in list(
        session.scalars(
            select(Record).where(condition, Record.status == "active", Record.id != cause.id)
        )
    ):
        dependent.status = "cancelled"
        dependent.cancelled_at = cause.cancelled_at
        dependent.cancelled_by = message.id
        audit(
            session,
            reporter=reporter,
            action="cancel",
            entity="records",
            entity_id=dependent.id,
            inbound_id=message.id,
            detail={"keyword": dependent.keyword, "because": cause.id},
        )


def _referral_of(session: Session, record: Record) -> Referral | None:
    if record.referral_id is not None:
        return session.get(Referral, record.referral_id)
    return session.scalar(select(Referral).where(Referral.record_id == record.id))
