"""One message of a batch decided, marked and answered (the batch's exact path and its halves).

Not an entry point: `workers.inbound.process` (the one processing path) calls these with the
facts it pre-read. `process_exactly` reads whatever else the answer depends on; a message the
batch can decide from memory uses `decide_later` and, after the batch's flush, `finish_later`.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.commands import ErrorCode, Lang, ParseResult, Place, Role
from schemas.outcomes import (
    Accepted,
    Duplicate,
    Ignored,
    LangSet,
    NotRegistered,
    Outcome,
    Rejected,
)
from schemas.parse import Context, Sender, load_context, parse
from schemas.replies import render
from schemas.status import MessageStatus
from schemas.tables import InboundMessage, OutboundMessage, Reporter
from workers.apply import Later, apply_command, can_wait, find_duplicate
from workers.inbound.facts import Facts
from workers.outbound.guard import add_flag, budget, guard
from workers.outbound.send import queue_reply
from workers.outbound.throttle import Budget
from workers.settings import Settings

log = logging.getLogger("ashshash.inbound")

NOT_REGISTERED_EVERY = timedelta(hours=24)


@dataclass(frozen=True)
class ProcessResult:
    outcome: Outcome
    reply_text: str | None  # None: stay silent (unknown sender already told today, or config)
    status: MessageStatus  # accepted | rejected | duplicate | ignored
    record_id: int | None
    outbound_id: int | None = None


@lru_cache(maxsize=8)
def _context(timezone: str, max_backdate_days: int) -> Context:
    # Gazetteer and keyword tables are read once per process, not once per message.
    return load_context(timezone, max_backdate_days)


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored one is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _status_of(outcome: Outcome) -> tuple[MessageStatus, str | None]:
    if isinstance(outcome, Rejected):
        first = outcome.errors[0] if outcome.errors else None
        reason = f"{first.code}:{first.field}" if first and first.field else (first and first.code)
        return MessageStatus.REJECTED, (str(reason)[:200] if reason else None)
    if isinstance(outcome, Duplicate):
        return MessageStatus.DUPLICATE, None
    if isinstance(outcome, NotRegistered):
        return MessageStatus.IGNORED, None
    if isinstance(outcome, Ignored):
        return MessageStatus.IGNORED, "only_filler"
    return MessageStatus.ACCEPTED, None


def _record_of(outcome: Outcome) -> int | None:
    if isinstance(outcome, Accepted):
        return outcome.record_id
    if isinstance(outcome, Duplicate):
        return outcome.first_record_id
    return None


def _lang(reporter: Reporter | None, outcome: Outcome) -> Lang:
    if isinstance(outcome, LangSet):
        return Lang(outcome.lang)
    if reporter is not None and reporter.language in ("en", "bn"):
        return Lang(reporter.language)
    return Lang.EN


def _told_recently(session: Session, sender: str, now: datetime) -> bool:
    """A "not registered" reply already went to this number in the last 24 hours."""
    if session.get_bind().dialect.name == "postgresql":
        # Two workers handling two texts from one stranger must not both reply.
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(sender))))
    since = now - NOT_REGISTERED_EVERY
    found = session.scalar(
        select(OutboundMessage.id)
        .where(
            OutboundMessage.to == sender,
            OutboundMessage.kind == "not_registered",
            OutboundMessage.created_at >= since,
        )
        .limit(1)
    )
    return found is not None


def _home(ctx: Context, reporter: Reporter) -> Place | None:
    """The registered union, the default place; a name the gazetteer lost means no default."""
    if not reporter.union:
        return None
    try:
        return ctx.gazetteer.union(reporter.union)
    except KeyError:
        log.warning("reporter %s: union %r not in the gazetteer", reporter.id, reporter.union)
        return None


def _parsed(
    settings: Settings, message: InboundMessage, reporter: Reporter, lenient: bool = True
) -> ParseResult:
    """The message read for its sender (registered union and name: a signature is dropped).
    `lenient=False` for a throttled sender: no forgiving reading, nothing saved unseen."""
    ctx = _context(settings.timezone, settings.max_backdate_days)
    sender = Sender(Role(reporter.role), _home(ctx, reporter), reporter.name)
    return parse(message.text or "", sender, _aware(message.provider_time), ctx, lenient=lenient)


def _rejected(result: ParseResult, reporter: Reporter) -> Rejected | Ignored:
    if result.errors and all(e.code is ErrorCode.ONLY_FILLER for e in result.errors):
        return Ignored()  # `ok`, `thanks`, 👍: the commonest answer to a reminder
    return Rejected(errors=result.errors, role=Role(reporter.role), keyword=result.keyword)


def _decide(
    session: Session,
    settings: Settings,
    message: InboundMessage,
    facts: Facts,
    rng: random.Random | None,
    lenient: bool = True,
) -> Outcome:
    reporter = facts.reporter
    if reporter is None or not reporter.active:
        return NotRegistered()
    if facts.duplicate_checked:
        duplicate = facts.duplicate
    else:
        duplicate = find_duplicate(session, message, reporter)
    if duplicate is not None:
        return duplicate
    result = _parsed(settings, message, reporter, lenient)
    if not result.ok or result.command is None:
        return _rejected(result, reporter)
    return apply_command(
        session,
        settings,
        message=message,
        reporter=reporter,
        command=result.command,
        rng=rng,
        no_record=not facts.has_record,
    )


def decide_later(
    session: Session, settings: Settings, message: InboundMessage, reporter: Reporter, later: Later
) -> Outcome | None:
    """A drain batch's decision for a message from an active reporter that is no duplicate
    (the batch checked): parsed, and applied when the command reads nothing (its record
    waits in `later`). None: the command reads the database; process it the usual way."""
    result = _parsed(settings, message, reporter)
    if not result.ok or result.command is None:
        return _rejected(result, reporter)
    if not can_wait(result.command):
        return None
    return apply_command(
        session, settings, message=message, reporter=reporter, command=result.command, later=later
    )


def _mark(
    message: InboundMessage, reporter: Reporter | None, outcome: Outcome, now: datetime
) -> None:
    status, reason = _status_of(outcome)
    if isinstance(outcome, NotRegistered):
        reason = "inactive_sender" if reporter is not None else "unknown_sender"
    message.status = status
    message.reason = reason
    message.record_id = _record_of(outcome)
    message.reporter_id = reporter.id if reporter is not None else None
    message.processed_at = now


def _answerable(message: InboundMessage, reply: str | None) -> bool:
    # Only a phone number can be answered (not an alphanumeric sender id or junk).
    return bool(reply and message.sender and message.sender.startswith("+"))


def process_exactly(
    session: Session,
    settings: Settings,
    message: InboundMessage,
    facts: Facts,
    *,
    reply_by_sms: bool,
    rng: random.Random | None = None,
) -> ProcessResult:
    """Decide, write and word the answer to one stored message. Does not commit.

    `facts` is what the batch read for this message (workers/inbound/facts.py);
    `reply_by_sms=False`: the answer is shown (USSD, the simulator), never texted or guarded.
    """
    reporter = facts.reporter
    spent = budget(session, settings, message) if reply_by_sms else Budget.OPEN
    outcome = _decide(session, settings, message, facts, rng, lenient=spent is not Budget.SPENT)
    lang = _lang(reporter, outcome)
    reply: str | None = render(outcome, lang) or None
    kind = "reply"
    now = datetime.now(UTC)
    if isinstance(outcome, NotRegistered):
        kind = "not_registered"
        if not settings.unknown_sender_reply or not message.sender:
            reply = None
        elif reply_by_sms and _told_recently(session, message.sender, now):
            reply = None
    if reply_by_sms:
        # Floods and loops: processed and stored all the same, answered or not.
        verdict = guard(session, settings, message, outcome, reply, lang.value, spent)
        reply = verdict.reply
        add_flag(message, verdict.flag)
    _mark(message, reporter, outcome, now)
    outbound_id = None
    if reply_by_sms and _answerable(message, reply):
        out = queue_reply(
            session,
            settings,
            to=message.sender or "",
            text=reply or "",
            inbound_id=message.id,
            kind=kind,
            known_new=not facts.has_reply,
        )
        outbound_id = out.id  # queue_reply flushed: the id exists before the commit
    return ProcessResult(
        outcome, reply, MessageStatus(message.status), message.record_id, outbound_id
    )


def finish_later(
    session: Session,
    settings: Settings,
    message: InboundMessage,
    reporter: Reporter,
    outcome: Outcome,
    *,
    reply_by_sms: bool,
) -> tuple[ProcessResult, OutboundMessage | None]:
    """A batch's message decided without reads (never NotRegistered): its status, and (by
    SMS) its reply added for the batch's next flush (the batch found no reply for it already).
    The result's `outbound_id` is filled in by the caller once that flush gave the id."""
    reply = render(outcome, _lang(reporter, outcome)) or None
    _mark(message, reporter, outcome, datetime.now(UTC))
    result = ProcessResult(outcome, reply, MessageStatus(message.status), message.record_id)
    if not reply_by_sms or not _answerable(message, reply):
        return result, None
    out = queue_reply(
        session,
        settings,
        to=message.sender or "",
        text=reply or "",
        inbound_id=message.id,
        known_new=True,
        flush=False,
    )
    return result, out


def load_reference_data(settings: Settings) -> None:
    """Read the gazetteer and keyword tables now rather than on the first message."""
    _context(settings.timezone, settings.max_backdate_days)
