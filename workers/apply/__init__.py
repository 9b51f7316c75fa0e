"""Apply: a parsed command becomes records, checked against the database (`apply_command`).

The room's rule. It holds the step between a parsed `Command` and the rows it means: the
dispatch table (`dispatch.py`, one handler per catalog shape), the handlers (events, survivors,
referrals, undo, common), the duplicate rule and the audit writer, whose every entry names an
explicit `schemas.actor.Actor`. It may import `schemas` (the catalog, tables, outcomes),
`workers.settings` and `workers.db`, and its own modules; never `service` and never Flask, and
not the other workers rooms (inbound calls apply, not the other way round). Nothing here
commits: the caller's job owns the session.
"""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from schemas.actor import Actor
from schemas.commands import Command, ErrorCode
from schemas.outcomes import Accepted, Outcome
from schemas.tables import InboundMessage, Record, Referral, Reporter, Survivor
from workers.apply.dispatch import Applying, route_for, spec_of
from workers.apply.duplicates import find_duplicate
from workers.apply.records import Later, existing_record
from workers.apply.rejections import reject
from workers.settings import Settings

__all__ = ["Later", "apply_command", "can_wait", "find_duplicate"]


def can_wait(command: Command) -> bool:
    """True when `apply_command(..., later=...)` can take this command: it reads nothing, and
    what it writes (at most an event record and its audit entry) can wait for one flush."""
    route = route_for(command.keyword)
    return route is not None and route.waits


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
    spec = spec_of(keyword)
    if spec is not None and reporter.role not in spec.roles:
        # The parser refuses these already; the records must not depend on that alone.
        return reject(
            reporter,
            keyword,
            ErrorCode.ROLE_NOT_ALLOWED,
            None,
            keyword=keyword,
            roles=", ".join(role.value for role in spec.roles),
        )
    if later is not None:
        if not can_wait(command):
            raise ValueError(f"{keyword} reads the database; it cannot wait for a batch flush")
    elif not no_record:
        done = existing_record(session, message)
        if done is not None:
            return _accepted_again(session, done, command)
    route = route_for(keyword)
    if route is None:
        return reject(reporter, keyword, ErrorCode.UNKNOWN_KEYWORD, None, token=keyword)
    return route.handler(
        Applying(
            session=session,
            message=message,
            reporter=reporter,
            command=command,
            actor=Actor.reporter(reporter.id),  # an SMS or USSD command: its sender did it
            rng=rng,
            later=later,
        )
    )


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
