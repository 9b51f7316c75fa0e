"""The one processing path: stored messages as a batch, in a handful of round trips.

Every stored message is processed here, whatever its channel and wherever it runs: the
drain job claims up to 100 at a time (`drain_batch`), a job by ids claims those (embedded
mode's hand-on), and USSD and the simulator pass their one message as a batch of one
(`process_one`). One code path, so the default test run exercises production's.

Processing one message at a time costs about nine statements each (duplicate check, record
check, record, audit entry, reply and status each a round trip). A batch instead reads its
senders, their duplicate candidates and its messages' existing records and replies in one
query each (`Facts`), decides the common messages (event reports, mistakes, duplicates of
earlier messages, WHO, HELP) from memory, and writes their records, audit entries, replies
and statuses with one flush per table (SQLAlchemy's insertmanyvalues and executemany).

Exactness comes first. A message whose answer depends on what the database holds beyond
that (ENR, a survivor service, REF, UNDO, LANG, a sender not registered, a second message
with the same (sender, text) in the batch, a message that already has a record or reply)
goes through `process_exactly`, after everything decided before it is written: so it reads
the batch's earlier messages exactly as a sequential loop would. A batch that fails (a bug)
is redone as batches of one, each in a savepoint, so only the bad message is marked failed.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Collection
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.outcomes import Accepted, Duplicate, Outcome
from schemas.status import MessageStatus, RecordStatus
from schemas.tables import InboundMessage, OutboundMessage, Record, Reporter
from workers.apply import Later
from workers.apply.duplicates import Candidates, duplicate_key, lock_all
from workers.db import DB_DOWN, session_scope, write_lock
from workers.inbound.decide import ProcessResult, decide_later, finish_later, process_exactly
from workers.inbound.facts import Facts, reporters_of, with_rows
from workers.outbound.guard import calm, is_empty
from workers.outbound.throttle import Pressure
from workers.settings import Settings

log = logging.getLogger("ashshash.inbound.process")

BATCH = 100


@dataclass(frozen=True)
class _Decided:
    message: InboundMessage
    reporter: Reporter
    outcome: Outcome


class Batch:
    """Claimed messages, processed in id order inside the caller's transaction.

    `reply_by_sms=False` (USSD, the simulator): answers are shown, not texted, so nothing is
    guarded or queued to send. After `run`, `results` holds each message's result by id and
    `outbound` the reply ids to send."""

    def __init__(
        self,
        session: Session,
        settings: Settings,
        messages: list[InboundMessage],
        *,
        reply_by_sms: bool = True,
        rng: random.Random | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self.messages = messages
        self.reply_by_sms = reply_by_sms
        self.rng = rng  # survivor codes (ENR); None: the system's secure generator
        self.reporters = reporters_of(session, messages)
        self.outbound: list[int] = []
        self.results: dict[int, ProcessResult] = {}
        self._waiting: list[_Decided] = []
        self._later = Later()
        self._seen: set[tuple[str, str]] = set()
        ids = [m.id for m in messages]
        # The locks the single path takes one at a time, first and in one go (see lock_all).
        lock_all(session, self._lock_names())
        self._candidates = Candidates(session, self._from_reporters())
        self._has_record = with_rows(session, Record.inbound_id, ids)
        self._has_reply = (
            with_rows(session, OutboundMessage.inbound_id, ids) if reply_by_sms else set()
        )
        # Hourly limit and loop guard: one query; a sender near either goes the exact path.
        self._pressure = Pressure(session, messages) if reply_by_sms else None
        self._per_sender: dict[str, int] = {}
        for message in messages:
            if message.sender:
                self._per_sender[message.sender] = self._per_sender.get(message.sender, 0) + 1

    def _reporter(self, message: InboundMessage) -> Reporter | None:
        return self.reporters.get(message.sender) if message.sender else None

    def _active(self, message: InboundMessage) -> Reporter | None:
        reporter = self._reporter(message)
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
        """Process every message (results in `results`, reply ids to send in `outbound`)."""
        for message in self.messages:
            decided = self._decide(message)
            if isinstance(decided, _Decided):
                self._waiting.append(decided)
                continue
            self._write()  # the exact path must read everything decided before it
            result = process_exactly(
                self.session,
                self.settings,
                message,
                decided,
                reply_by_sms=self.reply_by_sms,
                rng=self.rng,
            )
            self.results[message.id] = result
            if result.outbound_id is not None:
                self.outbound.append(result.outbound_id)
        self._write()

    def _decide(self, message: InboundMessage) -> _Decided | Facts:
        """The outcome from what the batch read, or the facts for the exact path."""
        facts = Facts(
            self._reporter(message), message.id in self._has_record, message.id in self._has_reply
        )
        key = duplicate_key(message)
        if key is not None and message.sender:
            pair = (message.sender, key)
            if pair in self._seen:
                return facts  # a copy of an earlier message of this batch: read it back
            self._seen.add(pair)
        reporter = self._active(message)
        if reporter is None:
            return facts
        pending = self._per_sender.get(message.sender or "", 0)
        if self._pressure is not None and not calm(self.settings, self._pressure, message, pending):
            return facts  # its reply may be held back or changed: the exact path decides
        first = self._candidates.first(message)
        # A first copy always holds an active record (a duplicate's points at the same one).
        duplicate = Duplicate(first.record_id, RecordStatus.ACTIVE) if first is not None else None
        facts = replace(facts, duplicate_checked=True, duplicate=duplicate)
        if facts.has_record or facts.has_reply:
            return facts
        outcome = duplicate or decide_later(
            self.session, self.settings, message, reporter, self._later
        )
        if outcome is None or is_empty(outcome):
            return facts  # an empty SMS again is answered once in 10 minutes: it reads
        return _Decided(message, reporter, outcome)

    def _write(self) -> None:
        """Insert the waiting records, then their audit entries, replies and statuses."""
        if not self._waiting:
            return
        if self._later.records:
            self.session.flush()  # one INSERT ... RETURNING for the batch's records
            self._later.written()
        replies: list[tuple[int, OutboundMessage]] = []
        for decided in self._waiting:
            outcome = decided.outcome
            record = self._later.records.get(decided.message.id)
            if record is not None and isinstance(outcome, Accepted):
                outcome = replace(outcome, record_id=record.id)
            result, reply = finish_later(
                self.session,
                self.settings,
                decided.message,
                decided.reporter,
                outcome,
                reply_by_sms=self.reply_by_sms,
            )
            self.results[decided.message.id] = result
            if reply is not None:
                replies.append((decided.message.id, reply))
        self.session.flush()
        for message_id, reply in replies:
            self.results[message_id] = replace(self.results[message_id], outbound_id=reply.id)
            self.outbound.append(reply.id)
        self._waiting.clear()
        self._later.records.clear()


def process_one(
    session: Session,
    settings: Settings,
    message: InboundMessage,
    *,
    reply_by_sms: bool,
    rng: random.Random | None = None,
) -> ProcessResult:
    """One stored message processed now, in the caller's transaction: a batch of one."""
    batch = Batch(session, settings, [message], reply_by_sms=reply_by_sms, rng=rng)
    batch.run()
    return batch.results[message.id]


def _claim(session: Session, limit: int, ids: Collection[int] | None) -> list[InboundMessage]:
    # SQLite: two drains must not claim the same rows (no row locks there): hold the write
    # lock from before the claim until the batch commits.
    write_lock(session)
    query = select(InboundMessage).where(InboundMessage.status == MessageStatus.RECEIVED)
    if ids is not None:
        query = query.where(InboundMessage.id.in_(ids))
    query = query.order_by(InboundMessage.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # Rows another worker is processing are skipped, not waited for.
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _run_batch(
    settings: Settings, limit: int, ids: Collection[int] | None, isolate: bool
) -> tuple[list[int], list[int]]:
    outbound: list[int] = []
    with session_scope(settings) as session:
        messages = _claim(session, limit, ids)
        if not isolate:
            batch = Batch(session, settings, messages)
            batch.run()
            return [m.id for m in messages], batch.outbound
        for message in messages:
            try:
                with session.begin_nested():
                    alone = Batch(session, settings, [message])
                    alone.run()
            except DB_DOWN:
                raise
            except Exception as exc:
                log.exception("processing inbound %s failed", message.id)
                # A bug, not a user mistake: kept, with why; `ashshash requeue` retries it.
                message.status = MessageStatus.FAILED
                message.reason = f"{type(exc).__name__}: {exc}"[:200]
                continue
            outbound.extend(alone.outbound)
    return [m.id for m in messages], outbound


def drain_batch(
    settings: Settings, limit: int = BATCH, ids: Collection[int] | None = None
) -> tuple[list[int], list[int]]:
    """Process up to `limit` pending messages (of `ids`, if given) in one transaction:
    (their ids, the reply ids to send).

    Optimistic first: the whole batch (a handful of statements, no savepoints). If any
    message fails, the batch rolls back and is redone as batches of one, each in a
    savepoint, so only the bad one is marked failed (in the same commit).
    """
    try:
        return _run_batch(settings, limit, ids, isolate=False)
    except DB_DOWN:
        raise
    except Exception:  # noqa: BLE001 - redone below with each message isolated
        log.warning("a message in a batch failed; redoing the batch message by message")
        return _run_batch(settings, limit, ids, isolate=True)
