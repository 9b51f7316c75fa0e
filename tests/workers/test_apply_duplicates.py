"""find_duplicate: same sender, same text, within 10 minutes, another provider id, and a first
copy whose record is still active."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from schemas.outcomes import Duplicate
from schemas.tables import InboundMessage, Record, Reporter
from tests.workers.test_apply import RECEIVED, make_message, make_reporter
from workers.apply import find_duplicate


def record_of(session: Session, reporter: Reporter, message: InboundMessage) -> Record:
    record = Record(
        inbound_id=message.id,
        reporter_id=reporter.id,
        channel="sms",
        keyword="MEET",
        status="active",
        activity_date=message.provider_time.date(),
        received_at=message.provider_time,
        created_at=datetime.now(UTC),
        total=12,
    )
    session.add(record)
    session.flush()
    return record


def first_message(
    session: Session,
    reporter: Reporter,
    text: str = "MEET 12",
    *,
    status: str = "accepted",
    with_record: bool = True,
    at: datetime = RECEIVED,
) -> InboundMessage:
    message = make_message(session, reporter, text, at, status=status)
    if with_record:
        message.record_id = record_of(session, reporter, message).id
    session.flush()
    return message


def test_same_text_three_minutes_later_points_at_the_first_record(session: Session) -> None:
    reporter = make_reporter(session)
    first = first_message(session, reporter)
    again = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=3))
    assert find_duplicate(session, again, reporter) == Duplicate(
        first_record_id=first.record_id, first_status="accepted"
    )


def test_a_cancelled_first_record_makes_no_duplicate(session: Session) -> None:
    reporter = make_reporter(session)
    first = first_message(session, reporter)
    record = session.get(Record, first.record_id)
    assert record is not None
    record.status = "cancelled"
    session.flush()
    again = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=3))
    assert find_duplicate(session, again, reporter) is None


def test_a_copy_pointing_at_a_cancelled_record_makes_no_duplicate(session: Session) -> None:
    reporter = make_reporter(session)
    first = first_message(session, reporter)
    copy = make_message(
        session, reporter, "MEET 12", RECEIVED + timedelta(minutes=1), status="duplicate"
    )
    copy.record_id = first.record_id
    record = session.get(Record, first.record_id)
    assert record is not None
    record.status = "cancelled"
    session.flush()
    again = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=2))
    assert find_duplicate(session, again, reporter) is None


def test_text_is_compared_after_normalisation(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, "MEET 12")
    again = make_message(session, reporter, "meet   12", RECEIVED + timedelta(minutes=1))
    assert find_duplicate(session, again, reporter) is not None


def test_eleven_minutes_later_is_a_new_message(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter)
    later = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=11))
    assert find_duplicate(session, later, reporter) is None


def test_ten_minutes_exactly_is_still_a_duplicate(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter)
    later = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=10))
    assert find_duplicate(session, later, reporter) is not None


def test_other_sender_or_other_text_is_not_a_duplicate(session: Session) -> None:
    reporter = make_reporter(session)
    other = make_reporter(session)
    first_message(session, reporter)
    assert (
        find_duplicate(
            session, make_message(session, other, "MEET 12", RECEIVED + timedelta(minutes=2)), other
        )
        is None
    )
    assert (
        find_duplicate(
            session,
            make_message(session, reporter, "MEET 13", RECEIVED + timedelta(minutes=2)),
            reporter,
        )
        is None
    )


def test_a_first_message_not_yet_processed_is_not_pointed_at(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, status="received", with_record=False)
    again = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=3))
    assert find_duplicate(session, again, reporter) is None


def test_a_rejected_first_message_is_read_again(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, "MEET 0", status="rejected", with_record=False)
    again = make_message(session, reporter, "MEET 0", RECEIVED + timedelta(minutes=3))
    assert find_duplicate(session, again, reporter) is None


def test_an_empty_first_message_is_never_a_duplicates_first(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, " ,; ", status="rejected", with_record=False)
    again = make_message(session, reporter, " ;, ", RECEIVED + timedelta(minutes=1))
    assert find_duplicate(session, again, reporter) is None


def test_a_later_copy_processed_first_holds_the_record(session: Session) -> None:
    # Jobs may run out of order: the earlier text, processed second, is the duplicate.
    reporter = make_reporter(session)
    later = first_message(session, reporter, at=RECEIVED + timedelta(minutes=3))
    earlier = make_message(session, reporter, "MEET 12", RECEIVED)
    assert find_duplicate(session, earlier, reporter) == Duplicate(
        first_record_id=later.record_id, first_status="accepted"
    )
    far = make_message(session, reporter, "MEET 12", RECEIVED - timedelta(minutes=8))
    assert find_duplicate(session, far, reporter) is None


def test_repeated_who_gets_a_fresh_answer(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, "WHO", with_record=False)
    again = make_message(session, reporter, "WHO", RECEIVED + timedelta(minutes=1))
    assert find_duplicate(session, again, reporter) is None


def test_the_message_itself_and_its_own_provider_id_are_never_its_duplicate(
    session: Session,
) -> None:
    reporter = make_reporter(session)
    message = first_message(session, reporter)
    assert find_duplicate(session, message, reporter) is None


def test_a_resend_after_the_sender_was_registered_is_not_a_duplicate(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, status="ignored", with_record=False)
    again = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=4))
    assert find_duplicate(session, again, reporter) is None
