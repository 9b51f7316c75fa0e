"""apply_command on events, common commands and idempotence; helpers shared by test_apply_*."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from itertools import count

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.commands import Command, ErrorCode, Lang, Place, Role
from schemas.outcomes import Accepted, HelpList, LangSet, Rejected, WhoAmI
from schemas.tables import AuditEntry, InboundMessage, Record, Reporter
from schemas.text import text_key
from workers.apply import apply_command
from workers.settings import Settings

RECEIVED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # the examples' received time
NALTA = Place(upazila="Kaliganj", union="Nalta", name_bn="নলতা")
GABURA = Place(upazila="Shyamnagar", union="Gabura", name_bn="গাবুরা")
_ids = count(1)


def make_reporter(
    session: Session, role: str = "activist", *, phone: str | None = None, name: str = "Rina"
) -> Reporter:
    reporter = Reporter(
        phone=phone or f"+88017{next(_ids):08d}",
        name=name,
        role=role,
        union="Nalta",
        upazila="Kaliganj",
        language="en",
        active=True,
        created_at=RECEIVED - timedelta(days=100),
    )
    session.add(reporter)
    session.flush()
    return reporter


def make_message(
    session: Session,
    reporter: Reporter,
    text: str = "x",
    at: datetime = RECEIVED,
    *,
    status: str = "received",
    provider_id: str | None = None,
) -> InboundMessage:
    message = InboundMessage(
        channel="sms",
        provider="at",
        provider_id=provider_id or f"ATXid_{next(_ids)}",
        sender=reporter.phone,
        to="21213",
        text=text,
        text_key=text_key(text),
        provider_time=at,
        stored_at=at,
        status=status,
        reporter_id=reporter.id,
    )
    session.add(message)
    session.flush()
    return message


def apply(
    session: Session,
    settings: Settings,
    reporter: Reporter,
    command: Command,
    at: datetime = RECEIVED,
    *,
    seed: int = 7,
) -> object:
    """Apply a command as one message would, marking the message as the pipeline does."""
    message = make_message(session, reporter, f"{command.keyword} {next(_ids)}", at)
    outcome = apply_command(
        session,
        settings,
        message=message,
        reporter=reporter,
        command=command,
        rng=random.Random(seed),
    )
    message.status = "rejected" if isinstance(outcome, Rejected) else "accepted"
    message.record_id = getattr(outcome, "record_id", None)
    session.flush()
    return outcome


def error_of(outcome: object) -> ErrorCode:
    assert isinstance(outcome, Rejected), outcome
    return outcome.errors[0].code


def record_count(session: Session) -> int:
    return session.scalar(select(func.count(Record.id))) or 0


def test_school_event_stores_counts_audience_and_typed_place(
    session: Session, settings: Settings
) -> None:
    reporter = make_reporter(session)
    kaliganj = Place(upazila="Kaliganj", union=None, name_bn="কালিগঞ্জ")
    command = Command(
        keyword="SCH",
        activity_date=date(2026, 3, 8),
        date_given=True,
        total=845,
        tags=(("S", 600), ("T", 45), ("P", 200)),
        place=kaliganj,
        place_given=True,
    )
    outcome = apply(session, settings, reporter, command)
    assert isinstance(outcome, Accepted)
    record = session.get(Record, outcome.record_id)
    assert record is not None
    assert (record.keyword, record.total, record.students, record.teachers, record.parents) == (
        "SCH",
        845,
        600,
        45,
        200,
    )
    assert (record.m, record.f, record.o) == (None, None, None)
    assert record.activity_date == date(2026, 3, 8)
    assert (record.upazila, record.union) == ("Kaliganj", None)
    assert record.status == "active" and record.reporter_id == reporter.id


def test_event_without_place_is_stored_at_the_union_the_parser_filled(
    session: Session, settings: Settings
) -> None:
    reporter = make_reporter(session)
    command = Command(
        keyword="COM",
        activity_date=date(2026, 3, 10),
        total=350,
        tags=(("M", 150), ("F", 200)),
        place=NALTA,
    )
    outcome = apply(session, settings, reporter, command)
    assert isinstance(outcome, Accepted)
    record = session.get(Record, outcome.record_id)
    assert record is not None
    assert (record.total, record.m, record.f, record.union, record.upazila) == (
        350,
        150,
        200,
        "Nalta",
        "Kaliganj",
    )


def test_youth_session_and_international_day_keep_their_groups(
    session: Session, settings: Settings
) -> None:
    reporter = make_reporter(session)
    yth = apply(
        session,
        settings,
        reporter,
        Command(
            keyword="YTH",
            activity_date=date(2026, 3, 10),
            total=50,
            tags=(("Y", 30), ("C", 20)),
            place=NALTA,
        ),
    )
    day = apply(
        session,
        settings,
        reporter,
        Command(
            keyword="DAY",
            activity_date=date(2026, 3, 8),
            total=1350,
            day_code="IWD",
            tags=(("M", 600), ("F", 750)),
            place=NALTA,
        ),
    )
    assert isinstance(yth, Accepted) and isinstance(day, Accepted)
    y = session.get(Record, yth.record_id)
    d = session.get(Record, day.record_id)
    assert y is not None and d is not None
    assert (y.total, y.youths, y.cbo) == (50, 30, 20)
    assert (d.keyword, d.day_code, d.total, d.m, d.f, d.activity_date) == (
        "DAY",
        "IWD",
        1350,
        600,
        750,
        date(2026, 3, 8),
    )


def test_community_counselling_is_event_shaped_and_refused_to_activists(
    session: Session, settings: Settings
) -> None:
    counsellor = make_reporter(session, "counsellor")
    activist = make_reporter(session, "activist")
    command = Command(
        keyword="CC",
        activity_date=date(2026, 3, 10),
        total=40,
        tags=(("M", 10), ("F", 30)),
        place=NALTA,
    )
    outcome = apply(session, settings, counsellor, command)
    assert isinstance(outcome, Accepted)
    record = session.get(Record, outcome.record_id)
    assert record is not None and (record.keyword, record.total, record.survivor_id) == (
        "CC",
        40,
        None,
    )
    assert error_of(apply(session, settings, activist, command)) == ErrorCode.ROLE_NOT_ALLOWED


def test_applying_the_same_message_twice_writes_one_record(
    session: Session, settings: Settings
) -> None:
    reporter = make_reporter(session)
    message = make_message(session, reporter, "MEET 12")
    command = Command(keyword="MEET", activity_date=date(2026, 3, 10), total=12, place=NALTA)
    first = apply_command(session, settings, message=message, reporter=reporter, command=command)
    second = apply_command(session, settings, message=message, reporter=reporter, command=command)
    assert isinstance(first, Accepted) and isinstance(second, Accepted)
    assert first.record_id == second.record_id
    assert record_count(session) == 1


def test_record_keeps_the_provider_time_and_channel_of_its_message(
    session: Session, settings: Settings
) -> None:
    reporter = make_reporter(session)
    at = RECEIVED - timedelta(hours=5)
    outcome = apply(
        session,
        settings,
        reporter,
        Command(keyword="MEET", activity_date=date(2026, 3, 10), total=12, place=NALTA),
        at,
    )
    assert isinstance(outcome, Accepted)
    record = session.get(Record, outcome.record_id)
    assert record is not None and record.channel == "sms"
    received = record.received_at
    assert (received if received.tzinfo else received.replace(tzinfo=UTC)) == at


def test_every_record_writes_an_audit_entry_naming_the_reporter(
    session: Session, settings: Settings
) -> None:
    reporter = make_reporter(session)
    outcome = apply(
        session,
        settings,
        reporter,
        Command(keyword="MEET", activity_date=date(2026, 3, 10), total=12, place=NALTA),
    )
    assert isinstance(outcome, Accepted)
    entry = session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_id == outcome.record_id, AuditEntry.entity == "records"
        )
    )
    assert entry is not None
    assert (entry.actor, entry.action) == (f"reporter:{reporter.id}", "create")
    assert entry.detail is not None and entry.detail["keyword"] == "MEET"


def test_lang_sets_the_reporters_language_and_is_audited(
    session: Session, settings: Settings
) -> None:
    reporter = make_reporter(session)
    outcome = apply(session, settings, reporter, Command(keyword="LANG", lang=Lang.BN))
    assert outcome == LangSet(lang="bn")
    assert reporter.language == "bn"
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "lang")) is not None
    assert record_count(session) == 0


def test_who_answers_name_role_and_union_as_registered(
    session: Session, settings: Settings
) -> None:
    reporter = make_reporter(session, "counsellor", name="Shirin Akter")
    assert apply(session, settings, reporter, Command(keyword="WHO")) == WhoAmI(
        name="Shirin Akter", role=Role.COUNSELLOR, union="Nalta"
    )


def test_help_lists_for_the_senders_role_or_one_topic(session: Session, settings: Settings) -> None:
    reporter = make_reporter(session)
    assert apply(session, settings, reporter, Command(keyword="HELP")) == HelpList(
        role=Role.ACTIVIST
    )
    assert apply(session, settings, reporter, Command(keyword="HELP", topic="SCH")) == HelpList(
        role=Role.ACTIVIST, topic="SCH"
    )
