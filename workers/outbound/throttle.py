"""SENDER_HOURLY_LIMIT: replies to one number per rolling hour of stored time, and who is throttled.

A reply counts against the hour in which its message was stored (not the hour the worker ran),
so a backlog processed late is throttled as the sender's traffic was. One query reads a
number's replies of the hour before its messages; the same rows answer the reply-loop
questions of workers/outbound/guard.py (a text answered again and again, our own reply echoed).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.status import MessageStatus
from schemas.tables import InboundMessage, OutboundMessage
from schemas.text import text_key
from workers.apply.records import aware
from workers.settings import Settings

HOUR = timedelta(hours=1)


class Budget(enum.Enum):
    OPEN = "open"  # reply as usual
    LAST = "last"  # the last reply allowed this hour: it says that replies pause
    SPENT = "spent"  # throttled: processed strictly, stored, no reply


class _Reply(NamedTuple):
    """A reply of the hour (a tuple: a busy batch reads thousands of them)."""

    inbound_id: int
    stored_at: datetime
    text_key: str | None  # of the message answered
    status: str  # of the message answered
    text: str  # of the reply


@lru_cache(maxsize=8192)
def _reply_key(text: str) -> str:
    """A reply's text_key, hashed once: every later message of its number within the hour
    is compared against it (30 replies to a busy reporter, each hashed again per message)."""
    return text_key(text)


class Pressure:
    """The replies to these messages' senders whose messages were stored in the hour before
    (and up to) the messages' own stored times, read in one query."""

    def __init__(self, session: Session, messages: Sequence[InboundMessage]) -> None:
        self._by_sender: dict[str, list[_Reply]] = defaultdict(list)
        self._hours: dict[int, list[_Reply]] = {}  # by message id: each asked up to 3 times
        dated = [m for m in messages if m.sender and m.stored_at is not None]
        if not dated:
            return
        times = [aware(m.stored_at) for m in dated]
        rows = session.execute(
            select(
                OutboundMessage.to,
                InboundMessage.id,
                InboundMessage.stored_at,
                InboundMessage.text_key,
                InboundMessage.status,
                OutboundMessage.text,
            )
            .join(InboundMessage, InboundMessage.id == OutboundMessage.inbound_id)
            .where(
                OutboundMessage.to.in_({m.sender for m in dated}),
                InboundMessage.stored_at > min(times) - HOUR,
                InboundMessage.stored_at <= max(times),
            )
        )
        for to, inbound_id, stored_at, key, status, reply in rows:
            self._by_sender[to].append(
                _Reply(inbound_id, aware(stored_at), key, status, reply or "")
            )

    def _hour(self, message: InboundMessage) -> list[_Reply]:
        if not message.sender or message.stored_at is None:
            return []
        known = self._hours.get(message.id) if message.id is not None else None
        if known is not None:
            return known
        end = aware(message.stored_at)
        hour = [
            r
            for r in self._by_sender.get(message.sender, ())
            if end - HOUR < r.stored_at <= end and r.inbound_id != message.id
        ]
        if message.id is not None:
            self._hours[message.id] = hour
        return hour

    def replies(self, message: InboundMessage) -> int:
        """Replies already queued to this number for messages stored in its last hour."""
        return len(self._hour(message))

    def budget(self, settings: Settings, message: InboundMessage) -> Budget:
        limit = settings.sender_hourly_limit
        if limit <= 0:
            return Budget.OPEN  # 0 switches the limit off
        used = self.replies(message)
        if used >= limit:
            return Budget.SPENT
        return Budget.LAST if used == limit - 1 else Budget.OPEN

    def answered_same_text(self, message: InboundMessage) -> int:
        """How often this very text (after normalisation) from this number was answered
        without saving anything new. A text that made a record each time (`ENR F 25` for
        three survivors in an hour) is a person at work, not a loop."""
        key = message.text_key or (text_key(message.text) if message.text else None)
        return sum(
            1
            for r in self._hour(message)
            if key is not None and r.text_key == key and r.status != MessageStatus.ACCEPTED
        )

    def echoes_a_reply(self, message: InboundMessage) -> bool:
        """The message is one of our replies sent back (an auto-responder or a forward)."""
        if not message.text:
            return False
        key = message.text_key or text_key(message.text)
        return any(r.text and _reply_key(r.text) == key for r in self._hour(message))

    def near_limit(self, settings: Settings, message: InboundMessage, pending: int) -> bool:
        """With `pending` more messages of this number still to answer, could the limit be
        reached? (A drain batch then decides them one by one, exactly.)"""
        limit = settings.sender_hourly_limit
        return limit > 0 and self.replies(message) + pending >= limit - 1


def is_throttled(session: Session, settings: Settings, phone: str, now: datetime) -> bool:
    """Is this number throttled now: its messages stored in the last hour got the limit?"""
    limit = settings.sender_hourly_limit
    if limit <= 0:
        return False
    return _count(session, now, phone) >= limit


def _count(session: Session, now: datetime, phone: str) -> int:
    return int(
        session.scalar(
            select(func.count(OutboundMessage.id))
            .join(InboundMessage, InboundMessage.id == OutboundMessage.inbound_id)
            .where(OutboundMessage.to == phone, InboundMessage.stored_at > now - HOUR)
        )
        or 0
    )


def throttled_numbers(session: Session, settings: Settings, now: datetime) -> list[tuple[str, int]]:
    """(number, replies in the last hour) for every number throttled now, most replies first."""
    limit = settings.sender_hourly_limit
    if limit <= 0:
        return []
    replies = func.count(OutboundMessage.id)
    rows = session.execute(
        select(OutboundMessage.to, replies)
        .join(InboundMessage, InboundMessage.id == OutboundMessage.inbound_id)
        .where(InboundMessage.stored_at > now - HOUR, OutboundMessage.to != "")
        .group_by(OutboundMessage.to)
        .having(replies >= limit)
        .order_by(replies.desc(), OutboundMessage.to)
    )
    return [(to, int(n)) for to, n in rows]
