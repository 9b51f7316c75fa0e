"""Processing stored messages by id (`process_inbound`, the batch path): status, record, reply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from schemas.envelope import InboundEnvelope
from schemas.tables import InboundMessage, OutboundMessage, Record, Reporter
from workers.db import session_scope
from workers.inbound.jobs import process_inbound
from workers.inbound.store import store_inbound
from workers.inbound.sweep import requeue
from workers.purge import purge_inbound

PHONE = "+8801712345678"


@pytest.fixture
def local(settings):  # type: ignore[no-untyped-def]
    """In-process jobs: these tests are about decisions, not about the queue."""
    return settings.with_(redis_url=None)


def add_reporter(settings, phone=PHONE, role="counsellor", active=True, language="en"):  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        reporter = Reporter(
            phone=phone,
            name="Rina",
            role=role,
            union="Anulia",
            upazila="Assasuni",
            language=language,
            active=active,
            created_at=datetime.now(UTC),
        )
        s.add(reporter)
    return reporter


def store(settings, text, sender="01712345678", pid=None, when=None) -> int:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        message, _ = store_inbound(
            s,
            settings,
            InboundEnvelope(
                channel="sms",
                provider="at",
                provider_id=pid or f"id-{text}-{sender}-{when}",
                sender=sender,
                text=text,
                provider_time=when or datetime.now(UTC),
            ),
        )
        return message.id


def row(settings, message_id):  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return s.get(InboundMessage, message_id)


def replies(settings, to=PHONE) -> list[OutboundMessage]:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return list(s.scalars(select(OutboundMessage).where(OutboundMessage.to == to)))


def count(settings, model) -> int:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_accepted_message_makes_record_and_one_reply(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    message_id = store(local, "MEET 17 M10 F7")
    process_inbound(message_id, settings=local)
    message = row(local, message_id)
    assert message.status == "accepted"
    assert message.record_id is not None and message.processed_at is not None
    [reply] = replies(local)
    assert reply.inbound_id == message_id
    assert f"#{message.record_id}" in reply.text


def test_processing_twice_changes_nothing(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    message_id = store(local, "MEET 17 M10 F7")
    process_inbound(message_id, settings=local)
    first = row(local, message_id)
    process_inbound(message_id, message_id, settings=local)
    again = row(local, message_id)
    assert (again.status, again.record_id, again.processed_at) == (
        first.status,
        first.record_id,
        first.processed_at,
    )
    assert count(local, Record) == 1
    assert len(replies(local)) == 1


def test_rejected_message_keeps_a_reason(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    message_id = store(local, "MEET 17 M10 F9")
    process_inbound(message_id, settings=local)
    message = row(local, message_id)
    assert message.status == "rejected"
    assert message.reason and "sum_mismatch" in message.reason
    assert count(local, Record) == 0
    assert len(replies(local)) == 1


def test_unknown_sender_gets_one_reply_a_day(local) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    first = store(local, "MEET 5", when=now)
    second = store(local, "MEET 6", when=now + timedelta(minutes=1))
    process_inbound(first, second, settings=local)
    assert row(local, first).status == row(local, second).status == "ignored"
    assert row(local, first).reason == "unknown_sender"
    [reply] = replies(local)
    assert reply.kind == "not_registered"
    assert count(local, Record) == 0


def test_unknown_sender_is_told_again_after_a_day(local) -> None:  # type: ignore[no-untyped-def]
    first = store(local, "MEET 5")
    process_inbound(first, settings=local)
    with session_scope(local) as s:
        for out in s.scalars(select(OutboundMessage)):
            out.created_at = datetime.now(UTC) - timedelta(hours=25)
    second = store(local, "MEET 6")
    process_inbound(second, settings=local)
    assert len(replies(local)) == 2


def test_unknown_sender_silence_when_configured(local) -> None:  # type: ignore[no-untyped-def]
    quiet = local.with_(unknown_sender_reply=False)
    message_id = store(quiet, "MEET 5")
    process_inbound(message_id, settings=quiet)
    assert row(quiet, message_id).status == "ignored"
    assert replies(quiet) == []


def test_deactivated_reporter_is_treated_as_unknown(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local, active=False)
    message_id = store(local, "MEET 17 M10 F7")
    process_inbound(message_id, settings=local)
    message = row(local, message_id)
    assert (message.status, message.reason) == ("ignored", "inactive_sender")
    assert count(local, Record) == 0
    [reply] = replies(local)
    assert reply.kind == "not_registered"


def test_same_text_again_points_at_the_first_record(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    now = datetime.now(UTC)
    first = store(local, "MEET 17 M10 F7", pid="a", when=now)
    second = store(local, "MEET 17 M10 F7", pid="b", when=now + timedelta(minutes=2))
    process_inbound(first, second, settings=local)
    assert row(local, second).status == "duplicate"
    assert row(local, second).record_id == row(local, first).record_id
    assert count(local, Record) == 1


def test_a_bug_marks_the_message_failed_and_requeue_retries_it(local, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import workers.inbound.decide as inbound

    add_reporter(local)
    message_id = store(local, "MEET 17 M10 F7")
    real = inbound.apply_command

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(inbound, "apply_command", broken)
    process_inbound(message_id, settings=local)
    message = row(local, message_id)
    assert message.status == "failed" and "boom" in message.reason
    monkeypatch.setattr(inbound, "apply_command", real)
    report = requeue(local)
    assert report.reset == 1
    assert row(local, message_id).status == "accepted"
    assert count(local, Record) == 1


def test_a_bug_in_one_message_does_not_stop_the_batch(local, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import workers.inbound.decide as inbound
    from workers.inbound.jobs import drain_inbound

    add_reporter(local)
    good = store(local, "MEET 17 M10 F7")
    bad = store(local, "MEET 18")
    real = inbound.apply_command

    def sometimes(session, settings, *, message, **kwargs):  # type: ignore[no-untyped-def]
        if message.id == bad:
            raise RuntimeError("boom")
        return real(session, settings, message=message, **kwargs)

    monkeypatch.setattr(inbound, "apply_command", sometimes)
    drain_inbound(good, settings=local)
    assert row(local, good).status == "accepted"
    assert row(local, bad).status == "failed"
    assert count(local, Record) == 1


def test_message_without_sender_is_ignored_silently(local) -> None:  # type: ignore[no-untyped-def]
    message_id = store(local, "MEET 5", sender=None)
    process_inbound(message_id, settings=local)
    assert row(local, message_id).status == "ignored"
    assert count(local, OutboundMessage) == 0


def test_purge_blanks_old_texts_and_keeps_records(local) -> None:  # type: ignore[no-untyped-def]
    add_reporter(local)
    old = store(local, "MEET 17 M10 F7", pid="old", when=datetime.now(UTC) - timedelta(days=40))
    new = store(local, "MEET 18", pid="new")
    pending = store(local, "MEET 19", pid="pending", when=datetime.now(UTC) - timedelta(days=40))
    process_inbound(old, new, settings=local)
    with session_scope(local) as s:
        for message_id in (old, pending):  # age is the stored time
            s.get(InboundMessage, message_id).stored_at = datetime.now(UTC) - timedelta(days=40)
    with session_scope(local) as s:
        assert purge_inbound(s, 30) == 1
    purged, kept, waiting = row(local, old), row(local, new), row(local, pending)
    assert purged.text is None and purged.sender is None and purged.text_key is None
    assert purged.record_id is not None and count(local, Record) == 2
    assert kept.text == "MEET 18" and kept.sender == PHONE
    assert waiting.text == "MEET 19"  # not processed yet: never purged
    with session_scope(local) as s:
        reply = s.scalar(select(OutboundMessage).where(OutboundMessage.inbound_id == old))
        assert reply.to == "" and reply.text == ""
        assert purge_inbound(s, 30) == 0


def test_concurrent_drains_process_each_message_once(local) -> None:  # type: ignore[no-untyped-def]
    import threading

    from sqlalchemy.exc import OperationalError

    from workers.inbound.jobs import drain_inbound

    local = local.with_(sender_hourly_limit=0)  # one sender, 250 replies: no hourly limit here
    add_reporter(local)
    now = datetime.now(UTC)
    ids = [store(local, f"MEET {n}", pid=f"c-{n}", when=now) for n in range(1, 251)]
    errors: list[Exception] = []

    def drain() -> None:
        try:
            drain_inbound(ids[0], settings=local)
        except OperationalError as exc:  # SQLite: one writer at a time; the loser retries later
            errors.append(exc)

    threads = [threading.Thread(target=drain) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not local.is_sqlite:
        assert errors == []  # PostgreSQL: SKIP LOCKED, no drain waits for or fails on another
    drain_inbound(ids[0], settings=local)  # what the retry or the sweep would do
    assert set(statuses_of(local, ids)) == {"accepted"}
    assert count(local, Record) == 250
    assert count(local, OutboundMessage) == 250


def statuses_of(settings, ids):  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return list(s.scalars(select(InboundMessage.status).where(InboundMessage.id.in_(ids))))


def test_a_sender_that_is_not_a_phone_number_gets_no_reply(local) -> None:  # type: ignore[no-untyped-def]
    message_id = store(local, "MEET 5", sender="InfoSMS")
    process_inbound(message_id, settings=local)
    message = row(local, message_id)
    assert (message.sender, message.status) == ("InfoSMS", "ignored")
    assert count(local, OutboundMessage) == 0


def test_store_inbound_says_whether_the_message_is_new(local) -> None:  # type: ignore[no-untyped-def]
    fields = dict(
        channel="sms",
        provider="at",
        provider_id="again",
        sender="01712345678",
        text="MEET 5",
        provider_time=datetime.now(UTC),
    )
    with session_scope(local) as s:
        first, created = store_inbound(s, local, InboundEnvelope(**fields))
        assert created and first.id is not None and first.status == "received"
    with session_scope(local) as s:
        second, created_again = store_inbound(s, local, InboundEnvelope(**fields))
        assert not created_again and second.id == first.id
    with session_scope(local) as s:  # twice in one transaction
        third, created = store_inbound(
            s, local, InboundEnvelope(**dict(fields, provider_id="twice"))
        )
        fourth, created_again = store_inbound(
            s, local, InboundEnvelope(**dict(fields, provider_id="twice"))
        )
        assert created and not created_again and fourth.id == third.id
