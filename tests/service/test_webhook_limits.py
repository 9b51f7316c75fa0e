"""Bad input at the webhooks that once gave 500 or lost data (issue 8 items 12, 13, 14)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from sqlalchemy import select

from schemas.tables import InboundMessage, OutboundMessage, UssdEvent
from service import create_app
from workers.db import session_scope

URL = "/hooks/test-token"


def _chunked(client, path: str, body: bytes, content_type: str):  # type: ignore[no-untyped-def]
    # As a server hands on a `Transfer-Encoding: chunked` request: no Content-Length, the
    # stream ends where the body does (wsgi.input_terminated).
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type=content_type,
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def _smsgate_body(text: str) -> bytes:
    return json.dumps(
        {
            "event": "sms:received",
            "payload": {
                "message": text,
                "phoneNumber": "01712345678",
                "receivedAt": datetime.now(UTC).isoformat(),
            },
        }
    ).encode()


def _count(settings) -> int:  # type: ignore[no-untyped-def]
    with session_scope(settings) as s:
        return len(list(s.scalars(select(InboundMessage.id))))


def test_an_undeclared_body_past_the_limit_is_413_and_nothing_is_stored(settings) -> None:  # type: ignore[no-untyped-def]
    client = create_app(settings.with_(smsgate_allow_unsigned=True)).test_client()
    big = _smsgate_body("x" * (2 * 1024 * 1024))
    assert _chunked(client, f"{URL}/smsgate", big, "application/json").status_code == 413
    form = b"from=%2B8801712345678&to=21212&id=ATXid_big&text=" + b"x" * (2 * 1024 * 1024)
    assert (
        _chunked(client, f"{URL}/at/sms", form, "application/x-www-form-urlencoded").status_code
        == 413
    )
    assert _count(settings) == 0


def test_an_undeclared_body_within_the_limit_is_read_whole(settings) -> None:  # type: ignore[no-untyped-def]
    client = create_app(settings.with_(smsgate_allow_unsigned=True)).test_client()
    text = "MEET 12 " + "y" * 60_000  # close to the 64 KiB limit, under it
    response = _chunked(client, f"{URL}/smsgate", _smsgate_body(text), "application/json")
    assert response.status_code == 200
    with session_scope(settings) as s:
        assert s.scalars(select(InboundMessage.text)).one() == text


def test_a_nul_in_a_delivery_report_is_acknowledged(client, session) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    session.add(
        OutboundMessage(
            to="+8801711000001",
            text="OK",
            kind="reply",
            backend="x",
            status="sent",
            provider_id="ATXid_\ufffd1",
            created_at=now,
            updated_at=now,
        )
    )
    session.commit()
    response = client.post(
        f"{URL}/at/delivery",
        data={"id": "ATXid_\x001", "status": "Fail\x00ed", "failureReason": "a\x00b"},
    )
    assert response.status_code == 200
    response = client.post(f"{URL}/at/delivery", data={"id": "ATXid_\x001", "status": "Success"})
    assert response.status_code == 200
    session.expire_all()
    assert session.scalars(select(OutboundMessage.status)).one() == "delivered"


def test_a_nul_in_a_ussd_event_is_stored_safely(client, session) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        f"{URL}/at/ussd-events",
        data={
            "sessionId": "ATUid_\x00abc",
            "status": "Incomplete",
            "phoneNumber": "+88017\x0012",
            "input": "1*\x002",
            "errorMessage": "x\x00",
            "extra\x00": "v\x00",
        },
    )
    assert response.status_code == 200
    event = session.scalars(select(UssdEvent)).one()
    assert event.session_id == "ATUid_\ufffdabc" and event.input == "1*\ufffd2"


def test_two_long_ids_sharing_their_first_120_characters_are_both_stored(client, settings) -> None:  # type: ignore[no-untyped-def]
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    head = "ATXid_" + "7" * 130
    for n in (1, 2):
        form = {
            "from": "+8801712345678",
            "to": "21212",
            "text": f"MEET {n}",
            "date": date,
            "id": f"{head}-{n}",
        }
        assert client.post(f"{URL}/at/sms", data=form).status_code == 200
    with session_scope(settings) as s:
        rows = list(s.scalars(select(InboundMessage).order_by(InboundMessage.id)))
    assert [r.text for r in rows] == ["MEET 1", "MEET 2"]
    assert [r.extra["provider_id"] for r in rows] == [f"{head}-1", f"{head}-2"]
