"""Runs the rules now: what is due, what may go, and the messages made for it (or, with
dry_run, only what would go out and why). The guard against sending twice is the database:
outreach_sends is unique per reason and per person, rule and day."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from schemas.outreach.texts import render
from schemas.outreach.window import closed_reason, next_open
from schemas.places import load_gazetteer
from schemas.tables import OutreachSend
from workers.db import session_scope
from workers.outbound.send import queue_reply
from workers.outreach import budget, rules
from workers.outreach.config import Loaded, load, local_now
from workers.outreach.sending import enqueue_outreach, queued_outreach
from workers.settings import Settings

log = logging.getLogger("ashshash.outreach")


@dataclass(frozen=True)
class Outcome:
    due: rules.Due
    text: str
    result: str  # "sent", "would send", "already sent", "one a day: tomorrow", "held: ..."


@dataclass(frozen=True)
class RunReport:
    local: datetime
    closed: str | None  # why nothing may go now
    opens: datetime | None
    budget: budget.BudgetState
    outcomes: list[Outcome]


def _now() -> datetime:
    return datetime.now(UTC)


def _union_bn() -> dict[str, str]:
    gazetteer = load_gazetteer()
    return {p.union: p.name_bn for p in gazetteer.unions() if p.union}


def due_now(session: Session, loaded: Loaded, local: datetime) -> Iterator[rules.Due]:
    today = local.date()
    config = loaded.config
    r = config.rules
    if r["silent_reporter"].enabled:
        yield from rules.silent_reporter(session, r["silent_reporter"], today)
    if r["meeting_due"].enabled:
        yield from rules.meeting_due(session, r["meeting_due"], today, _union_bn())
    if r["referral_open"].enabled:
        yield from rules.referral_open(session, r["referral_open"], today)
    if r["ic_without_cert"].enabled:
        yield from rules.ic_without_cert(session, r["ic_without_cert"], today)
    if r["weekly_digest"].enabled:
        yield from rules.weekly_digest(session, r["weekly_digest"], local, config)


def _budget_notice(
    session: Session, local: datetime, state: budget.BudgetState
) -> Iterator[rules.Due]:
    if not state.warn or state.stopped:
        return  # told once at 80 %; at 100 % outreach (this notice too) would only wait
    percent = 80
    for person in rules.coordinators(session, None):
        yield rules.Due(
            "budget",
            1,
            person.id,
            person.phone,
            person.language,
            f"{local:%Y-%m} {percent}",
            f"{state.used} of {state.budget} segments",
            {"percent": percent},
        )


def _blocked(session: Session, due: rules.Due, day: date) -> str | None:
    sends = select(OutreachSend.id).where(
        OutreachSend.rule == due.rule, OutreachSend.reporter_id == due.reporter_id
    )
    if session.scalar(
        sends.where(OutreachSend.subject == due.subject, OutreachSend.step == due.step).limit(1)
    ):
        return "already sent"
    if due.step == 2 and not session.scalar(
        sends.where(OutreachSend.subject == due.subject, OutreachSend.step == 1).limit(1)
    ):
        return "waits for the first reminder"
    if due.step == 3 and not session.scalar(
        select(OutreachSend.id)
        .where(
            OutreachSend.rule == due.rule,
            OutreachSend.subject == due.subject,
            OutreachSend.step == 1,
        )
        .limit(1)
    ):
        return "waits for the first reminder"
    if session.scalar(sends.where(OutreachSend.day == day).limit(1)):
        return "one a day: later"
    return None


def _make(settings: Settings, due: rules.Due, text: str, day: date) -> int | None:
    """The message and its guard row in one transaction; None when another worker won."""
    kind = "digest" if due.rule in ("weekly_digest", "budget") else "reminder"
    try:
        with session_scope(settings) as session:
            message = queue_reply(
                session, settings, to=due.phone, text=text, inbound_id=None, kind=kind
            )
            session.add(
                OutreachSend(
                    rule=due.rule,
                    reporter_id=due.reporter_id,
                    subject=due.subject[:60],
                    step=due.step,
                    day=day,
                    outbound_id=message.id,
                    created_at=datetime.now(UTC),
                )
            )
            return message.id
    except IntegrityError:
        return None


def run_rules(
    settings: Settings, *, now: datetime | None = None, dry_run: bool = False
) -> RunReport:
    """Evaluate every rule now; unless `dry_run`, make and enqueue what may go."""
    now = now or _now()
    loaded = load(settings)
    local = local_now(settings, now)
    window = loaded.config.window
    closed = closed_reason(local, window, loaded.holidays)
    outcomes: list[Outcome] = []
    made: list[int] = []
    with session_scope(settings) as session:
        state = budget.state(session, settings, now)
        candidates = [*_budget_notice(session, local, state), *due_now(session, loaded, local)]
        taken: set[tuple[str, int]] = set()
        for due in candidates:
            text = render(due.rule, due.step, due.language, **due.values)
            blocked = _blocked(session, due, local.date())
            if blocked is None and (due.rule, due.reporter_id) in taken:
                blocked = "one a day: later"
            if blocked is None and closed:
                blocked = f"held: {closed}"
            if blocked is None and state.stopped and due.rule != "budget":
                blocked = "stopped: monthly SMS budget reached"
            if blocked is None and dry_run:
                blocked = "would send"
            if blocked is None:
                taken.add((due.rule, due.reporter_id))
                outbound_id = _make(settings, due, text, local.date())
                blocked = "sent" if outbound_id else "already sent (another worker)"
                if outbound_id:
                    made.append(outbound_id)
            outcomes.append(Outcome(due, text, blocked))
    if not dry_run:
        stamp = f"{now:%Y%m%d%H%M}"
        if made:
            enqueue_outreach(settings, made, f"rules{stamp}")
        if not closed:
            with session_scope(settings) as session:
                waiting = [i for i in queued_outreach(session) if i not in set(made)]
            if waiting:
                enqueue_outreach(settings, waiting, f"held{stamp}")
    opens = next_open(local, window, loaded.holidays) if closed else None
    return RunReport(local, closed, opens, state, outcomes)
