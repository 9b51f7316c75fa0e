"""The smsgate backend against a local fake of the phone's API (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy.orm import Session

from schemas.tables import OutboundMessage
from workers.outbound.gateways import gateway_for
from workers.outbound.gateways.smsgate import SmsGateGateway
from workers.outbound.send import queue_reply, send_outbound
from workers.settings import Settings

NUMBER = "+8801711000001"


class FakePhone:
    """Answers POST /messages like SMS Gateway for Android's local server (v1.28+; `/message`
    too, as the app still serves it), or only the routes given; keeps what it saw."""

    def __init__(self, routes: tuple[str, ...] = ("/messages", "/message")) -> None:
        self.seen: list[dict] = []
        self.replies: list[tuple[int, str]] = []
        self.routes = routes
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                fake.seen.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "type": self.headers.get("Content-Type"),
                        "body": json.loads(self.rfile.read(length) or b"null"),
                    }
                )
                if self.path not in fake.routes:
                    status, body = 404, '{"message": "Not Found"}'
                else:
                    status, body = (
                        fake.replies.pop(0)
                        if fake.replies
                        else (
                            202,
                            json.dumps(
                                {
                                    "id": f"gw-{len(fake.seen)}",
                                    "state": "Pending",
                                    "recipients": [{"phoneNumber": NUMBER, "state": "Pending"}],
                                }
                            ),
                        )
                    )
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakePhone:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def phone() -> Iterator[FakePhone]:
    fake = FakePhone().start()
    try:
        yield fake
    finally:
        fake.stop()


def _gateway(phone: FakePhone) -> SmsGateGateway:
    return SmsGateGateway(phone.url + "/", "sms", "pa55word")


def test_posts_the_message_with_basic_auth(phone: FakePhone) -> None:
    result = _gateway(phone).send(NUMBER, "ধন্যবাদ, রেকর্ড 12")
    assert result.ok and result.provider_id == "gw-1" and result.status == "Pending"
    (seen,) = phone.seen
    assert seen["path"] == "/messages"
    assert seen["type"] == "application/json"
    assert seen["auth"] == "Basic " + base64.b64encode(b"sms:pa55word").decode()
    assert seen["body"] == {
        "textMessage": {"text": "ধন্যবাদ, রেকর্ড 12"},
        "phoneNumbers": [NUMBER],
        "withDeliveryReport": True,
    }


@pytest.mark.parametrize(
    ("status", "body", "ok", "retryable", "error"),
    [
        (401, '{"message": "Unauthorized"}', False, True, "HTTP 401: Unauthorized"),
        (400, '{"message": "invalid phone number"}', False, False, "invalid phone number"),
        (500, "oops", False, True, "HTTP 500"),
        (503, "", False, True, "HTTP 503"),
        (429, '{"message": "too many"}', False, True, "too many"),
        (202, '{"state": "Pending"}', False, True, "gave no id"),
        (
            202,
            '{"id": "gw-9", "state": "Failed", "recipients": [{"error": "no SIM"}]}',
            False,
            False,
            "no SIM",
        ),
        (200, '{"id": "gw-8", "state": "Sent"}', True, False, None),
    ],
)
def test_answers_are_classified(
    phone: FakePhone, status: int, body: str, ok: bool, retryable: bool, error: str | None
) -> None:
    phone.replies.append((status, body))
    result = _gateway(phone).send(NUMBER, "OK #12")
    assert result.ok is ok and result.retryable is retryable
    if error:
        assert error in (result.error or "")
    else:
        assert result.error is None


def test_phone_unreachable_is_retryable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    result = SmsGateGateway(f"http://127.0.0.1:{port}", "u", "p").send(NUMBER, "hi")
    assert not result.ok and result.retryable and "unreachable" in (result.error or "")


def test_missing_url_is_a_clear_permanent_error() -> None:
    result = SmsGateGateway(None, None, None).send(NUMBER, "hi")
    assert not result.ok and not result.retryable and "SMSGATE_URL" in (result.error or "")


def queue_and_send(session: Session, cfg: Settings, text: str) -> OutboundMessage | None:
    """Store a reply, run the send job on it, and read the row back as the job left it."""
    out = queue_reply(session, cfg, to=NUMBER, text=text, inbound_id=None)
    session.commit()
    send_outbound(out.id, settings=cfg)
    session.expire_all()
    return session.get(OutboundMessage, out.id)


def test_stored_reply_goes_out_through_the_phone(
    phone: FakePhone, settings: Settings, session: Session
) -> None:
    cfg = settings.with_(
        sms_backend="smsgate",
        smsgate_url=phone.url,
        smsgate_user="sms",
        smsgate_password="pa55word",
    )
    assert gateway_for(cfg).name == "smsgate"
    row = queue_and_send(session, cfg, "OK #12")
    assert row is not None and row.status == "sent" and row.provider_id == "gw-1"
    assert row.backend == "smsgate" and row.attempts == 1
    assert phone.seen[0]["body"]["phoneNumbers"] == [NUMBER]
    assert row.updated_at.replace(tzinfo=row.updated_at.tzinfo or UTC) <= datetime.now(UTC)


def test_retryable_failure_is_retried_then_sent(
    phone: FakePhone, settings: Settings, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workers.outbound.send.IN_PROCESS_DELAYS", (0.0,))
    phone.replies.append((503, ""))
    cfg = settings.with_(sms_backend="smsgate", smsgate_url=phone.url)
    row = queue_and_send(session, cfg, "OK #13")
    assert row is not None and row.status == "sent" and row.provider_id == "gw-2"
    assert len(phone.seen) == 2


def test_an_app_older_than_v1_28_is_reached_at_the_old_route() -> None:
    old = FakePhone(routes=("/message",)).start()
    try:
        gateway = _gateway(old)
        first = gateway.send(NUMBER, "one")
        second = gateway.send(NUMBER, "two")
    finally:
        old.stop()
    assert first.ok and second.ok
    # Tried /messages once, then stays on the route that works.
    assert [s["path"] for s in old.seen] == ["/messages", "/message", "/message"]


def test_a_404_on_every_route_is_a_configuration_fault_not_a_failure() -> None:
    nothing = FakePhone(routes=()).start()
    try:
        result = _gateway(nothing).send(NUMBER, "hi")
    finally:
        nothing.stop()
    assert not result.ok and result.retryable and result.config_fault
    assert "check SMSGATE_URL" in (result.error or "")


def test_a_500_names_an_app_too_old_for_text_messages(phone: FakePhone) -> None:
    phone.replies.append((500, '{"message": "Internal Server Error"}'))
    result = _gateway(phone).send(NUMBER, "hi")
    assert not result.ok and result.retryable
    assert "older than v1.39" in (result.error or "")


def test_replies_wait_queued_through_a_404_and_show_on_the_overview(
    settings: Settings, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.dashboard.providers import provider_notices
    from workers.outbound import send as outbound

    monkeypatch.setattr(outbound, "IN_PROCESS_DELAYS", ())
    nothing = FakePhone(routes=()).start()
    try:
        cfg = settings.with_(sms_backend="smsgate", smsgate_url=nothing.url)
        out = queue_reply(session, cfg, to=NUMBER, text="OK #14", inbound_id=None)
        session.commit()
        for _ in range(outbound.MAX_ATTEMPTS + 2):  # past the give-up count of other failures
            send_outbound(out.id, settings=cfg)
    finally:
        nothing.stop()
    session.expire_all()
    row = session.get(OutboundMessage, out.id)
    assert row is not None and row.status == "queued"
    assert row.attempts == outbound.MAX_ATTEMPTS + 2
    notices = provider_notices(session)
    assert notices.held == 1 and "check SMSGATE_URL" in (notices.held_reason or "")
