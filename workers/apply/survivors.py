"""Survivor commands: enrolment (ENR) and the services recorded against a code."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.codes import new_code
from schemas.commands import Command, ErrorCode
from schemas.outcomes import Accepted, Rejected
from schemas.status import RecordStatus
from schemas.tables import InboundMessage, Record, Reporter, Survivor
from workers.apply.audit import audit, audit_record
from workers.apply.records import active_survivor, activity_date, new_record
from workers.apply.rejections import reject

CHILD_UNDER = 18


def enrol(
    session: Session,
    *,
    message: InboundMessage,
    reporter: Reporter,
    command: Command,
    actor: Actor,
    rng: random.Random,
) -> Accepted | Rejected:
    if command.sex is None or command.age is None:
        missing = "sex" if command.sex is None else "age"
        return reject(reporter, command.keyword, ErrorCode.MISSING_FIELD, missing)

    def taken(code: str) -> bool:
        # Inactive survivors count too: an undone enrolment's code is never reissued.
        return session.scalar(select(Survivor.id).where(Survivor.code == code)) is not None

    place = command.place
    survivor = Survivor(
        code=new_code(rng, taken),
        sex=command.sex,
        age=command.age,
        is_child=command.age < CHILD_UNDER,
        upazila=place.upazila if place is not None else reporter.upazila,
        union=place.union if place is not None else reporter.union,
        enrolled_on=activity_date(command, message),
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(survivor)
    session.flush()
    record = new_record(
        session, message=message, reporter=reporter, command=command, survivor=survivor
    )
    audit(
        session,
        actor=actor,
        action="create",
        entity="survivors",
        entity_id=survivor.id,
        inbound_id=message.id,
        detail={"code": survivor.code},
    )
    audit_record(session, actor=actor, message_id=message.id, record=record, code=survivor.code)
    return Accepted(command=command, record_id=record.id, code=survivor.code)


def apply_service(
    session: Session,
    *,
    message: InboundMessage,
    reporter: Reporter,
    command: Command,
    actor: Actor,
) -> Accepted | Rejected:
    """NA, IC, FC, CERT, EMG, SUP: a record against an existing, active survivor."""
    survivor = active_survivor(session, command.code)
    if survivor is None:
        return unknown_survivor(reporter, command)
    if command.keyword == "CERT" and not _has_ic_by(
        session, survivor, activity_date(command, message)
    ):
        return reject(
            reporter, command.keyword, ErrorCode.CERT_BEFORE_IC, "code", code=survivor.code
        )
    record = new_record(
        session,
        message=message,
        reporter=reporter,
        command=command,
        survivor=survivor,
        flush=False,
    )
    record.members = command.members
    record.kinds = " ".join(command.kinds) or None
    record.partner = command.partner
    session.flush()  # one INSERT with every column, and the id for the audit entry
    audit_record(session, actor=actor, message_id=message.id, record=record, code=survivor.code)
    return Accepted(command=command, record_id=record.id)


def unknown_survivor(reporter: Reporter, command: Command) -> Rejected:
    return reject(
        reporter, command.keyword, ErrorCode.UNKNOWN_SURVIVOR, "code", code=command.code or ""
    )


def _has_ic_by(session: Session, survivor: Survivor, day: date) -> bool:
    """A certificate needs an individual session on or before its own date."""
    found = session.scalar(
        select(Record.id)
        .where(
            Record.survivor_id == survivor.id,
            Record.keyword == "IC",
            Record.status == RecordStatus.ACTIVE,
            Record.activity_date <= day,
        )
        .limit(1)
    )
    return found is not None
