"""Every status word the tables store (message, outbound, record), as enums in one place.

The values are the words stored in the database (and shown by the dashboard and the API);
a `StrEnum` member compares equal to its word, so rows written before these existed, and
queries against them, read the same.
"""

from __future__ import annotations

from enum import StrEnum


class MessageStatus(StrEnum):
    """An inbound message: stored, then decided once (or failed on a bug)."""

    RECEIVED = "received"  # stored, waiting to be processed
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"  # a stranger, a retired reporter, or only filler (`ok`, 👍)
    FAILED = "failed"  # a bug, not a user mistake: `ashshash requeue` retries it


class OutboundStatus(StrEnum):
    """A message to send: queued -> sent -> delivered | failed (or cancelled on the phone)."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"


class RecordStatus(StrEnum):
    """A record: counted while active; UNDO cancels it."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


# Messages decided, whatever the decision (a failed one is not decided: it is retried).
DECIDED = (
    MessageStatus.ACCEPTED,
    MessageStatus.REJECTED,
    MessageStatus.DUPLICATE,
    MessageStatus.IGNORED,
)
