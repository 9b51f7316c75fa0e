"""Africa's Talking incoming SMS: form -> stored inbound message -> 200 (never parsed inline)."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Response, abort, request

from service.hooks import bp
from service.web import settings
from workers.ingest import store_raw
from workers.intake import DB_DOWN, store_now
from workers.queue import QueueUnavailable, enqueue_strict

log = logging.getLogger("ashshash.hooks.at_sms")

REQUIRED = ("from", "to", "text", "id")
# `date` is expected but never worth refusing a message over: without a readable one the
# stored time is used and the message flagged `clock` (workers.ingest.inbound_values).
OPTIONAL = ("date", "linkId", "networkCode")


def _bad(field: str, why: str) -> None:
    abort(400, description=f"{why}: {field}")


def provider_time(raw: str, tz_name: str) -> datetime | None:
    """The callback's `date`, aware; None when it is no date at all.

    Africa's Talking has sent both `2017-05-03 06:04:45` and `2017-05-03T06:04:45Z` (courier,
    which has handled its callbacks for years, reads both): any ISO 8601 form is read, with
    a fractional second or an offset; one without an offset is in AT_CALLBACK_TZ (UTC).
    """
    when = _parsed_time(raw.strip())
    if when is None or when.tzinfo is not None:
        return when
    try:
        return when.replace(tzinfo=ZoneInfo(tz_name))
    except (ZoneInfoNotFoundError, ValueError):
        log.error("AT_CALLBACK_TZ %r is not a time zone; reading dates as UTC", tz_name)
        return when.replace(tzinfo=ZoneInfo("UTC"))


# Callbacks of the same second carry the same date string: parse each string once.
@lru_cache(maxsize=1024)
def _parsed_time(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw)  # Python 3.11+: "Z", offsets, fractions, " " or "T"
    except ValueError:
        return None


def _envelope() -> dict:
    form = request.form  # reading it enforces MAX_CONTENT_LENGTH (413)
    for name in REQUIRED:
        # `text` may be empty (that is a reply-worthy user mistake); the others may not.
        if name not in form or (name != "text" and not form[name].strip()):
            _bad(name, "missing field")
    raw_date = form.get("date", "")
    when = provider_time(raw_date, settings().at_callback_tz)
    if when is None:
        log.warning(
            "AT message %s has no readable date: stored with the time stored", form["id"][:60]
        )
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
    when = fields["provider_time"]
    # The time it arrived travels with it: the clock rule compares against that, not the
    # time the queue finally stored it.
    payload = dict(
        fields,
        provider_time=when.isoformat() if when else None,
        stored_at=datetime.now(UTC).isoformat(),
    )
    try:
        # RQ ids allow [A-Za-z0-9_-] only; a provider id may hold anything, so hash it.
        raw_id = payload["provider_id"].encode(errors="surrogatepass")
        digest = hashlib.sha256(raw_id).hexdigest()[:24]
        job_id = f"store_raw-{payload['provider']}-{digest}"
        enqueue_strict(settings(), store_raw, payload, job_id=job_id)
    except QueueUnavailable as qexc:
        log.error("database and queue both down (%s; %s): 503 so the provider retries", exc, qexc)
        return "Service Unavailable", 503
    log.warning(
        "database down (%s): message %s queued raw", type(exc).__name__, fields["provider_id"]
    )
    return "OK", 200
