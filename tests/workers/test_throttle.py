"""SENDER_HOURLY_LIMIT, the reply-loop guard and impossible numbers, through the real job and
through a drain batch: messages always stored and processed, replies held back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from schemas.replies.pause import NOTICES
from schemas.tables import InboundMessage, OutboundMessage, Record
from tests.workers.inbound.test_jobs import PHONE, add_reporter, count, store
from workers.db import session_scope
from workers.inbound.jobs import process_inbound
from workers.inbound.process import drain_batch
from workers.outbound.throttle import is_throttled, throttled_numbers

NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)


@pytest.fixture
def local(settings):  # type: ignore[no-untyped-def]
    return settings.with_(redis_url=None, sender_hourly_limit=3)


def send(settings, text: str, n: int = 0, sender: str = "01712345678") -> int:  # type: ignore[no-untyped-def]
    message_id = store(
        settings, text, sender=sender, pid=f"{text}#{n}", when=NOW + timedelta(seconds=n)
    )
    process_inbound(message_id, settings=settings)
    return message_id


def outcome(settings, message_id: int) -> tuple[str, str | None, str | None]:  # type: ignore[no-untyped-def]
    """(status, flags, reply text or None) of one stored message."""
    with session_scope(settings) as s:
        message = s.get(InboundMessage, message_id)
        assert message is not None
        reply = s.scalar(
            select(OutboundMessage.text).where(OutboundMessage.inbound_id == message_id)
        )
        return message.status, message.flags, reply


def test_the_last_reply_says_replies_pause_then_messages_are_kept_unanswered(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    ids = [send(local, f"MEET {n}", n) for n in range(1, 6)]
    results = [outcome(local, i) for i in ids]
    assert [r[0] for r in results] == ["accepted"] * 5  # stored and processed, every one
    assert count(local, Record) == 5
    first, second, last, fourth, fifth = (r[2] for r in results)
    assert first and second and NOTICES["en"][0] not in first
    assert last is not None and last.startswith("OK") and "pause" in last
    assert fourth is None and fifth is None
    assert results[3][1] == results[4][1] == "throttled"
    with session_scope(local) as s:
        assert is_throttled(s, local, PHONE, datetime.now(UTC))
        assert throttled_numbers(s, local, datetime.now(UTC)) == [(PHONE, 3)]
        assert not is_throttled(s, local, "+8801812345678", datetime.now(UTC))


def test_the_hour_is_rolling_over_the_time_messages_were_stored(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    for n in range(1, 5):
        send(local, f"MEET {n}", n)
    with session_scope(local) as s:
        # The first three replies' messages were stored 61 minutes ago: out of the hour.
        hour_ago = datetime.now(UTC) - timedelta(minutes=61)
        s.execute(update(InboundMessage).values(stored_at=hour_ago))
        assert not is_throttled(s, local, PHONE, datetime.now(UTC))
        assert throttled_numbers(s, local, datetime.now(UTC)) == []
    status, _flags, reply = outcome(local, send(local, "MEET 9", 9))
    assert status == "accepted" and reply is not None and "pause" not in reply


def test_a_throttled_sender_is_read_without_the_forgiving_reading(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    forgiven = outcome(local, send(local, "MEET 1 thanks", 1))
    assert forgiven[0] == "accepted"  # rule 9: the courtesy word is dropped
    send(local, "MEET 2", 2)
    send(local, "MEET 3", 3)  # the last reply of the hour
    status, flags, reply = outcome(local, send(local, "MEET 4 thanks", 4))
    assert (status, flags, reply) == ("rejected", "throttled", None)  # rules 1-8 only
    assert outcome(local, send(local, "MEET 5", 5))[:2] == ("accepted", "throttled")


def test_a_drain_batch_throttles_exactly_as_one_at_a_time(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    ids = [
        store(local, f"SCH {n}", pid=f"b{n}", when=NOW + timedelta(seconds=n)) for n in range(1, 6)
    ]
    claimed, outbound = drain_batch(local)
    assert claimed == ids and len(outbound) == 3
    results = [outcome(local, i) for i in ids]
    assert [r[0] for r in results] == ["accepted"] * 5
    assert [r[2] is not None for r in results] == [True, True, True, False, False]
    assert "pause" in (results[2][2] or "")


def test_a_limit_of_zero_switches_throttling_off(local) -> None:  # type: ignore[no-untyped-def]
    local = local.with_(sender_hourly_limit=0)
    add_reporter(local)
    ids = [send(local, f"MEET {n}", n) for n in range(1, 6)]
    assert all(outcome(local, i)[2] for i in ids)


def test_our_own_reply_echoed_back_gets_no_answer(local) -> None:  # type: ignore[no-untyped-def]
    local = local.with_(sender_hourly_limit=0)
    add_reporter(local)
    reply = outcome(local, send(local, "MEET 12", 1))[2]
    assert reply
    status, flags, again = outcome(local, send(local, reply, 2))
    assert again is None and flags == "loop" and status in ("rejected", "ignored")


def test_the_same_auto_text_answered_three_times_then_silence(local) -> None:  # type: ignore[no-untyped-def]
    local = local.with_(sender_hourly_limit=0)
    add_reporter(local)
    auto = "I am away, I will call you back later"
    results = [outcome(local, send(local, auto, n)) for n in range(1, 6)]
    assert [r[0] for r in results] == ["rejected"] * 5
    assert [r[2] is not None for r in results] == [True, True, True, False, False]
    assert results[4][1] == "loop"


def test_a_message_from_our_own_number_is_not_answered(local) -> None:  # type: ignore[no-untyped-def]
    local = local.with_(own_numbers="+8801999999999")
    status, flags, reply = outcome(local, send(local, "MEET 3", 1, sender="+8801999999999"))
    assert reply is None and flags == "loop" and status == "ignored"


def test_an_impossible_number_is_stored_and_gets_no_reply(local) -> None:  # type: ignore[no-untyped-def]
    sender = "+888" + "1234567890" * 3 + "123456"  # 39 digits
    message_id = send(local, "MEET 3", 1, sender=sender)
    status, _flags, reply = outcome(local, message_id)
    assert status == "ignored" and reply is None
    with session_scope(local) as s:
        message = s.get(InboundMessage, message_id)
        assert message is not None and message.text == "MEET 3"
    assert count(local, OutboundMessage) == 0


def test_the_same_text_saving_a_record_each_time_is_always_answered(local) -> None:  # type: ignore[no-untyped-def]
    """Four survivors of the same sex and age enrolled in one hour: four codes to send."""
    local = local.with_(sender_hourly_limit=0)
    add_reporter(local)
    results = [outcome(local, send(local, "ENR F 25", n * 60 * 11)) for n in range(4)]
    assert [r[0] for r in results] == ["accepted"] * 4
    assert all(r[2] for r in results)
