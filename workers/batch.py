"""One drain batch in a handful of round trips: read what its messages need once, insert together.

Processing one message at a time costs about nine statements each (duplicate check, record
check, record, audit entry, reply and status each a round trip). A batch instead reads its
senders, their duplicate candidates and its messages' existing records and replies in one
query each, decides the common messages (event reports, mistakes, duplicates of earlier
messages, WHO, HELP) from memory, and writes their records, audit entries, replies and
statuses with one flush per table (SQLAlchemy's insertmanyvalues and executemany).

Exactness comes first. A message whose answer depends on what the database holds beyond
that (ENR, a survivor service, REF, UNDO, LANG, a sender not registered, a second message
with the same (sender, text) in the batch, a message that already has a record or reply)
goes through `process_message`, the single-message path, after everything decided before it
is written: so it reads the batch's earlier messages exactly as the sequential loop did.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from schemas.outcomes import Accepted, Duplicate, Outcome
from schemas.tables import InboundMessage, OutboundMessage, Record, Reporter
from workers.apply import Later
from workers.apply.duplicates import Candidates, duplicate_key, lock_all
from workers.apply.known import Known
from workers.inbound import decide_later, finish_later, process_message
from workers.outbound.guard import calm, is_empty
from workers.outbound.throttle import Pressure
from workers.settings import Settings


@dataclass(frozen=True)
class _Decided:
    message: InboundMessage
    reporter: Reporter
    outcome: Outcome


def reporters_of(session: Session, messages: list[InboundMessage]) -> dict[str, Reporter]:
    """The batch's senders that are registered, by phone, in one query."""
    phones = {m.sender for m in messages if m.sender}
    if not phones:
        return {}
    return {r.phone: r for r in session.scalars(select(Reporter).where(Reporter.phone.in_(phones)))}


def _with_rows(
    session: Session, column: InstrumentedAttribute[int | None], ids: list[int]
) -> set[int]:
    """Which of `ids` appear in `column` (a record's or reply's inbound id), in one query."""
    if not ids:
        return set()
    return {i for i in session.scalars(select(column).where(column.in_(ids))) if i is not None}


class Batch:
    """Claimed messages, processed in id order inside the caller's transaction."""

    def __init__(
        self, session: Session, settings: Settings, messages: list[InboundMessage]
    ) -> None:
        self.session = session
        self.settings = settings
        self.messages = messages
        self.reporters = reporters_of(session, messages)
        self.outbound: list[int] = []
        self._waiting: list[_Decided] = []
        self._later = Later()
        self._seen: set[tuple[str, str]] = set()
        ids = [m.id for m in messages]
        # The locks the single path takes one at a time, first and in one go (see lock_all).
        lock_all(session, self._lock_names())
        self._candidates = Candidates(session, self._from_reporters())
        self._has_record = _with_rows(session, Record.inbound_id, ids)
        self._has_reply = _with_rows(session, OutboundMessage.inbound_id, ids)
        # Hourly limit and loop guard: one query; a sender near either goes the single path.
        self._pressure = Pressure(session, messages)
        self._per_sender: dict[str, int] = {}
        for message in messages:
            if message.sender:
                self._per_sender[message.sender] = self._per_sender.get(message.sender, 0) + 1

    def _active(self, message: InboundMessage) -> Reporter | None:
        reporter = self.reporters.get(message.sender) if message.sender else None
        return reporter if reporter is not None and reporter.active else None

    def _from_reporters(self) -> list[InboundMessage]:
        return [m for m in self.messages if self._active(m) is not None]

    def _lock_names(self) -> list[str]:
        names = []
        for message in self.messages:
            key = duplicate_key(message)
            if self._active(message) is None and message.sender:
                names.append(message.sender)  # the not-registered reply's lock
            elif key is not None and message.sender:
                names.append(message.sender + key)  # find_duplicate's lock
        return names

    def run(self) -> None:
        """Process every message; the reply ids to send are in `outbound` afterwards."""
        for message in self.messages:
            decided = self._decide(message)
            if isinstance(decided, _Decided):
                self._waiting.append(decided)
                continue
            self._write()  # the single path must read everything decided before it
            result = process_message(
                self.session, self.settings, message, reporters=self.reporters, known=decided
            )
            if result.outbound_id is not None:
                self.outbound.append(result.outbound_id)
        self._write()

    def _decide(self, message: InboundMessage) -> _Decided | Known:
        """The outcome from what the batch read, or what it knows for the single path."""
        known = Known(message.id in self._has_record, message.id in self._has_reply)
        key = duplicate_key(message)
        if key is not None and message.sender:
            pair = (message.sender, key)
            if pair in self._seen:
                return known  # a copy of an earlier message of this batch: read it back
            self._seen.add(pair)
        reporter = self._active(message)
        if reporter is None:
            return known
        pending = self._per_sender.get(message.sender or "", 0)
        if not calm(self.settings, self._pressure, message, pending):
            return known  # its reply may be held back or changed: the single path decides
        first = self._candidates.first(message)
        # A first copy always holds an active record (a duplicate's points at the same one).
        duplicate = Duplicate(first.record_id, "accepted") if first is not None else None
        known = replace(known, duplicate_checked=True, duplicate=duplicate)
        if known.has_record or known.has_reply:
            return known
        outcome = duplicate or decide_later(
            self.session, self.settings, message, reporter, self._later
        )
        if outcome is None or is_empty(outcome):
            return known  # an empty SMS again is answered once in 10 minutes: it reads
        return _Decided(message, reporter, outcome)

    def _write(self) -> None:
        """Insert the waiting records, then their audit entries, replies and statuses."""
        if not self._waiting:
            return
        if self._later.records:
            self.session.flush()  # one INSERT ... RETURNING for the batch's records
            self._later.written()
        replies = []
        for decided in self._waiting:
            outcome = decided.outcome
            record = self._later.records.get(decided.message.id)
            if record is not None and isinstance(outcome, Accepted):
                outcome = replace(outcome, record_id=record.id)
            reply = finish_later(
                self.session, self.settings, decided.message, decided.reporter, outcome
            )
            if reply is not None:
                replies.append(reply)
        self.session.flush()
        self.outbound.extend(reply.id for reply in replies)
        self._waiting.clear()
        self._later.records.clear()
