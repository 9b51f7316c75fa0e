"""Validate a parsed command against the database and write records: `apply_command`."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import EVENT_KEYWORDS, Command, ErrorCode, Role
from schemas.outcomes import Accepted, Outcome
from schemas.tables import InboundMessage, Record, Referral, Reporter, Survivor
from workers.apply.common import help_list, set_lang, who
from workers.apply.duplicates import find_duplicate
from workers.apply.events import apply_event
from workers.apply.records import Later, existing_record
from workers.apply.referrals import record_outcome, refer
from workers.apply.rejections import reject
from workers.apply.survivors import apply_service, enrol
from workers.apply.undo import Canceller, undo
from workers.settings import Settings

__all__ = ["Later", "apply_command", "can_wait", "find_duplicate"]

SERVICE_KEYWORDS = ("NA", "IC", "FC", "CERT", "EMG", "SUP")
# Survivor commands that touch a survivor; CC is event-shaped and still a counsellor's.
COUNSELLOR_KEYWORDS = ("ENR", "CC", "REF", "REFOUT") + SERVICE_KEYWORDS
# Commands decided without reading the database: a drain batch applies them with `later`.
NO_READS = (*EVENT_KEYWORDS, "CC", "WHO", "HELP")


def can_wait(command: Command) -> bool:
    """True when `apply_command(..., later=...)` can take this command: it reads nothing, and
    what it writes (at most an event record and its audit entry) can wait for one flush."""
    return command.keyword in NO_READS


def apply_command(
    session: Session,
    settings: Settings,
    *,
    message: InboundMessage,
    reporter: Reporter,
    command: Command,
    rng: random.Random | None = None,
    later: Later | None = None,
    no_record: bool = False,
) -> Outcome:
    """Decide what a parsed command means for the database and write it (never commits).

    `later` is a drain batch's: only for commands `can_wait` accepts, from messages the batch
    knows have no record yet (it looked them all up at once); records wait for its flush.
    `no_record`: the caller looked already and this message has no record (a drain batch).
    """
    keyword = command.keyword
    if keyword in COUNSELLOR_KEYWORDS and reporter.role == Role.ACTIVIST:
        # The parser refuses these already; the records must not depend on that alone.
        return reject(
            reporter,
            keyword,
            ErrorCode.ROLE_NOT_ALLOWED,
            None,
            keyword=keyword,
            roles="counsellor, coordinator",
        )
    if later is not None:
        if not can_wait(command):
            raise ValueError(f"{keyword} reads the database; it cannot wait for a batch flush")
    elif not no_record:
        done = existing_record(session, message)
        if done is not None:
            return _accepted_again(session, done, command)
    actor = Actor.reporter(reporter.id)  # an SMS or USSD command: its sender did it
    if keyword in EVENT_KEYWORDS or keyword == "CC":
        return apply_event(
            session, message=message, reporter=reporter, command=command, actor=actor, later=later
        )
    if keyword == "ENR":
        return enrol(
            session,
            message=message,
            reporter=reporter,
            command=command,
            actor=actor,
            rng=rng or random.SystemRandom(),
        )
    if keyword in SERVICE_KEYWORDS:
        return apply_service(
            session, message=message, reporter=reporter, command=command, actor=actor
        )
    if keyword == "REF":
        return refer(session, message=message, reporter=reporter, command=command, actor=actor)
    if keyword == "REFOUT":
        return record_outcome(
            session, message=message, reporter=reporter, command=command, actor=actor
        )
    if keyword == "UNDO":
        return undo(session, message=message, command=command, by=Canceller.reporter(reporter))
    if keyword == "LANG":
        return set_lang(session, message=message, reporter=reporter, command=command, actor=actor)
    if keyword == "WHO":
        return who(reporter)
    if keyword == "HELP":
        return help_list(reporter, command)
    return reject(reporter, keyword, ErrorCode.UNKNOWN_KEYWORD, None, token=keyword)


def _accepted_again(session: Session, record: Record, command: Command) -> Accepted:
    """The same message applied twice: answer as the first time, write nothing."""
    code = None
    referral = None
    if record.keyword == "ENR" and record.survivor_id is not None:
        survivor = session.get(Survivor, record.survivor_id)
        code = survivor.code if survivor is not None else None
    if record.keyword == "REF" and record.referral_id is not None:
        referral = record.referral_id if session.get(Referral, record.referral_id) else None
    return Accepted(command=command, record_id=record.id, code=code, referral=referral)
