"""SMS Gateway for Android webhooks: received SMS into the pipeline, sent/delivered/failed reports.

The phone re-sends a webhook until it gets a 2xx, and its message ids are derived from the
content (not unique), so a received SMS is keyed by sender + text + receive time instead.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, request

from schemas.envelope import InboundEnvelope
from schemas.provider_values import storable
from schemas.status import OutboundStatus
from service.hooks import bp
from service.hooks.refusals import note_refusal
from service.web import db, settings
from workers.db import DB_DOWN
from workers.inbound.accept import Unavailable, accept
from workers.outbound.delivery import apply_delivery_report
from workers.phones import to_e164

log = logging.getLogger("ashshash.hooks.smsgate")

# Outbound events -> the words apply_delivery_report knows.
REPORTS = {
    "sms:sent": OutboundStatus.SENT,
    "sms:delivered": OutboundStatus.DELIVERED,
    "sms:failed": OutboundStatus.FAILED,
    "sms:cancelled": OutboundStatus.CANCELLED,
}


def skew_of(timestamp: str, now: float) -> int | None:
    """Seconds between the phone's X-Timestamp and our clock (positive: the phone is ahead)."""
    try:
        return int(timestamp.strip()) - int(now)
    except ValueError:
        return None


def signature_ok(
    key: str, raw: bytes, timestamp: str, signature: str, now: float, max_skew_s: int = 300
) -> bool:
    """X-Signature = hex HMAC-SHA256(key, raw body + X-Timestamp), timestamp within the skew."""
    skew = skew_of(timestamp, now)
    if skew is None or abs(skew) > max_skew_s:
        return False
    expected = hmac.new(key.encode(), raw + timestamp.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def _device(raw: bytes) -> str | None:
    """The device id an (unverified) body claims, for the log and the dashboard only."""
    match = re.search(rb'"deviceId"\s*:\s*"([A-Za-z0-9_-]{1,64})"', raw[:4096])
    return match.group(1).decode() if match else None


def _verify(raw: bytes) -> None:
    cfg = settings()
    key = cfg.smsgate_signing_key
    if not key:
        if cfg.smsgate_allow_unsigned:
            return
        # Unsigned posts would let anyone who learns the URL speak for any phone: the route
        # is off unless a key is set or SMSGATE_ALLOW_UNSIGNED=true says so on purpose.
        log.warning("smsgate webhook refused: no SMSGATE_SIGNING_KEY (route off)")
        abort(404)
    timestamp = request.headers.get("X-Timestamp", "")
    signature = request.headers.get("X-Signature", "")
    now = time.time()
    if (
        timestamp
        and signature
        and signature_ok(key, raw, timestamp, signature, now, cfg.smsgate_max_skew_s)
    ):
        return
    skew = skew_of(timestamp, now) if timestamp else None
    device = _device(raw)
    if skew is not None and abs(skew) > cfg.smsgate_max_skew_s:
        log.warning(
            "smsgate webhook refused: phone clock %+d s off (limit %d s) on device %s",
            skew,
            cfg.smsgate_max_skew_s,
            device or "unknown",
        )
    else:
        log.warning(
            "smsgate webhook refused: bad or missing signature from %s (device %s)",
            request.remote_addr,
            device or "unknown",
        )
    note_refusal(
        db(),
        device=device,
        skew_s=skew,
        reason="clock" if skew is not None and abs(skew) > cfg.smsgate_max_skew_s else "signature",
    )
    abort(401)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def received_time(raw: Any, tz_name: str) -> datetime | None:
    """`receivedAt` as sent (ISO 8601, the phone's offset; without one, the project zone).

    None when it is missing or unreadable: the message is still stored, with the time
    stored and the `clock` flag (workers.inbound.rows). A phone's clock is never a reason to lose
    the message it received.
    """
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        when = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz_name))


def provider_id(sender: str, text: str, when: datetime | None, raw_when: Any = None) -> str:
    """The dedupe key: the same SMS re-sent by the phone hashes to the same id.

    Keyed on the UTC second when the time can be converted (as it always was), else on the
    `receivedAt` text as sent, so a phone re-sending a 9999-12-31 message still repeats.
    """
    try:
        stamp = when.astimezone(UTC).isoformat(timespec="seconds") if when else None
    except (OverflowError, ValueError):
        stamp = None
    if stamp is None:
        stamp = f"raw:{raw_when}"
    key = f"{sender}\n{text}\n{stamp}".encode(errors="surrogatepass")
    return hashlib.sha256(key).hexdigest()


def _event() -> tuple[str, dict[str, Any], dict[str, Any]]:
    raw = request.get_data(cache=True)  # raw bytes first: the signature covers them as sent
    _verify(raw)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past any use
        abort(400, description="body is not JSON")
    if not isinstance(body, dict) or not isinstance(body.get("event"), str):
        abort(400, description="missing field: event")
    payload = body.get("payload")
    return body["event"], (payload if isinstance(payload, dict) else {}), body


def _received(payload: dict[str, Any], body: dict[str, Any]) -> tuple[str, int]:
    sender = _text(payload.get("phoneNumber")) or _text(payload.get("sender"))
    text = payload.get("message")
    if sender is None:
        abort(400, description="missing field: payload.phoneNumber")
    if not isinstance(text, str):
        abort(400, description="missing field: payload.message")
    cfg = settings()
    raw_when = payload.get("receivedAt")
    when = received_time(raw_when, cfg.timezone)
    extra = {k: str(body[k])[:120] for k in ("id", "deviceId", "webhookId") if body.get(k)}
    extra.update(
        {
            k: str(payload[k])[:120]
            for k in ("messageId", "simNumber", "recipient")
            if payload.get(k) is not None
        }
    )
    if when is None and raw_when is not None:
        extra["receivedAt"] = str(raw_when)[:120]  # unreadable: kept as sent
    envelope = InboundEnvelope(
        channel="sms",
        provider="smsgate",
        # Keyed on the number as E.164, so `017...` and `+88017...` are one sender.
        provider_id=provider_id(
            to_e164(sender, cfg.default_region) or sender.strip(), text, when, raw_when
        ),
        sender=sender.strip(),
        text=text,
        provider_time=when,
        to=_text(payload.get("recipient")),
        extra=extra,
    )
    try:
        # Stored (or, the database down, queued raw) and handed on, as every channel is.
        accept(cfg, envelope)
    except Unavailable:
        log.error("database and queue down: 503 so the phone sends this webhook again")
        return "Service Unavailable", 503
    return "OK", 200


def _report(event: str, payload: dict[str, Any]) -> tuple[str, int]:
    message_id = _text(payload.get("messageId"))
    if message_id is None:
        abort(400, description="missing field: payload.messageId")
    session = db()
    reason = payload.get("reason")
    if event == "sms:cancelled":
        reason = "cancelled on the phone before it was sent"
    try:
        found = apply_delivery_report(
            session,
            provider_id=message_id,
            status=REPORTS[event],
            failure_reason=storable(str(reason))[:200] if reason else None,
        )
        session.commit()
    except DB_DOWN:
        session.rollback()
        log.error("database down: 503 so the phone sends this report again")
        return "Service Unavailable", 503
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
    # system:ping, sms:data-received, mms:*, app:started, ...: acknowledged, nothing to keep.
    return "OK", 200
