"""SMS Gateway for Android webhooks, table-driven from tests/data/smsgate_cases.json."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from schemas.tables import AuditEntry, InboundMessage, OutboundMessage, Record, Reporter
from service import create_app

CASES = json.loads((Path(__file__).parents[1] / "data" / "smsgate_cases.json").read_text("utf-8"))
DHAKA = ZoneInfo("Asia/Dhaka")


@pytest.fixture
def client(settings):  # type: ignore[no-untyped-def]
    """The app with the unsigned webhook switched on on purpose (the tests below sign nothing)."""
    app = create_app(settings.with_(smsgate_allow_unsigned=True))
    app.config["TESTING"] = True
    return app.test_client()


def _headers(case: dict, raw: bytes) -> dict[str, str]:
    mode, key = case["sign"], case.get("key", "")
    now = int(time.time())
    skew = int(mode.split(":")[1]) if mode.startswith("skew:") else 0
    stamp = {"stale": now - 301, "future": now + 301}.get(mode, now + skew)
    ts = "soon" if mode == "garbled" else str(stamp)
    if mode == "none":
        return {}
    signed = raw + b" " if mode == "tampered" else raw
    used_key = "other-key" if mode == "bad" else key
    sig = hmac.new(used_key.encode(), signed + ts.encode(), hashlib.sha256).hexdigest()
    return {"X-Signature": sig, "X-Timestamp": ts}


_AGO = re.compile(r"\{ago:(-?\d+)\}")


def _when(text: str, now: datetime) -> str:
    """`{ago:N}` -> the time N seconds before `now`, as the app writes it (ms, offset)."""

    def stamp(match: re.Match[str]) -> str:
        moment = (now - timedelta(seconds=int(match.group(1)))).astimezone(DHAKA)
        return moment.isoformat(timespec="milliseconds")

    return _AGO.sub(stamp, text)


def _stored(app) -> list[InboundMessage]:  # type: ignore[no-untyped-def]
    from workers.db import session_scope

    with session_scope(app.extensions["ashshash.settings"]) as s:
        return list(s.scalars(select(InboundMessage).order_by(InboundMessage.id)))


def _refusals(app) -> list[dict]:  # type: ignore[no-untyped-def]
    from workers.db import session_scope

    with session_scope(app.extensions["ashshash.settings"]) as s:
        return [
            d
            for d in s.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == "webhook_refused")
            )
        ]


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=value.tzinfo or UTC)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_smsgate_case(settings, case) -> None:  # type: ignore[no-untyped-def]
    # Most cases replay fixed 2026-03 traffic: the lag is raised as an operator replaying
    # history would; the clock cases set MAX_PROVIDER_LAG_DAYS as deployed (7).
    app = create_app(
        settings.with_(
            smsgate_signing_key=case.get("key"),
            smsgate_allow_unsigned=case.get("allow_unsigned", False),
            smsgate_max_skew_s=case.get("max_skew_s", 300),
            max_provider_lag_days=case.get("lag_days", 36500),
        )
    )
    client = app.test_client()
    token = case.get("token", settings.webhook_token)
    bodies = case.get("bodies") or [case.get("body")] * case.get("repeat", 1)
    now = datetime.now(UTC).replace(microsecond=0)
    for body in bodies:
        text = case["raw"] if "raw" in case else json.dumps(body, ensure_ascii=False)
        raw = _when(text, now).encode(errors="surrogatepass")
        response = client.post(
            f"/hooks/{token}/smsgate",
            data=raw,
            headers={"Content-Type": "application/json", **_headers(case, raw)},
        )
        assert response.status_code == case["expect_status"], response.get_data(as_text=True)
    rows = _stored(app)
    assert len(rows) == case["expect_stored"]
    if "expect_refusal" in case:
        noted = _refusals(app)
        assert len(noted) == 1
        want = case["expect_refusal"]
        assert noted[0]["device"] == want["device"] and noted[0]["reason"] == want["reason"]
        assert abs(noted[0]["skew_s"] - want["skew_s"]) <= 2
    if rows:
        row = rows[0]
        assert (row.channel, row.provider) == ("sms", "smsgate")
        if "expect_sender" in case:
            assert row.sender == case["expect_sender"]
        if "expect_text" in case:
            assert row.text == case["expect_text"]
        if "expect_flags" in case:
            assert row.flags == case["expect_flags"]
        expected = case.get("expect_provider_time")
        if expected == "stored":
            assert _aware(row.provider_time) == _aware(row.stored_at)
            assert "provider_time" in (row.extra or {}) or "receivedAt" in (row.extra or {})
        elif expected:
            assert _aware(row.provider_time) == datetime.fromisoformat(_when(expected, now))


def _post(client, body: dict):  # type: ignore[no-untyped-def]
    return client.post("/hooks/test-token/smsgate", json=body)


def _process_queued(settings) -> None:  # type: ignore[no-untyped-def]
    """With REDIS_URL the webhook only enqueues: a burst worker finishes the work."""
    if settings.redis_url:
        from workers.runtime import use_settings
        from workers.worker import run_worker

        try:
            run_worker(settings, burst=True)
        finally:
            use_settings(None)


def test_received_sms_goes_through_the_pipeline(client, session, settings) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC).replace(microsecond=0)
    session.add(
        Reporter(
            phone="+8801712345678",
            name="Rina",
            role="activist",
            union="Nalta",
            upazila="Kaliganj",
            language="en",
            active=True,
            created_at=now,
        )
    )
    session.commit()
    body = {
        "event": "sms:received",
        "id": "e1",
        "payload": {
            "messageId": "m1",
            "message": "MEET 12 M5 F7",
            "phoneNumber": "01712345678",
            "receivedAt": now.isoformat(),
        },
    }
    assert _post(client, body).status_code == 200
    assert _post(client, body).status_code == 200  # the phone re-sends: nothing new happens
    _process_queued(settings)
    session.expire_all()
    message = session.scalar(select(InboundMessage))
    assert message is not None and message.status == "accepted"
    record = session.scalar(select(Record))
    assert record is not None and record.channel == "sms" and record.total == 12
    replies = list(session.scalars(select(OutboundMessage)))
    assert len(replies) == 1 and replies[0].text.startswith(f"OK #{record.id}")


def _outbound(session, provider_id: str, status: str = "sent") -> OutboundMessage:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    row = OutboundMessage(
        to="+8801712345678",
        text="OK",
        kind="reply",
        backend="smsgate",
        status=status,
        provider_id=provider_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.commit()
    return row


def test_delivery_events_update_the_outbound_message(client, session) -> None:  # type: ignore[no-untyped-def]
    delivered = _outbound(session, "gw-1")
    failed = _outbound(session, "gw-2")
    events = [
        ("sms:sent", "gw-1", None),
        ("sms:delivered", "gw-1", None),
        ("sms:failed", "gw-1", "late"),
        ("sms:sent", "gw-1", None),
        ("sms:failed", "gw-2", "RESULT_ERROR_GENERIC_FAILURE"),
    ]
    for event, message_id, reason in events:
        payload = {
            "messageId": message_id,
            "phoneNumber": "+8801712345678",
            **({"reason": reason} if reason else {}),
        }
        assert _post(client, {"event": event, "id": "x", "payload": payload}).status_code == 200
    session.expire_all()
    # A multipart reply: one part delivered, one failed. The failed part wins.
    half = session.get(OutboundMessage, delivered.id)
    assert half.status == "failed" and half.failure_reason == "late"
    row = session.get(OutboundMessage, failed.id)
    assert row.status == "failed" and row.failure_reason == "RESULT_ERROR_GENERIC_FAILURE"


def test_report_for_an_unknown_message_is_acknowledged(client) -> None:  # type: ignore[no-untyped-def]
    body = {"event": "sms:delivered", "id": "x", "payload": {"messageId": "nope"}}
    assert _post(client, body).status_code == 200
    assert _post(client, {"event": "sms:failed", "payload": {}}).status_code == 400


def test_database_down_answers_503_so_the_phone_retries(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Database down and no queue to hand the message to: nothing kept, so the phone retries.
    With the queue up the message waits there instead: tests/workers/test_queue.py."""
    from sqlalchemy.exc import OperationalError

    client = create_app(settings.with_(smsgate_allow_unsigned=True, redis_url=None)).test_client()

    def down(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr("workers.inbound.accept.store_grouped", down)
    body = {
        "event": "sms:received",
        "id": "e1",
        "payload": {"messageId": "m1", "message": "MEET 12", "phoneNumber": "01712345678"},
    }
    assert _post(client, body).status_code == 503
    assert _stored(client.application) == []


REPORTS = json.loads(
    (Path(__file__).parents[1] / "data" / "smsgate_report_cases.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", REPORTS["cases"], ids=[c["name"] for c in REPORTS["cases"]])
def test_outbound_events_end_in_the_right_state(client, session, case) -> None:  # type: ignore[no-untyped-def]
    row = _outbound(session, "gw-1")
    for event in case["events"]:
        assert _post(client, event).status_code == 200
    session.expire_all()
    found = session.get(OutboundMessage, row.id)
    assert (found.status, found.failure_reason) == (
        case["expect"]["status"],
        case["expect"]["failure_reason"],
    )
