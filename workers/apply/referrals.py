"""Referrals: REF opens R<n>; `REF R<n> DONE|NO` records its outcome; undo recomputes it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Command, ErrorCode
from schemas.outcomes import Accepted, Rejected
from schemas.status import RecordStatus
from schemas.tables import InboundMessage, Record, Referral, Reporter, Survivor
from workers.apply.audit import audit, audit_record
from workers.apply.records import active_survivor, new_record
from workers.apply.rejections import reject
from workers.apply.survivors import unknown_survivor


def refer(
    session: Session,
    *,
    message: InboundMessage,
    reporter: Reporter,
    command: Command,
    actor: Actor,
) -> Accepted | Rejected:
    survivor = active_survivor(session, command.code)
    if survivor is None:
        return unknown_survivor(reporter, command)
    if not command.service:
        return reject(reporter, command.keyword, ErrorCode.MISSING_FIELD, "service")
    record = new_record(
        session, message=message, reporter=reporter, command=command, survivor=survivor
    )
    record.service = command.service
    referral = Referral(
        survivor_id=survivor.id,
        service=command.service,
        record_id=record.id,
        referred_on=record.activity_date,
        outcome=None,
        outcome_on=None,
        active=True,
    )
    session.add(referral)
    session.flush()
    # The REF record names its referral, so undoing the record finds what to close.
    record.referral_id = referral.id
    audit_record(session, actor=actor, message_id=message.id, record=record, code=survivor.code)
    audit(
        session,
        actor=actor,
        action="create",
        entity="referrals",
        entity_id=referral.id,
        inbound_id=message.id,
        detail={"code": survivor.code, "service": referral.service},
    )
    return Accepted(command=command, record_id=record.id, referral=referral.id)


def record_outcome(
    session: Session,
    *,
    message: InboundMessage,
    reporter: Reporter,
    command: Command,
    actor: Actor,
) -> Accepted | Rejected:
    """REFOUT: the service was received (DONE) or not (NO)."""
    referral = active_referral(session, command.referral)
    if referral is None:
        return reject(
            reporter,
            command.keyword,
            ErrorCode.UNKNOWN_REFERRAL,
            "referral",
            referral=command.referral if command.referral is not None else "",
        )
    if not command.outcome:
        return reject(reporter, command.keyword, ErrorCode.MISSING_FIELD, "outcome")
    survivor = session.get(Survivor, referral.survivor_id)
    changed = referral.outcome is not None  # a later outcome replaces the earlier one
    record = new_record(
        session,
        message=message,
        reporter=reporter,
        command=command,
        keyword="REFOUT",
        survivor=survivor,
    )
    record.referral_id = referral.id
    record.outcome = command.outcome
    record.service = referral.service
    session.flush()
    refresh_outcome(session, referral)
    audit_record(
        session,
        actor=actor,
        message_id=message.id,
        record=record,
        code=survivor.code if survivor is not None else None,
    )
    # The R number is already in the command; `referral` marks a newly opened one. The reply
    # names the referral's code and the service's short code (`R21 690617 H: received`).
    return Accepted(
        command=command,
        record_id=record.id,
        code=survivor.code if survivor is not None else None,
        service=referral.service,
        changed=changed,
    )


def active_referral(session: Session, number: int | None) -> Referral | None:
    """R<n> if it exists, was not undone, and its survivor's enrolment still stands."""
    if number is None:
        return None
    return session.scalar(
        select(Referral)
        .join(Survivor, Survivor.id == Referral.survivor_id)
        .where(Referral.id == number, Referral.active.is_(True), Survivor.active.is_(True))
    )


def refresh_outcome(session: Session, referral: Referral) -> None:
    """The outcome follows the latest active outcome record (by its date, then its number);
    none left means the referral is open again."""
    latest = session.scalar(
        select(Record)
        .where(
            Record.referral_id == referral.id,
            Record.keyword == "REFOUT",
            Record.status == RecordStatus.ACTIVE,
        )
        .order_by(Record.activity_date.desc(), Record.id.desc())
        .limit(1)
    )
    referral.outcome = latest.outcome if latest is not None else None
    referral.outcome_on = latest.activity_date if latest is not None else None
