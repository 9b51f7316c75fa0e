"""Africa's Talking incoming SMS: form -> stored inbound message -> 200 (never parsed inline)."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Response, abort, request

from service.hooks import bp
from service.web import settings
from workers.ingest import store_raw
from workers.intake import DB_DOWN, store_now
from workers.queue import QueueUnavailable, enqueue_strict

log = logging.getLogger("ashshash.hooks.at_sms")

REQUIRED = ("from", "to", "text", "date", "id")
OPTIONAL = ("linkId", "networkCode")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S")


def _bad(field: str, why: str) -> None:
    abort(400, description=f"{why}: {field}")


def provider_time(raw: str, tz_name: str) -> datetime:
    """`YYYY-MM-DD HH:MM:SS` in the callback time zone (UTC unless AT_CALLBACK_TZ), aware."""
    naive = _naive_time(raw)
    if naive is None:
        raise ValueError(raw)
    try:
        return naive.replace(tzinfo=ZoneInfo(tz_name))
    except (ZoneInfoNotFoundError, ValueError):
        log.error("AT_CALLBACK_TZ %r is not a time zone; reading dates as UTC", tz_name)
        return naive.replace(tzinfo=ZoneInfo("UTC"))


# Callbacks of the same second carry the same date string; strptime is the costly part.
@lru_cache(maxsize=1024)
def _naive_time(raw: str) -> datetime | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt)
        except ValueError:
            continue
    return None


def _envelope() -> dict:
    form = request.form  # reading it enforces MAX_CONTENT_LENGTH (413)
    for name in REQUIRED:
        # `text` may be empty (that is a reply-worthy user mistake); the others may not.
        if name not in form or (name != "text" and not form[name].strip()):
            _bad(name, "missing field")
    try:
        when = provider_time(form["date"], settings().at_callback_tz)
    except ValueError:
        _bad("date", "bad field (want YYYY-MM-DD HH:MM:SS)")
    extra = {k: form[k][:200] for k in form if k not in REQUIRED}
    return {
        "channel": "sms",
        "provider": "at",
        "provider_id": form["id"].strip(),
        "sender": form["from"].strip(),
        "to": form["to"].strip() or None,
        "text": form["text"],
        "provider_time": when,
        "extra": extra,
    }


@bp.post("/at/sms")
def at_sms() -> Response | tuple[str, int]:
    fields = _envelope()
    cfg = settings()
    try:
        # Committed when it returns (the commit shared with concurrent callbacks), and the
        # message handed on: a failure from there on is the sweep's to fix, not the provider's.
        store_now(cfg, **fields)
    except DB_DOWN as exc:
        return _queue_raw(fields, exc)
    return "OK", 200


def _queue_raw(fields: dict, exc: Exception) -> tuple[str, int]:
    """Database down: the queue keeps the raw message until `store_raw` can store it."""
    payload = dict(fields, provider_time=fields["provider_time"].isoformat())
    try:
        # RQ ids allow [A-Za-z0-9_-] only; a provider id may hold anything, so hash it.
        digest = hashlib.sha256(payload["provider_id"].encode()).hexdigest()[:24]
        job_id = f"store_raw-{payload['provider']}-{digest}"
        enqueue_strict(settings(), store_raw, payload, job_id=job_id)
    except QueueUnavailable as qexc:
        log.error("database and queue both down (%s; %s): 503 so the provider retries", exc, qexc)
        return "Service Unavailable", 503
    log.warning(
        "database down (%s): message %s queued raw", type(exc).__name__, fields["provider_id"]
    )
    return "OK", 200
