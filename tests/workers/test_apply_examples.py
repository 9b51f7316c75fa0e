"""The survivor and common rows of examples.md, parsed by the real parser and then applied."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.commands import ErrorCode, Role
from schemas.outcomes import Accepted, Duplicate, LangSet, Rejected, Undone, WhoAmI
from schemas.parse import Sender, load_context, parse
from schemas.tables import InboundMessage, Record, Referral, Reporter, Survivor
from tests.workers.test_apply import RECEIVED, make_message, make_reporter
from workers.apply import apply_command, find_duplicate
from workers.settings import Settings

_seeds = count(100)


def send(
    session: Session,
    settings: Settings,
    reporter: Reporter,
    text: str,
    at: datetime = RECEIVED,
) -> object:
    """What the pipeline does with one message: parse, then apply (or reject unparsed)."""
    ctx = load_context(settings.timezone, settings.max_backdate_days)
    home = ctx.gazetteer.union(reporter.union) if reporter.union else None
    message = make_message(session, reporter, text, at)
    result = parse(text, Sender(Role(reporter.role), home), at, ctx)
    if result.ok and result.command is not None:
        outcome: object = apply_command(
            session,
            settings,
            message=message,
            reporter=reporter,
            command=result.command,
            rng=random.Random(next(_seeds)),
        )
    else:
        outcome = Rejected(errors=result.errors, role=Role(reporter.role), keyword=result.keyword)
    message.status = "rejected" if isinstance(outcome, Rejected) else "accepted"
    message.record_id = getattr(outcome, "record_id", None)
    message.processed_at = at
    session.flush()
    return outcome


def code_of(outcome: object) -> str:
    assert isinstance(outcome, Accepted) and outcome.code is not None, outcome
    return outcome.code


def err(outcome: object) -> ErrorCode:
    assert isinstance(outcome, Rejected), outcome
    return outcome.errors[0].code


@pytest.fixture
def counsellor(session: Session) -> Reporter:
    return make_reporter(session, "counsellor")


@pytest.fixture
def code(session: Session, settings: Settings, counsellor: Reporter) -> str:
    return code_of(send(session, settings, counsellor, "ENR F 25"))


def test_enr_f_17_gabura_enrols_a_child_there_and_replies_the_code(
    session: Session, settings: Settings, counsellor: Reporter
) -> None:
    new = code_of(send(session, settings, counsellor, "ENR F 17 Gabura"))
    survivor = session.scalar(select(Survivor).where(Survivor.code == new))
    assert survivor is not None
    assert (survivor.is_child, survivor.union, survivor.upazila, survivor.enrolled_on) == (
        True,
        "Gabura",
        "Shyamnagar",
        date(2026, 3, 10),
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("ENR X 25", ErrorCode.BAD_SEX),
        ("ENR F 121", ErrorCode.OUT_OF_RANGE),
        ("IC 100008", ErrorCode.BAD_CHECK_DIGIT),
    ],
)
def test_malformed_survivor_commands_write_nothing(
    session: Session, settings: Settings, counsellor: Reporter, text: str, error: ErrorCode
) -> None:
    assert err(send(session, settings, counsellor, text)) == error
    assert session.scalar(select(Record)) is None and session.scalar(select(Survivor)) is None


def test_valid_check_digit_but_no_one_with_that_code(
    session: Session, settings: Settings, counsellor: Reporter
) -> None:
    assert err(send(session, settings, counsellor, "IC 100009")) == ErrorCode.UNKNOWN_SURVIVOR
    # The two replies differ: a bad check digit is a different error.
    assert err(send(session, settings, counsellor, "IC 100008")) == ErrorCode.BAD_CHECK_DIGIT


def test_code_typed_with_s_and_dashes_reaches_the_same_survivor(
    session: Session, settings: Settings, counsellor: Reporter
) -> None:
    session.add(
        Survivor(
            code="100009",
            sex="M",
            age=30,
            is_child=False,
            upazila="Kaliganj",
            union="Nalta",
            enrolled_on=date(2026, 1, 5),
            active=True,
            created_at=RECEIVED,
        )
    )
    session.flush()
    outcome = send(session, settings, counsellor, "IC S-100-009")
    assert isinstance(outcome, Accepted)
    record = session.get(Record, outcome.record_id)
    survivor = session.scalar(select(Survivor).where(Survivor.code == "100009"))
    assert record is not None and survivor is not None and record.survivor_id == survivor.id


def test_family_counselling_members_bounds(
    session: Session, settings: Settings, counsellor: Reporter, code: str
) -> None:
    assert err(send(session, settings, counsellor, f"FC {code} 0")) == ErrorCode.OUT_OF_RANGE
    assert err(send(session, settings, counsellor, f"FC {code} 31")) == ErrorCode.OUT_OF_RANGE
    outcome = send(session, settings, counsellor, f"FC {code} 30")
    assert isinstance(outcome, Accepted)
    record = session.get(Record, outcome.record_id)
    assert record is not None and record.members == 30


def test_certificate_without_an_individual_session_is_refused(
    session: Session, settings: Settings, counsellor: Reporter, code: str
) -> None:
    assert err(send(session, settings, counsellor, f"CERT {code}")) == ErrorCode.CERT_BEFORE_IC
    assert isinstance(send(session, settings, counsellor, f"IC {code} 5/3"), Accepted)
    assert err(send(session, settings, counsellor, f"CERT {code} 4/3")) == (
        ErrorCode.CERT_BEFORE_IC
    )
    assert isinstance(send(session, settings, counsellor, f"CERT {code}"), Accepted)


def test_referrals_by_service_letter_and_their_outcomes(
    session: Session, settings: Settings, counsellor: Reporter, code: str
) -> None:
    health = send(session, settings, counsellor, f"REF {code} H")
    livelihood = send(session, settings, counsellor, f"REF {code} LV")
    assert isinstance(health, Accepted) and isinstance(livelihood, Accepted)
    assert health.referral is not None and livelihood.referral is not None
    assert err(send(session, settings, counsellor, f"REF {code} XYZ")) == (
        ErrorCode.UNKNOWN_SERVICE
    )
    h = session.get(Referral, health.referral)
    lv = session.get(Referral, livelihood.referral)
    assert h is not None and lv is not None
    assert (h.service, lv.service) == ("HEALTH", "LIVELIHOOD")
    assert isinstance(send(session, settings, counsellor, f"REF R{h.id} DONE"), Accepted)
    assert isinstance(send(session, settings, counsellor, f"REF R{lv.id} NO"), Accepted)
    assert (h.outcome, lv.outcome) == ("DONE", "NO")
    assert err(send(session, settings, counsellor, "REF R99999 DONE")) == (
        ErrorCode.UNKNOWN_REFERRAL
    )


def test_emergency_kinds_and_partner_support(
    session: Session, settings: Settings, counsellor: Reporter, code: str
) -> None:
    emg = send(session, settings, counsellor, f"EMG {code} HEALTH TRAUMA")
    assert isinstance(emg, Accepted)
    record = session.get(Record, emg.record_id)
    assert record is not None and record.kinds == "HEALTH TRAUMA"
    assert err(send(session, settings, counsellor, f"EMG {code} FOOD")) == ErrorCode.UNKNOWN_KIND
    assert isinstance(send(session, settings, counsellor, f"SUP {code} PRAN"), Accepted)
    assert err(send(session, settings, counsellor, f"SUP {code} ACME")) == (
        ErrorCode.UNKNOWN_PARTNER
    )


def _meet(session: Session, settings: Settings, reporter: Reporter, days_ago: int) -> int:
    outcome = send(session, settings, reporter, "MEET 12 aj", RECEIVED - timedelta(days=days_ago))
    assert isinstance(outcome, Accepted)
    return outcome.record_id


def test_undo_rows_of_the_examples(session: Session, settings: Settings) -> None:
    activist = make_reporter(session)
    other = make_reporter(session)
    coordinator = make_reporter(session, "coordinator")
    three = _meet(session, settings, activist, 3)
    eight = _meet(session, settings, activist, 8)
    assert isinstance(send(session, settings, activist, f"UNDO {three}"), Undone)
    assert err(send(session, settings, activist, f"UNDO {eight}")) == ErrorCode.UNDO_TOO_LATE
    assert err(send(session, settings, other, f"UNDO {eight}")) == ErrorCode.UNDO_NOT_OWN
    assert isinstance(send(session, settings, coordinator, f"UNDO {eight}"), Undone)
    statuses = {r.id: r.status for r in session.scalars(select(Record))}
    assert statuses == {three: "cancelled", eight: "cancelled"}


def test_lang_bn_and_who(session: Session, settings: Settings) -> None:
    activist = make_reporter(session, name="Rina Begum")
    assert send(session, settings, activist, "LANG BN") == LangSet(lang="bn")
    assert activist.language == "bn"
    assert send(session, settings, activist, "WHO") == WhoAmI(
        name="Rina Begum", role=Role.ACTIVIST, union="Nalta"
    )


def test_same_text_three_minutes_later_is_not_recorded_twice(
    session: Session, settings: Settings
) -> None:
    activist = make_reporter(session)
    first = send(session, settings, activist, "com 350 m150 f200")
    assert isinstance(first, Accepted)
    again = make_message(session, activist, "com 350 m150 f200", RECEIVED + timedelta(minutes=3))
    assert find_duplicate(session, again, activist) == Duplicate(
        first_record_id=first.record_id, first_status="accepted"
    )
    late = make_message(session, activist, "com 350 m150 f200", RECEIVED + timedelta(minutes=11))
    assert find_duplicate(session, late, activist) is None
    assert len(session.scalars(select(InboundMessage)).all()) == 3


def test_event_examples_store_what_the_table_says(session: Session, settings: Settings) -> None:
    activist = make_reporter(session)
    sch = send(session, settings, activist, "SCH 845 S600 T45 P200 8/3/26 Kaliganj")
    com = send(session, settings, activist, "com 350 m150 f200")
    day = send(session, settings, activist, "DAY IWD 1350 M600 F750")
    assert isinstance(sch, Accepted) and isinstance(com, Accepted) and isinstance(day, Accepted)
    s, c, d = (session.get(Record, o.record_id) for o in (sch, com, day))
    assert s is not None and c is not None and d is not None
    assert (s.total, s.students, s.teachers, s.parents, s.activity_date) == (
        845,
        600,
        45,
        200,
        date(2026, 3, 8),
    )
    assert (s.upazila, s.union) == ("Kaliganj", None)
    assert (c.total, c.m, c.f, c.union, c.activity_date) == (
        350,
        150,
        200,
        "Nalta",
        date(2026, 3, 10),
    )
    assert (d.day_code, d.total, d.activity_date) == ("IWD", 1350, date(2026, 3, 8))
