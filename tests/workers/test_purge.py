"""purge: failed and wrongly dated messages and USSD events go too; records stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from schemas.tables import InboundMessage, UssdEvent
from tests.workers.inbound.test_jobs import add_reporter, row, store
from workers.db import session_scope
from workers.inbound.jobs import process_inbound
from workers.purge import MAX_DAYS, purge_inbound

OLD = datetime.now(UTC) - timedelta(days=40)


@pytest.fixture
def local(settings):  # type: ignore[no-untyped-def]
    return settings.with_(redis_url=None)


def age(settings, *ids: int) -> None:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        for message_id in ids:
            message = s.get(InboundMessage, message_id)
            assert message is not None
            message.stored_at = OLD


def test_failed_and_future_or_ancient_dated_messages_are_purged(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    future = store(local, "MEET 5", pid="future", when=datetime(9999, 12, 31, tzinfo=UTC))
    ancient = store(local, "MEET 6", pid="ancient", when=datetime(1, 1, 2, tzinfo=UTC))
    failed = store(local, "MEET 7", pid="failed", when=OLD)
    process_inbound(future, ancient, settings=local)
    with session_scope(local) as s:
        s.get(InboundMessage, failed).status = "failed"  # type: ignore[union-attr]
    age(local, future, ancient, failed)
    with session_scope(local) as s:
        assert purge_inbound(s, 30) == 3
    for message_id in (future, ancient, failed):
        message = row(local, message_id)
        assert message.text is None and message.sender is None


def test_a_message_stored_recently_is_kept_whatever_its_provider_date(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    message_id = store(local, "MEET 5", pid="old-clock", when=OLD)  # stored just now
    process_inbound(message_id, settings=local)
    with session_scope(local) as s:
        assert purge_inbound(s, 30) == 0
    assert row(local, message_id).text == "MEET 5"


def test_ussd_events_lose_number_and_inputs_and_keep_their_status(local) -> None:  # type: ignore[no-untyped-def]
    with session_scope(local) as s:
        for sid, when in (("old", OLD), ("new", datetime.now(UTC))):
            s.add(
                UssdEvent(
                    session_id=sid,
                    status="Incomplete",
                    phone="+8801712345678",
                    input="1*2*12",
                    received_at=when,
                    extra={"networkCode": "470"},
                )
            )
    with session_scope(local) as s:
        purge_inbound(s, 30)
    with session_scope(local) as s:
        events = {e.session_id: e for e in s.scalars(select(UssdEvent))}
        old, new = events["old"], events["new"]
        assert (old.phone, old.input, old.extra, old.status) == (None, None, None, "Incomplete")
        assert new.phone == "+8801712345678" and new.input == "1*2*12"
        audit_again = purge_inbound(s, 30)
    assert audit_again == 0


def test_an_impossible_age_is_a_clear_error(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="from 1 to"):
        purge_inbound(session, 99_999_999_999)
    with pytest.raises(ValueError):
        purge_inbound(session, MAX_DAYS + 1)
