"""apply_command on survivor commands: enrolment, services, certificates, referrals."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.codes import check_digit, is_valid
from schemas.commands import Command, ErrorCode
from schemas.outcomes import Accepted
from schemas.tables import AuditEntry, Record, Referral, Reporter, Survivor
from tests.workers.test_apply import (
    GABURA,
    NALTA,
    apply,
    error_of,
    make_message,
    make_reporter,
    record_count,
)
from workers.apply import apply_command
from workers.settings import Settings

D = date(2026, 3, 10)


def enrol(
    session: Session, settings: Settings, reporter, *, age: int = 25, seed: int = 7, place=None
) -> str:  # type: ignore[no-untyped-def]
    outcome = apply(
        session,
        settings,
        reporter,
        Command(keyword="ENR", activity_date=D, sex="F", age=age, place=place),
        seed=seed,
    )
    assert isinstance(outcome, Accepted) and outcome.code is not None
    return outcome.code


def refer(
    session: Session,
    settings: Settings,
    reporter: Reporter,
    code: str,
    service: str,
    day: date = D,
) -> Accepted:
    """REF `code` to `service`: the referral must be accepted and carry its R number."""
    ref = apply(
        session,
        settings,
        reporter,
        Command(keyword="REF", code=code, service=service, activity_date=day),
    )
    assert isinstance(ref, Accepted) and ref.referral is not None
    return ref


def refout(
    session: Session,
    settings: Settings,
    reporter: Reporter,
    referral: int | None,
    outcome: str,
    day: date = D,
) -> object:
    """REFOUT for R number `referral`, applied as one message would be."""
    return apply(
        session,
        settings,
        reporter,
        Command(keyword="REFOUT", referral=referral, outcome=outcome, activity_date=day),
    )


def unused_valid_code(session: Session) -> str:
    body = 10000
    while True:
        code = f"{body}{check_digit(str(body))}"
        if session.scalar(select(Survivor).where(Survivor.code == code)) is None:
            return code
        body += 1


def test_enrol_child_with_place_replies_a_valid_random_code(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    outcome = apply(
        session,
        settings,
        counsellor,
        Command(keyword="ENR", activity_date=D, sex="F", age=17, place=GABURA, place_given=True),
    )
    assert isinstance(outcome, Accepted)
    assert outcome.code is not None and is_valid(outcome.code) and outcome.code[0] != "0"
    survivor = session.scalar(select(Survivor).where(Survivor.code == outcome.code))
    assert survivor is not None
    assert (survivor.sex, survivor.age, survivor.is_child) == ("F", 17, True)
    assert (survivor.upazila, survivor.union, survivor.enrolled_on) == ("Shyamnagar", "Gabura", D)
    record = session.get(Record, outcome.record_id)
    assert record is not None
    assert (record.keyword, record.survivor_id, record.union) == ("ENR", survivor.id, "Gabura")


def test_enrol_without_place_uses_the_counsellors_union_and_adult_is_not_a_child(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor, age=18)
    survivor = session.scalar(select(Survivor).where(Survivor.code == code))
    assert survivor is not None
    assert (survivor.is_child, survivor.union, survivor.upazila) == (False, "Nalta", "Kaliganj")


def test_codes_come_from_the_injected_rng_and_are_not_sequential(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    first = enrol(session, settings, counsellor, seed=1)
    # The same seed again must not reissue a taken code.
    second = enrol(session, settings, counsellor, seed=1)
    third = enrol(session, settings, counsellor, seed=2)
    assert len({first, second, third}) == 3
    assert abs(int(second[:5]) - int(first[:5])) != 1


def test_enrolment_audit_holds_the_code_but_never_sex_age_or_place(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor, age=16, place=GABURA)
    entries = list(session.scalars(select(AuditEntry)))
    assert entries
    for entry in entries:
        flat = str(entry.detail)
        assert "Gabura" not in flat and "16" not in flat.replace(code, "")
        assert "sex" not in flat and "age" not in flat.replace("activity_date", "")
    assert any(entry.detail and entry.detail.get("code") == code for entry in entries)


def test_service_for_an_unknown_code_is_refused(session: Session, settings: Settings) -> None:
    counsellor = make_reporter(session, "counsellor")
    outcome = apply(
        session, settings, counsellor, Command(keyword="IC", code="100009", activity_date=D)
    )
    assert error_of(outcome) == ErrorCode.UNKNOWN_SURVIVOR
    assert record_count(session) == 0


def test_services_copy_the_survivors_place_onto_the_record(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor, place=GABURA)
    for command in (
        Command(keyword="NA", code=code, activity_date=D),
        Command(keyword="IC", code=code, activity_date=D),
        Command(keyword="FC", code=code, members=30, activity_date=D),
        Command(keyword="EMG", code=code, kinds=("HEALTH", "TRAUMA"), activity_date=D),
        Command(keyword="SUP", code=code, partner="PRAN", activity_date=D),
    ):
        outcome = apply(session, settings, counsellor, command)
        assert isinstance(outcome, Accepted), command.keyword
        record = session.get(Record, outcome.record_id)
        assert record is not None
        assert (record.upazila, record.union) == ("Shyamnagar", "Gabura")
    fc = session.scalar(select(Record).where(Record.keyword == "FC"))
    emg = session.scalar(select(Record).where(Record.keyword == "EMG"))
    sup = session.scalar(select(Record).where(Record.keyword == "SUP"))
    assert fc is not None and fc.members == 30
    assert emg is not None and emg.kinds == "HEALTH TRAUMA"
    assert sup is not None and sup.partner == "PRAN"


def test_enrol_then_individual_session_then_certificate_is_accepted(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    assert isinstance(
        apply(
            session,
            settings,
            counsellor,
            Command(keyword="IC", code=code, activity_date=date(2026, 3, 5)),
        ),
        Accepted,
    )
    cert = apply(session, settings, counsellor, Command(keyword="CERT", code=code, activity_date=D))
    assert isinstance(cert, Accepted)


def test_certificate_before_any_individual_session_is_refused(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    apply(session, settings, counsellor, Command(keyword="NA", code=code, activity_date=D))
    outcome = apply(
        session, settings, counsellor, Command(keyword="CERT", code=code, activity_date=D)
    )
    assert error_of(outcome) == ErrorCode.CERT_BEFORE_IC


def test_certificate_dated_before_the_first_individual_session_is_refused(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    apply(
        session,
        settings,
        counsellor,
        Command(keyword="IC", code=code, activity_date=date(2026, 3, 5)),
    )
    early = apply(
        session,
        settings,
        counsellor,
        Command(keyword="CERT", code=code, activity_date=date(2026, 3, 4)),
    )
    same_day = apply(
        session,
        settings,
        counsellor,
        Command(keyword="CERT", code=code, activity_date=date(2026, 3, 5)),
    )
    assert error_of(early) == ErrorCode.CERT_BEFORE_IC
    assert isinstance(same_day, Accepted)


def test_another_survivors_session_does_not_allow_a_certificate(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    one = enrol(session, settings, counsellor, seed=1)
    other = enrol(session, settings, counsellor, seed=2)
    apply(session, settings, counsellor, Command(keyword="IC", code=one, activity_date=D))
    outcome = apply(
        session, settings, counsellor, Command(keyword="CERT", code=other, activity_date=D)
    )
    assert error_of(outcome) == ErrorCode.CERT_BEFORE_IC


def test_referral_gets_an_r_number_and_done_closes_it(session: Session, settings: Settings) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor, place=GABURA)
    ref = refer(session, settings, counsellor, code, "HEALTH", date(2026, 3, 1))
    referral = session.get(Referral, ref.referral)
    assert referral is not None
    assert (referral.service, referral.outcome, referral.referred_on) == (
        "HEALTH",
        None,
        date(2026, 3, 1),
    )
    done = refout(session, settings, counsellor, ref.referral, "DONE")
    assert isinstance(done, Accepted)
    session.refresh(referral)
    assert (referral.outcome, referral.outcome_on) == ("DONE", D)
    record = session.get(Record, done.record_id)
    assert record is not None
    assert (record.keyword, record.referral_id, record.outcome, record.service) == (
        "REFOUT",
        ref.referral,
        "DONE",
        "HEALTH",
    )
    assert record.union == "Gabura" and record.survivor_id == referral.survivor_id


def test_referral_outcome_no_is_recorded_as_not_received(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    code = enrol(session, settings, counsellor)
    ref = refer(session, settings, counsellor, code, "LIVELIHOOD")
    refout(session, settings, counsellor, ref.referral, "NO")
    referral = session.get(Referral, ref.referral)
    assert referral is not None and referral.outcome == "NO"


def test_outcome_of_an_unknown_referral_is_refused(session: Session, settings: Settings) -> None:
    counsellor = make_reporter(session, "counsellor")
    outcome = refout(session, settings, counsellor, 99999, "DONE")
    assert error_of(outcome) == ErrorCode.UNKNOWN_REFERRAL
    assert record_count(session) == 0


def test_referral_for_an_unknown_code_is_refused(session: Session, settings: Settings) -> None:
    counsellor = make_reporter(session, "counsellor")
    outcome = apply(
        session,
        settings,
        counsellor,
        Command(keyword="REF", code=unused_valid_code(session), service="LEGAL", activity_date=D),
    )
    assert error_of(outcome) == ErrorCode.UNKNOWN_SURVIVOR
    assert session.scalar(select(Referral)) is None


def test_enrolment_applied_twice_answers_the_same_code(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    message = make_message(session, counsellor, "ENR F 25")
    command = Command(keyword="ENR", activity_date=D, sex="F", age=25, place=NALTA)
    first = apply_command(
        session,
        settings,
        message=message,
        reporter=counsellor,
        command=command,
        rng=random.Random(1),
    )
    second = apply_command(
        session,
        settings,
        message=message,
        reporter=counsellor,
        command=command,
        rng=random.Random(2),
    )
    assert isinstance(first, Accepted) and isinstance(second, Accepted)
    assert (first.record_id, first.code) == (second.record_id, second.code)
    assert len(list(session.scalars(select(Survivor)))) == 1
