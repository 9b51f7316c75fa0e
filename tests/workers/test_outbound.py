"""Replies are stored first, sent by a job, retried when it may help, failed with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import workers.outbound.send as outbound
from schemas.tables import InboundMessage, OutboundMessage
from tests.fakes.at_server import FakeAfricasTalking, Reply
from workers.db import session_scope
from workers.outbound.send import queue_reply, send_outbound, unsent_ids
from workers.settings import Settings

NUMBER = "+8801711000001"


def recipient(code: int, status: str, message_id: str = "None") -> dict:
    return {
        "SMSMessageData": {
            "Message": "Sent to 0/1",
            "Recipients": [
                {
                    "statusCode": code,
                    "number": NUMBER,
                    "status": status,
                    "cost": "0",
                    "messageId": message_id,
                }
            ],
        }
    }


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    # Same number of in-process attempts, without the real pauses between them.
    monkeypatch.setattr(outbound, "IN_PROCESS_DELAYS", (0.0, 0.0))


def make_inbound(
    session: Session, provider_id: str = "in-1", text: str = "MEET 20 10 10"
) -> InboundMessage:
    now = datetime.now(UTC)
    message = InboundMessage(
        channel="sms",
        provider="at",
        provider_id=provider_id,
        sender=NUMBER,
        text=text,
        provider_time=now,
        stored_at=now,
        status="accepted",
    )
    session.add(message)
    session.flush()
    return message


def queued(settings: Settings, text: str = "Thanks, record 1 saved") -> int:
    with session_scope(settings) as session:
        inbound = make_inbound(session)
        return queue_reply(session, settings, to=NUMBER, text=text, inbound_id=inbound.id).id


def load(settings: Settings, outbound_id: int) -> OutboundMessage:
    with session_scope(settings) as session:
        message = session.get(OutboundMessage, outbound_id)
        assert message is not None
        session.expunge(message)
        return message


def at(settings: Settings, fake: FakeAfricasTalking) -> Settings:
    # One request at a time: these tests script the fake's answers in request order.
    return settings.with_(
        sms_backend="africastalking",
        at_username="ashshash",
        at_api_key="k",
        at_api_base=fake.base_url,
        send_concurrency=1,
    )


# --- storing ---------------------------------------------------------------------------


def test_queue_reply_stores_a_queued_message(session: Session, settings: Settings) -> None:
    inbound = make_inbound(session)
    message = queue_reply(session, settings, to=NUMBER, text="hello", inbound_id=inbound.id)
    assert message.id is not None
    assert (message.status, message.backend, message.kind, message.attempts) == (
        "queued",
        "outbox",
        "reply",
        0,
    )
    assert message.created_at.tzinfo is not None


def test_queue_reply_does_not_commit(session: Session, settings: Settings) -> None:
    queue_reply(session, settings, to=NUMBER, text="hello", inbound_id=None)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0


def test_one_reply_per_inbound_message(session: Session, settings: Settings) -> None:
    inbound = make_inbound(session)
    first = queue_reply(session, settings, to=NUMBER, text="first", inbound_id=inbound.id)
    again = queue_reply(session, settings, to=NUMBER, text="second", inbound_id=inbound.id)
    session.commit()
    assert again.id == first.id and again.text == "first"
    assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 1


def test_messages_without_inbound_are_each_kept(session: Session, settings: Settings) -> None:
    a = queue_reply(session, settings, to=NUMBER, text="a", inbound_id=None, kind="manual")
    b = queue_reply(session, settings, to=NUMBER, text="b", inbound_id=None, kind="manual")
    assert a.id != b.id
    assert unsent_ids(session) == [a.id, b.id]


def test_backend_is_the_configured_one(session: Session, settings: Settings) -> None:
    message = queue_reply(
        session, settings.with_(sms_backend="smsgate"), to=NUMBER, text="x", inbound_id=None
    )
    assert message.backend == "smsgate"


# --- outbox ----------------------------------------------------------------------------


def test_outbox_marks_the_message_sent_to_outbox(settings: Settings) -> None:
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=settings)
    message = load(settings, outbound_id)
    assert (message.status, message.provider_status, message.backend) == (
        "sent",
        "outbox",
        "outbox",
    )
    assert (message.provider_id, message.cost, message.failure_reason) == (None, None, None)
    assert message.attempts == 1


def test_sending_twice_sends_once(settings: Settings) -> None:
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=settings)
    send_outbound(outbound_id, settings=settings)
    assert load(settings, outbound_id).attempts == 1


def test_a_missing_message_sends_nothing_and_raises_nothing(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    outbound_id = queued(settings)
    send_outbound(outbound_id + 999, settings=at(settings, fake_at))  # no such row: no error
    assert fake_at.seen == []
    message = load(settings, outbound_id)  # the one stored message is left alone
    assert (message.status, message.attempts) == ("queued", 0)
    with session_scope(settings) as session:
        assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 1


# --- africastalking ----------------------------------------------------------------------


def test_accepted_message_keeps_provider_id_and_cost(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    outbound_id = queued(settings, "ধন্যবাদ")
    send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)
    assert (message.status, message.provider_status) == ("sent", "Success")
    assert (message.provider_id, message.cost) == ("ATXid_1", "BDT 0.5000")
    assert message.backend == "africastalking" and message.attempts == 1
    assert fake_at.seen[0].form["message"] == "ধন্যবাদ"


def test_low_balance_is_retried_then_sent(settings: Settings, fake_at: FakeAfricasTalking) -> None:
    fake_at.script(Reply(body=recipient(405, "InsufficientBalance")))
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)
    assert message.status == "sent" and message.attempts == 2
    assert message.failure_reason is None
    assert len(fake_at.seen) == 2


def test_outage_leaves_the_message_queued_with_its_reason(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    fake_at.script(
        Reply(status=500, content_type="text/plain", body="Internal Server Error"),
        Reply(body=recipient(502, "RejectedByGateway")),
        Reply(status=502, content_type="text/html", body="<h1>Bad Gateway</h1>"),
    )
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)
    assert message.status == "queued" and message.attempts == 3
    assert "Bad Gateway" in (message.failure_reason or "")
    with session_scope(settings) as session:
        assert unsent_ids(session) == [outbound_id]
    # What `ashshash requeue` does once the provider is back.
    send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)
    assert message.status == "sent" and message.attempts == 4
    assert message.failure_reason is None


def test_permanent_refusal_fails_at_once_with_reason(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    fake_at.script(Reply(body=recipient(401, "RiskHold")))
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)
    assert (message.status, message.provider_status) == ("failed", "RiskHold")
    assert message.failure_reason == "RiskHold (401)"
    assert message.attempts == 1 and len(fake_at.seen) == 1


def test_invalid_sender_id_fails_with_reason(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    fake_at.script(Reply(body={"SMSMessageData": {"Message": "InvalidSenderId", "Recipients": []}}))
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=at(settings, fake_at).with_(at_sender_id="NOPE"))
    message = load(settings, outbound_id)
    assert (message.status, message.failure_reason) == ("failed", "InvalidSenderId")
    assert message.provider_id is None


def test_long_provider_status_fits_its_column(
    settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    fake_at.script(Reply(body=recipient(409, "DoNotDisturbRejection")))
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)
    assert message.status == "failed" and message.provider_status == "DoNotDisturbRejectio"
    assert message.failure_reason == "DoNotDisturbRejection (409)"


def test_retryable_failure_gives_up_after_max_attempts(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbound, "MAX_ATTEMPTS", 2)
    fake_at.script(*[Reply(body=recipient(500, "InternalServerError")) for _ in range(3)])
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)
    assert message.status == "failed" and message.attempts == 2
    assert message.failure_reason == "gave up after 2 attempts: InternalServerError (500)"


def test_in_an_rq_job_a_retryable_failure_raises_after_recording(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbound, "_rq_queue", lambda: "outbound")
    fake_at.script(Reply(body=recipient(405, "InsufficientBalance")))
    outbound_id = queued(settings)
    with pytest.raises(outbound.RetryableSendError):
        send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)  # committed before raising: RQ's retry sees it
    assert message.status == "queued" and message.attempts == 1
    assert message.failure_reason == "InsufficientBalance (405)"
    assert len(fake_at.seen) == 1  # RQ backs off; no in-process retry inside a job


def test_unreachable_provider_stays_queued(settings: Settings) -> None:
    dead = settings.with_(
        sms_backend="africastalking",
        at_username="ashshash",
        at_api_key="k",
        at_api_base="http://127.0.0.1:9/version1",
    )
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=dead)
    message = load(settings, outbound_id)
    assert message.status == "queued" and message.attempts == 3
    assert "could not reach" in (message.failure_reason or "")


def test_one_job_sends_several_messages(settings: Settings, fake_at: FakeAfricasTalking) -> None:
    with session_scope(settings) as session:
        ids = [
            queue_reply(session, settings, to=NUMBER, text=t, inbound_id=None, kind="manual").id
            for t in ("one", "two")
        ]
    send_outbound(*ids, settings=at(settings, fake_at))
    assert [load(settings, i).status for i in ids] == ["sent", "sent"]
    assert [s.form["message"] for s in fake_at.seen] == ["one", "two"]


def test_in_an_rq_job_only_unsent_messages_make_it_raise(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbound, "_rq_queue", lambda: "outbound")
    fake_at.script(Reply(body=recipient(101, "Success", "ATXid_ok")), Reply(status=503, body=""))
    with session_scope(settings) as session:
        ids = [
            queue_reply(session, settings, to=NUMBER, text=t, inbound_id=None).id
            for t in ("one", "two")
        ]
    with pytest.raises(outbound.RetryableSendError, match=rf"\[{ids[1]}\]"):
        send_outbound(*ids, settings=at(settings, fake_at))
    assert [load(settings, i).status for i in ids] == ["sent", "queued"]


def test_slow_failure_is_not_repeated_in_process(
    settings: Settings, fake_at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whoever runs an in-process job is waiting: one slow failure is enough for now.
    monkeypatch.setattr(outbound, "IN_PROCESS_SLOW", 0.2)
    fake_at.script(Reply(status=503, content_type="text/plain", body="busy", delay=0.4))
    outbound_id = queued(settings)
    send_outbound(outbound_id, settings=at(settings, fake_at))
    message = load(settings, outbound_id)
    assert (message.status, message.attempts) == ("queued", 1)
    assert len(fake_at.seen) == 1
