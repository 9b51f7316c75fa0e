"""End to end on Africa's Talking: an SMS in, its reply out through the SDK to a local fake
AT server, then delivery reports for that reply, late and repeated ones included."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from schemas.tables import InboundMessage, OutboundMessage
from service import create_app
from tests.fakes.at_server import FakeAfricasTalking
from tests.senders import PHONE, add_reporter
from workers.db import session_scope
from workers.runtime import use_settings
from workers.settings import Settings


@pytest.fixture
def at_settings(settings: Settings, fake_at: FakeAfricasTalking) -> Settings:
    return settings.with_(
        sms_backend="africastalking",
        at_username="ashshash",
        at_api_key="key-123",
        at_sender_id="ASHSMS",
        at_api_base=fake_at.base_url,
    )


def finish_queued_jobs(settings: Settings) -> None:
    """With REDIS_URL the webhook only enqueues: a burst worker does the rest."""
    if settings.redis_url:
        from workers.worker import run_worker

        try:
            run_worker(settings, burst=True)
        finally:
            use_settings(None)


def test_reply_goes_out_through_africas_talking_and_is_delivered(
    at_settings: Settings, fake_at: FakeAfricasTalking
) -> None:
    add_reporter(at_settings, "activist")
    client = create_app(at_settings).test_client()
    inbound = {
        "from": PHONE,
        "to": "21212",
        "text": "HELP",
        "id": "ATXid_in_1",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    }
    assert client.post("/hooks/test-token/at/sms", data=inbound).status_code == 200
    finish_queued_jobs(at_settings)

    with session_scope(at_settings) as session:
        message = session.scalars(select(InboundMessage)).one()
        reply = session.scalars(select(OutboundMessage)).one()
        assert reply.inbound_id == message.id
        assert (reply.status, reply.backend, reply.provider_id) == (
            "sent",
            "africastalking",
            "ATXid_1",
        )
        assert reply.cost == "BDT 0.5000" and reply.attempts == 1
        text = reply.text
    (sent,) = fake_at.seen
    assert sent.form["to"] == PHONE and sent.form["from"] == "ASHSMS"
    assert sent.form["message"] == text

    for status in ("Submitted", "Success", "Sent", "Success"):  # a late Sent, a repeat
        report = {
            "id": "ATXid_1",
            "status": status,
            "phoneNumber": PHONE,
            "networkCode": "47001",
            "retryCount": "0",
        }
        assert client.post("/hooks/test-token/at/delivery", data=report).status_code == 200
    with session_scope(at_settings) as session:
        reply = session.scalars(select(OutboundMessage)).one()
        assert (reply.status, reply.provider_status) == ("delivered", "Success")
