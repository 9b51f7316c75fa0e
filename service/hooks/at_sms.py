"""Africa's Talking incoming SMS: form -> envelope -> accept -> 200 (never parsed inline)."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Response, abort, request

from schemas.envelope import InboundEnvelope
from service.hooks import bp
from service.web import settings
from workers.inbound.accept import Unavailable, accept

log = logging.getLogger("ashshash.hooks.at_sms")

REQUIRED = ("from", "to", "text", "id")
# `date` is expected but never worth refusing a message over: without a readable one the
# stored time is used and the message flagged `clock` (workers.inbound.rows.inbound_values).
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


def _envelope() -> InboundEnvelope:
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
    return InboundEnvelope(
        channel="sms",
        provider="at",
        provider_id=form["id"].strip(),
        sender=form["from"].strip(),
        to=form["to"].strip() or None,
        text=form["text"],
        provider_time=when,
        extra=extra,
    )


@bp.post("/at/sms")
def at_sms() -> Response | tuple[str, int]:
    envelope = _envelope()
    try:
        # Stored and committed when it returns (or queued raw: the database is down), and
        # handed on: a failure from there on is the sweep's to fix, not the provider's.
        accept(settings(), envelope)
    except Unavailable:
        return "Service Unavailable", 503
    return "OK", 200
