"""find_duplicate: same sender, same text, within 10 minutes, another provider id."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from schemas.outcomes import Duplicate
from tests.workers.test_apply import RECEIVED, make_message, make_reporter
from workers.apply import find_duplicate


def first_message(
    session: Session,
    reporter,
    text: str = "MEET 12",
    *,
    status: str = "accepted",  # type: ignore[no-untyped-def]
    record_id: int | None = 4821,
):
    message = make_message(session, reporter, text, RECEIVED, status=status)
    message.record_id = record_id
    session.flush()
    return message


def test_same_text_three_minutes_later_points_at_the_first_record(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter)
    again = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=3))
    assert find_duplicate(session, again, reporter) == Duplicate(
        first_record_id=4821, first_status="accepted"
    )


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
    first_message(session, reporter, status="received", record_id=None)
    again = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=3))
    assert find_duplicate(session, again, reporter) is None


def test_a_rejected_first_message_is_reported_as_rejected(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, "MEET 0", status="rejected", record_id=None)
    again = make_message(session, reporter, "MEET 0", RECEIVED + timedelta(minutes=3))
    assert find_duplicate(session, again, reporter) == Duplicate(
        first_record_id=None, first_status="rejected"
    )


def test_a_later_copy_processed_first_holds_the_record(session: Session) -> None:
    # Jobs may run out of order: the earlier text, processed second, is the duplicate.
    reporter = make_reporter(session)
    later = make_message(
        session, reporter, "MEET 12", RECEIVED + timedelta(minutes=3), status="accepted"
    )
    later.record_id = 99
    session.flush()
    earlier = make_message(session, reporter, "MEET 12", RECEIVED)
    assert find_duplicate(session, earlier, reporter) == Duplicate(
        first_record_id=99, first_status="accepted"
    )
    far = make_message(session, reporter, "MEET 12", RECEIVED - timedelta(minutes=8))
    assert find_duplicate(session, far, reporter) is None


def test_repeated_who_gets_a_fresh_answer(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, "WHO", record_id=None)
    again = make_message(session, reporter, "WHO", RECEIVED + timedelta(minutes=1))
    assert find_duplicate(session, again, reporter) is None


def test_the_message_itself_and_its_own_provider_id_are_never_its_duplicate(
    session: Session,
) -> None:
    reporter = make_reporter(session)
    message = make_message(
        session, reporter, "MEET 12", RECEIVED, status="accepted", provider_id="ATXid_same"
    )
    message.record_id = 7
    session.flush()
    assert find_duplicate(session, message, reporter) is None


def test_a_resend_after_the_sender_was_registered_is_not_a_duplicate(session: Session) -> None:
    reporter = make_reporter(session)
    first_message(session, reporter, status="ignored", record_id=None)
    again = make_message(session, reporter, "MEET 12", RECEIVED + timedelta(minutes=4))
    assert find_duplicate(session, again, reporter) is None
