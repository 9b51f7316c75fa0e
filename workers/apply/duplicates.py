"""Same sender, same text within 10 minutes: the copy processed second points at the first.

Only a first copy whose record is still active counts (sms-commands.md, Errors): a text
whose first copy was undone, rejected, or made no record (HELP, WHO, an empty SMS) is read
again from scratch. Two copies processed at once see each other: on PostgreSQL through an
advisory lock per (sender, text), on SQLite by taking the database's one write lock before
reading (`write_lock`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import Row, func, or_, select, text
from sqlalchemy.orm import Session

from schemas.outcomes import Duplicate
from schemas.status import MessageStatus
from schemas.tables import InboundMessage, Record, Reporter
from schemas.text import text_key
from workers.apply.records import aware
from workers.db import write_lock

WINDOW = timedelta(minutes=10)
# The statuses of a message that made (accepted) or points at (duplicate) a record. A first
# message still waiting, failed, rejected or ignored has no record a copy could point at.
PROCESSED = ("accepted", "duplicate")
ACTIVE = "active"


def duplicate_key(message: InboundMessage) -> str | None:
    """The normalised text a copy must share; None when the message cannot have one."""
    if not message.sender or message.text is None:
        return None
    return message.text_key or text_key(message.text) or None


def find_duplicate(
    session: Session, message: InboundMessage, reporter: Reporter | None = None
) -> Duplicate | None:
    key = duplicate_key(message)
    if key is None or message.sender is None:
        return None
    if session.get_bind().dialect.name == "postgresql":
        # Two workers on two copies at once: the second waits for the first to commit (the
        # lock ends with the transaction), then finds it processed.
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(message.sender + key))))
    else:
        write_lock(session)
    now = aware(message.provider_time)
    query = (
        select(InboundMessage)
        # Only a record still active makes a copy a duplicate: after UNDO the text is new.
        .join(Record, Record.id == InboundMessage.record_id)
        .where(
            Record.status == ACTIVE,
            InboundMessage.sender == message.sender,
            InboundMessage.provider_time >= now - WINDOW,
            # Both sides: jobs can run out of order (parallel workers, a requeue after an
            # outage), and whichever copy was processed first holds the one record.
            InboundMessage.provider_time <= now + WINDOW,
            InboundMessage.provider_id != message.provider_id,
            InboundMessage.status.in_(PROCESSED),
        )
        .order_by(InboundMessage.provider_time, InboundMessage.id)
    )
    if message.id is not None:
        query = query.where(InboundMessage.id != message.id)
    for first in session.scalars(query):
        # Compared here, not in SQL, so a row stored without its key still matches: one
        # sender's ten minutes is a handful of rows.
        if (first.text_key or text_key(first.text or "")) != key:
            continue
        return Duplicate(first_record_id=first.record_id, first_status=MessageStatus.ACCEPTED)
    return None


def lock_all(session: Session, names: Iterable[str]) -> None:
    """The advisory locks `find_duplicate` (and the not-registered check) take one at a time,
    taken for a whole drain batch in one statement, in hash order: two batches sharing keys
    then queue behind each other instead of deadlocking. On SQLite, its one write lock."""
    wanted = sorted(set(names))
    if session.get_bind().dialect.name == "sqlite":
        write_lock(session)
        return
    if not wanted:
        return
    session.execute(
        text(
            "SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtext(k) AS h"
            " FROM unnest(CAST(:names AS text[])) AS k ORDER BY h) AS ordered"
        ),
        {"names": wanted},
    )


class Candidates:
    """The first copies a drain batch's messages could duplicate, read in one query.

    Valid for the first message of the batch with a given (sender, key) only: a later one
    must see what the batch itself processed, so the batch sends it through `find_duplicate`.
    Take `lock_all` on the batch's keys first, as `find_duplicate` locks before it reads.
    """

    def __init__(self, session: Session, messages: Sequence[InboundMessage]) -> None:
        self._rows: dict[tuple[str, str], list[Row]] = defaultdict(list)
        keyed = [(m, k) for m in messages if m.sender and (k := duplicate_key(m))]
        if not keyed:
            return
        times = [aware(m.provider_time) for m, _ in keyed]
        query = (
            select(
                InboundMessage.id,
                InboundMessage.sender,
                InboundMessage.text_key,
                InboundMessage.text,
                InboundMessage.provider_id,
                InboundMessage.provider_time,
                InboundMessage.status,
                InboundMessage.record_id,
            )
            .join(Record, Record.id == InboundMessage.record_id)
            .where(
                Record.status == ACTIVE,
                InboundMessage.sender.in_({m.sender for m, _ in keyed}),
                InboundMessage.provider_time >= min(times) - WINDOW,
                InboundMessage.provider_time <= max(times) + WINDOW,
                InboundMessage.status.in_(PROCESSED),
                # A row stored without its key may still match (see find_duplicate).
                or_(
                    InboundMessage.text_key.in_({k for _, k in keyed}),
                    InboundMessage.text_key.is_(None),
                ),
            )
            .order_by(InboundMessage.provider_time, InboundMessage.id)
        )
        for row in session.execute(query):
            key = row.text_key or text_key(row.text or "")
            self._rows[(row.sender, key)].append(row)

    def first(self, message: InboundMessage) -> Row | None:
        """What `find_duplicate`'s query and loop would pick for this message, from memory."""
        key = duplicate_key(message)
        if key is None or message.sender is None:
            return None
        now = aware(message.provider_time)
        for row in self._rows.get((message.sender, key), ()):
            when = aware(row.provider_time)
            if not now - WINDOW <= when <= now + WINDOW:
                continue
            if row.provider_id == message.provider_id or row.id == message.id:
                continue
            return row
        return None
