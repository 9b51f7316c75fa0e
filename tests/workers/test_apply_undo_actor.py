"""UNDO's canceller: the actor the audit names and the rights the rules read, given explicitly."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Command, ErrorCode, Role
from schemas.outcomes import Undone
from schemas.tables import AuditEntry
from tests.workers.test_apply import error_of, make_message, make_reporter
from tests.workers.test_apply_undo import record_at
from workers.apply.undo import Canceller, undo
from workers.settings import Settings


def test_a_reporters_canceller_carries_their_id_role_and_actor(session: Session) -> None:
    counsellor = make_reporter(session, "counsellor")
    by = Canceller.reporter(counsellor)
    assert by == Canceller(Actor.reporter(counsellor.id), Role.COUNSELLOR, counsellor.id)


def test_the_audit_names_the_canceller_given_not_the_reporter_of_the_message(
    session: Session, settings: Settings
) -> None:
    activist = make_reporter(session)
    number = record_at(session, settings, activist, 1)
    message = make_message(session, activist, f"UNDO {number}")
    by = Canceller(Actor.user(9), Role.COORDINATOR, note={"user": "c@example.org"})
    outcome = undo(session, message=message, command=Command(keyword="UNDO", record=number), by=by)
    assert outcome == Undone(record_id=number, keyword="MEET")
    entry = session.scalar(select(AuditEntry).where(AuditEntry.inbound_id == message.id))
    assert entry is not None and entry.actor == "user:9"
    assert entry.detail == {"keyword": "MEET", "user": "c@example.org"}


def test_a_canceller_who_is_no_reporter_owns_no_record(
    session: Session, settings: Settings
) -> None:
    activist = make_reporter(session)
    number = record_at(session, settings, activist, 1)
    message = make_message(session, activist, f"UNDO {number}")
    by = Canceller(Actor.system(), Role.ACTIVIST, reporter_id=None)
    outcome = undo(session, message=message, command=Command(keyword="UNDO", record=number), by=by)
    assert error_of(outcome) == ErrorCode.UNDO_NOT_OWN
