"""UNDO: who may cancel what and when, and the state each cancellation restores."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.commands import Command, ErrorCode
from schemas.outcomes import Accepted, Undone
from schemas.tables import AuditEntry, Record, Referral, Survivor
from tests.workers.test_apply import NALTA, RECEIVED, apply, error_of, make_reporter
from tests.workers.test_apply_survivors import enrol, refer, refout
from workers.settings import Settings

D = date(2026, 3, 10)
MEET = Command(keyword="MEET", activity_date=D, total=12, place=NALTA)


def record_at(session: Session, settings: Settings, reporter, days_ago: float) -> int:  # type: ignore[no-untyped-def]
    outcome = apply(session, settings, reporter, MEET, RECEIVED - timedelta(days=days_ago))
    assert isinstance(outcome, Accepted)
    return outcome.record_id


def undo(session: Session, settings: Settings, reporter, number: int):  # type: ignore[no-untyped-def]
    return apply(session, settings, reporter, Command(keyword="UNDO", record=number), RECEIVED)


def test_own_record_from_three_days_ago_is_cancelled_and_stops_counting(
    session: Session, settings: Settings
) -> None:
    activist = make_reporter(session)
    number = record_at(session, settings, activist, 3)
    outcome = undo(session, settings, activist, number)
    assert outcome == Undone(record_id=number, keyword="MEET")
    record = session.get(Record, number)
    assert record is not None and record.status == "cancelled"
    assert record.cancelled_at is not None and record.cancelled_by is not None
    active = session.scalars(select(Record).where(Record.status == "active")).all()
    assert number not in [r.id for r in active]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "cancel"))
    assert entry is not None and entry.entity_id == number
    assert entry.actor == f"reporter:{activist.id}"


def test_own_record_from_eight_days_ago_is_too_late(session: Session, settings: Settings) -> None:
    activist = make_reporter(session)
    number = record_at(session, settings, activist, 8)
    assert error_of(undo(session, settings, activist, number)) == ErrorCode.UNDO_TOO_LATE
    record = session.get(Record, number)
    assert record is not None and record.status == "active"


def test_seven_days_to_the_minute_is_still_in_time(session: Session, settings: Settings) -> None:
    activist = make_reporter(session)
    in_time = record_at(session, settings, activist, 7)
    late = record_at(session, settings, activist, 7 + 1 / (24 * 60))
    assert isinstance(undo(session, settings, activist, in_time), Undone)
    assert error_of(undo(session, settings, activist, late)) == ErrorCode.UNDO_TOO_LATE


def test_someone_elses_record_cannot_be_undone_by_a_non_coordinator(
    session: Session, settings: Settings
) -> None:
    author = make_reporter(session)
    other = make_reporter(session, "counsellor")
    number = record_at(session, settings, author, 1)
    assert error_of(undo(session, settings, other, number)) == ErrorCode.UNDO_NOT_OWN
    record = session.get(Record, number)
    assert record is not None and record.status == "active"


def test_coordinator_cancels_anyones_record_of_any_age(
    session: Session, settings: Settings
) -> None:
    author = make_reporter(session)
    coordinator = make_reporter(session, "coordinator")
    number = record_at(session, settings, author, 400)
    assert isinstance(undo(session, settings, coordinator, number), Undone)


def test_unknown_and_already_cancelled_records_are_refused(
    session: Session, settings: Settings
) -> None:
    activist = make_reporter(session)
    number = record_at(session, settings, activist, 0)
    assert isinstance(undo(session, settings, activist, number), Undone)
    assert error_of(undo(session, settings, activist, number)) == ErrorCode.ALREADY_CANCELLED
    assert error_of(undo(session, settings, activist, number + 999)) == ErrorCode.UNKNOWN_RECORD


def test_undoing_a_certificate_leaves_no_active_certificate_and_allows_a_new_one(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    apply(session, settings, counsellor, Command(keyword="IC", code=code, activity_date=D))
    cert = apply(session, settings, counsellor, Command(keyword="CERT", code=code, activity_date=D))
    assert isinstance(cert, Accepted)
    assert isinstance(undo(session, settings, counsellor, cert.record_id), Undone)
    certified = session.scalars(
        select(Record).where(Record.keyword == "CERT", Record.status == "active")
    ).all()
    assert certified == []
    again = apply(
        session, settings, counsellor, Command(keyword="CERT", code=code, activity_date=D)
    )
    assert isinstance(again, Accepted)


def test_undoing_the_only_individual_session_refuses_a_later_certificate(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    ic = apply(session, settings, counsellor, Command(keyword="IC", code=code, activity_date=D))
    assert isinstance(ic, Accepted)
    undo(session, settings, counsellor, ic.record_id)
    outcome = apply(
        session, settings, counsellor, Command(keyword="CERT", code=code, activity_date=D)
    )
    assert error_of(outcome) == ErrorCode.CERT_BEFORE_IC


def test_undoing_an_enrolment_makes_the_code_unknown(session: Session, settings: Settings) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    enr = session.scalar(select(Record).where(Record.keyword == "ENR"))
    assert enr is not None
    assert isinstance(undo(session, settings, counsellor, enr.id), Undone)
    survivor = session.scalar(select(Survivor).where(Survivor.code == code))
    assert survivor is not None and survivor.active is False
    outcome = apply(
        session, settings, counsellor, Command(keyword="IC", code=code, activity_date=D)
    )
    assert error_of(outcome) == ErrorCode.UNKNOWN_SURVIVOR


def test_undoing_a_referral_makes_its_r_number_unknown(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    ref = refer(session, settings, counsellor, code, "SHELTER")
    assert isinstance(undo(session, settings, counsellor, ref.record_id), Undone)
    referral = session.get(Referral, ref.referral)
    assert referral is not None and referral.active is False
    outcome = refout(session, settings, counsellor, ref.referral, "DONE")
    assert error_of(outcome) == ErrorCode.UNKNOWN_REFERRAL


def test_undoing_an_outcome_falls_back_to_the_latest_remaining_one(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    ref = refer(session, settings, counsellor, code, "HEALTH", date(2026, 3, 1))
    no = refout(session, settings, counsellor, ref.referral, "NO", date(2026, 3, 5))
    done = refout(session, settings, counsellor, ref.referral, "DONE")
    assert isinstance(no, Accepted) and isinstance(done, Accepted)
    referral = session.get(Referral, ref.referral)
    assert referral is not None and (referral.outcome, referral.outcome_on) == ("DONE", D)
    undo(session, settings, counsellor, done.record_id)
    assert (referral.outcome, referral.outcome_on) == ("NO", date(2026, 3, 5))
    undo(session, settings, counsellor, no.record_id)
    assert (referral.outcome, referral.outcome_on) == (None, None)


def test_undoing_an_enrolment_cancels_the_codes_services_and_referrals(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor, seed=1)
    kept = enrol(session, settings, counsellor, seed=2)
    ic = apply(session, settings, counsellor, Command(keyword="IC", code=code, activity_date=D))
    other_ic = apply(
        session, settings, counsellor, Command(keyword="IC", code=kept, activity_date=D)
    )
    ref = refer(session, settings, counsellor, code, "LEGAL")
    out = refout(session, settings, counsellor, ref.referral, "DONE")
    assert isinstance(ic, Accepted) and isinstance(other_ic, Accepted)
    assert isinstance(out, Accepted)
    enr = session.scalar(
        select(Record).where(
            Record.keyword == "ENR", Record.survivor_id == ic_survivor(session, ic)
        )
    )
    assert enr is not None
    assert isinstance(undo(session, settings, counsellor, enr.id), Undone)
    status = {r.id: r.status for r in session.scalars(select(Record))}
    assert status[ic.record_id] == status[ref.record_id] == status[out.record_id] == "cancelled"
    assert status[other_ic.record_id] == "active"
    referral = session.get(Referral, ref.referral)
    assert referral is not None and referral.active is False
    cascaded = session.scalars(select(AuditEntry).where(AuditEntry.action == "cancel")).all()
    assert {e.entity_id for e in cascaded} == {enr.id, ic.record_id, ref.record_id, out.record_id}


def test_undoing_a_referral_cancels_its_outcomes(session: Session, settings: Settings) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    ref = refer(session, settings, counsellor, code, "HEALTH")
    out = refout(session, settings, counsellor, ref.referral, "DONE")
    assert isinstance(out, Accepted)
    undo(session, settings, counsellor, ref.record_id)
    record = session.get(Record, out.record_id)
    assert record is not None and record.status == "cancelled"


def ic_survivor(session: Session, outcome: Accepted) -> int | None:
    record = session.get(Record, outcome.record_id)
    assert record is not None
    return record.survivor_id


def test_the_same_undo_message_applied_twice_answers_undone_both_times(
    session: Session, settings: Settings
) -> None:
    from tests.workers.test_apply import make_message
    from workers.apply import apply_command

    activist = make_reporter(session)
    number = record_at(session, settings, activist, 1)
    message = make_message(session, activist, f"UNDO {number}")
    command = Command(keyword="UNDO", record=number)
    first = apply_command(session, settings, message=message, reporter=activist, command=command)
    second = apply_command(session, settings, message=message, reporter=activist, command=command)
    assert first == second == Undone(record_id=number, keyword="MEET")
