"""The dashboard's undo: the SMS undo rules, with audit entries that name the user when written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from schemas.commands import ErrorCode, Role
from schemas.outcomes import Accepted, Rejected, Undone
from schemas.tables import AuditEntry, InboundMessage, Record, User
from service.auth import create_user
from service.dashboard.undo import undo_as_user
from tests.workers.test_apply import make_reporter
from tests.workers.test_apply_survivors import enrol, refer, refout
from workers.settings import Settings


@pytest.fixture
def rewritten() -> Iterator[list[int]]:
    """Ids of audit entries UPDATEd after they were written (there must be none)."""
    seen: list[int] = []

    def note(_mapper, _connection, target: AuditEntry) -> None:  # type: ignore[no-untyped-def]
        seen.append(target.id)

    event.listen(AuditEntry, "before_update", note)
    yield seen
    event.remove(AuditEntry, "before_update", note)


def coordinator(session: Session) -> User:
    user = create_user(session, "coord@example.org", "coordinator", "a long enough password")
    session.flush()
    return user


def enrolment_with_a_referral(session: Session, settings: Settings) -> int:
    """An ENR record whose survivor has a referral with an outcome: undoing it cascades."""
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    ref = refer(session, settings, counsellor, code, "HEALTH")
    assert isinstance(refout(session, settings, counsellor, ref.referral, "DONE"), Accepted)
    enr = session.scalar(select(Record.id).where(Record.keyword == "ENR"))
    assert enr is not None
    return enr


def test_the_undos_audit_entries_name_the_user_and_none_is_rewritten(
    session: Session, settings: Settings, rewritten: list[int]
) -> None:
    number = enrolment_with_a_referral(session, settings)
    user = coordinator(session)
    outcome = undo_as_user(session, user, number)
    session.flush()
    assert outcome == Undone(record_id=number, keyword="ENR")
    record = session.get(Record, number)
    assert record is not None and record.cancelled_by is not None
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.inbound_id == record.cancelled_by)
    ).all()
    # The same cascade as an SMS UNDO: survivor, referral, its outcome, the REF, the ENR.
    assert sorted((e.action, e.entity) for e in entries) == [
        ("cancel", "records"),
        ("cancel", "records"),
        ("cancel", "records"),
        ("deactivate", "referrals"),
        ("deactivate", "survivors"),
    ]
    assert {e.actor for e in entries} == {f"user:{user.id}"}
    assert all(e.detail is not None and e.detail["user"] == user.email for e in entries)
    assert rewritten == []


def test_the_dashboard_message_records_what_the_undo_did(
    session: Session, settings: Settings
) -> None:
    number = enrolment_with_a_referral(session, settings)
    user = coordinator(session)
    undo_as_user(session, user, number)
    message = session.scalar(select(InboundMessage).where(InboundMessage.provider == "dashboard"))
    assert message is not None
    assert (message.status, message.record_id, message.channel) == ("accepted", number, "web")
    assert message.text == f"UNDO {number}" and message.processed_at is not None


def test_a_refused_dashboard_undo_writes_no_audit_entry(
    session: Session, settings: Settings, rewritten: list[int]
) -> None:
    number = enrolment_with_a_referral(session, settings)
    user = coordinator(session)
    undo_as_user(session, user, number)
    before = len(session.scalars(select(AuditEntry)).all())
    again = undo_as_user(session, user, number)
    assert isinstance(again, Rejected) and again.role == Role.COORDINATOR
    assert again.errors[0].code == ErrorCode.ALREADY_CANCELLED
    assert len(session.scalars(select(AuditEntry)).all()) == before
    refused = session.scalars(
        select(InboundMessage)
        .where(InboundMessage.provider == "dashboard")
        .order_by(InboundMessage.id)
    ).all()
    assert [m.status for m in refused] == ["accepted", "rejected"]
    assert refused[1].reason == ErrorCode.ALREADY_CANCELLED.value
    assert rewritten == []
