"""Provider values made safe to store: text any database takes, ids that fit, trusted times."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

ID_WIDTH = 120  # inbound_messages.provider_id, outbound_messages.provider_id, ussd_events
# The stored time wins over a provider time further ahead than this (a phone clock running
# fast, a year 2031 or 9999), and over one older than MAX_PROVIDER_LAG_DAYS.
FUTURE_SLACK = timedelta(minutes=10)
# Older than this the provider time is still used, but the message is flagged.
FLAG_AFTER = timedelta(hours=24)
CLOCK = "clock"

# PostgreSQL text cannot hold NUL, and no database encodes a lone UTF-16 surrogate (JSON
# `"\ud800"` decodes to one): both become U+FFFD, the rest is kept as received.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_PREFIX = 40  # a readable head; with "#" and the 64 hex digits of SHA-256: 105 characters


def storable(value: str) -> str:
    """`value` with the characters no database column can hold replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", value)


def provider_key(raw: str) -> str:
    """A provider id as stored and looked up: the id itself when it fits the column, else its
    head and the SHA-256 of the whole id (two ids sharing their first 120 characters never
    meet as one). Inbound, outbound and report lookups all go through this one function."""
    clean = storable(raw.strip())
    if len(clean) <= ID_WIDTH:
        return clean
    digest = hashlib.sha256(clean.encode()).hexdigest()
    return f"{clean[:_PREFIX]}#{digest}"


def _before(moment: datetime, delta: timedelta) -> datetime:
    try:
        return moment - delta
    except OverflowError:  # MAX_PROVIDER_LAG_DAYS set very high (replaying old traffic)
        return datetime.min.replace(tzinfo=UTC)


def received_time(
    provider: datetime | None, stored: datetime, max_lag_days: int
) -> tuple[datetime, bool]:
    """(the time a message counts as received, whether to flag it `clock`).

    The provider's time is used unless it is missing, out of any range, more than 10 minutes
    after `stored` or more than `max_lag_days` before it: then `stored` is. A provider time
    more than 24 hours old is used but flagged, so a wrong phone clock never dates a record
    unseen. `stored` is aware (UTC); so is the answer.
    """
    if provider is None or provider.tzinfo is None:
        return stored, True
    try:
        when = provider.astimezone(UTC)
    except (OverflowError, ValueError):  # 9999-12-31 at UTC-5, 0001-01-01 at UTC+6
        return stored, True
    if when > stored + FUTURE_SLACK or when < _before(stored, timedelta(days=max_lag_days)):
        return stored, True
    return when, when < stored - FLAG_AFTER


def with_flag(flags: str | None, flag: str) -> str:
    """Space-separated flags with `flag` added once."""
    words = (flags or "").split()
    return " ".join(words if flag in words else [*words, flag])
