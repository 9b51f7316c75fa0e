"""SMS Gateway for Android webhooks: received SMS into the pipeline, sent/delivered/failed reports.

The phone re-sends a webhook until it gets a 2xx, and its message ids are derived from the
content (not unique), so a received SMS is keyed by sender + text + receive time instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from service.hooks import bp
from service.web import db, settings
from workers.ingest import dispatch, store_inbound
from workers.outbound import apply_delivery_report
from workers.phones import to_e164

log = logging.getLogger("ashshash.hooks.smsgate")

MAX_SKEW_S = 5 * 60  # a signed timestamp older (or newer) than this is a replay: 401
DB_DOWN = (OperationalError, InterfaceError, PoolTimeout)
# Outbound events -> the words apply_delivery_report knows.
REPORTS = {"sms:sent": "sent", "sms:delivered": "delivered", "sms:failed": "failed"}


def signature_ok(key: str, raw: bytes, timestamp: str, signature: str, now: float) -> bool:
    """X-Signature = hex HMAC-SHA256(key, raw body + X-Timestamp), timestamp within 5 minutes."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > MAX_SKEW_S:
        return False
    expected = hmac.new(key.encode(), raw + timestamp.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def _verify(raw: bytes) -> None:
    key = settings().smsgate_signing_key
    if not key:
        return
    timestamp = request.headers.get("X-Timestamp", "")
    signature = request.headers.get("X-Signature", "")
    if not (timestamp and signature and signature_ok(key, raw, timestamp, signature, time.time())):
        log.warning("smsgate webhook refused: bad or missing signature from %s",
                    request.remote_addr)
        abort(401)


def received_time(raw: Any, tz_name: str) -> datetime:
    """`receivedAt` as sent (ISO 8601, the phone's offset); without one, the project zone."""
    if isinstance(raw, str) and raw.strip():
        try:
            when = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            abort(400, description="bad field: payload.receivedAt")
        return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz_name))
    return datetime.now(UTC)


def provider_id(sender: str, text: str, when: datetime) -> str:
    """The dedupe key: the same SMS re-sent by the phone hashes to the same id."""
    stamp = when.astimezone(UTC).isoformat(timespec="seconds")
    return hashlib.sha256(f"{sender}\n{text}\n{stamp}".encode()).hexdigest()


def _event() -> tuple[str, dict[str, Any], dict[str, Any]]:
    raw = request.get_data(cache=True)  # raw bytes first: the signature covers them as sent
    _verify(raw)
    try:
        body = json.loads(raw)
    except ValueError:
        abort(400, description="body is not JSON")
    if not isinstance(body, dict) or not isinstance(body.get("event"), str):
        abort(400, description="missing field: event")
    payload = body.get("payload")
    return body["event"], (payload if isinstance(payload, dict) else {}), body


def _received(payload: dict[str, Any], body: dict[str, Any]) -> tuple[str, int]:
    sender = payload.get("phoneNumber") or payload.get("sender")
    text = payload.get("message")
    if not isinstance(sender, str) or not sender.strip():
        abort(400, description="missing field: payload.phoneNumber")
    if not isinstance(text, str):
        abort(400, description="missing field: payload.message")
    cfg = settings()
    when = received_time(payload.get("receivedAt"), cfg.timezone)
    extra = {k: str(body[k])[:120] for k in ("id", "deviceId", "webhookId") if body.get(k)}
    extra.update({k: str(payload[k])[:120] for k in ("messageId", "simNumber", "recipient")
                  if payload.get(k) is not None})
    session = db()
    try:
        message, created = store_inbound(
            session, cfg, channel="sms", provider="smsgate",
            # Keyed on the number as E.164, so `017...` and `+88017...` are one sender.
            provider_id=provider_id(to_e164(sender, cfg.default_region) or sender.strip(), text,
                                    when),
            sender=sender.strip(),
            text=text, provider_time=when, to=payload.get("recipient") or None, extra=extra,
        )
        session.commit()
    except DB_DOWN:
        session.rollback()
        log.error("database down: 503 so the phone sends this webhook again")
        return "Service Unavailable", 503
    if created or message.status == "received":
        try:
            dispatch(cfg, message.id)
        except Exception:
            log.exception("stored inbound %s, but could not hand it on", message.id)
    return "OK", 200


def _report(event: str, payload: dict[str, Any]) -> tuple[str, int]:
    message_id = payload.get("messageId")
    if not isinstance(message_id, str) or not message_id:
        abort(400, description="missing field: payload.messageId")
    session = db()
    reason = payload.get("reason")
    found = apply_delivery_report(session, provider_id=message_id, status=REPORTS[event],
                                  failure_reason=str(reason)[:200] if reason else None)
    session.commit()
    if found is None:
        log.info("smsgate %s for unknown message %s", event, message_id)
    return "OK", 200


@bp.post("/smsgate")
def smsgate() -> tuple[str, int]:
    event, payload, body = _event()
    if event == "sms:received":
        return _received(payload, body)
    if event in REPORTS:
        return _report(event, payload)
    return "OK", 200  # system:ping, mms:received, ...: acknowledged, nothing to keep
