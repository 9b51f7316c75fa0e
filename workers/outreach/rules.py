"""The rules of outreach.md: who is due what today, each with the reason, as data to send.

Each rule reads the records it waits for, so a reminder stops as soon as the record that
answers it arrives: the subject (what the reminder is about, with the date it counts from)
changes or disappears, and nothing more is due for the old one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.outreach.config import OutreachConfig, Rule
from schemas.outreach.texts import day_text, month_name
from schemas.status import RecordStatus
from schemas.tables import InboundMessage, Record, Referral, Reporter, Survivor


@dataclass(frozen=True)
class Due:
    """One message a rule wants to send today."""

    rule: str
    step: int  # 1 reminder, 2 second reminder, 3 coordinator
    reporter_id: int
    phone: str
    language: str
    subject: str
    why: str  # for `ashshash reminders --dry-run` and the outreach page
    values: dict[str, object] = field(default_factory=dict)


def _step_due(rule: Rule, first: int, days: int) -> list[int]:
    """Steps whose day has come, `days` after the anchor."""
    return [step for step, at in rule.step_days(first) if days >= at]


def coordinators(session: Session, upazila: str | None) -> list[Reporter]:
    """The coordinators registered in `upazila`, or all of them where none is."""
    every = list(
        session.scalars(
            select(Reporter)
            .where(Reporter.role == "coordinator", Reporter.active.is_(True))
            .order_by(Reporter.id)
        )
    )
    mine = [c for c in every if upazila and c.upazila == upazila]
    return mine or every


def _to(
    reporter: Reporter, rule: str, step: int, subject: str, why: str, values: dict[str, object]
) -> Due:
    return Due(rule, step, reporter.id, reporter.phone, reporter.language, subject, why, values)


def _ladder(
    session: Session,
    rule: Rule,
    first: int,
    days: int,
    subject: str,
    why: str,
    people: list[Reporter],
    upazila: str | None,
    values: dict[str, object],
) -> Iterator[Due]:
    for step in _step_due(rule, first, days):
        targets = coordinators(session, upazila) if step == 3 else people
        for person in targets:
            yield _to(person, rule.name, step, subject, f"{why}; step {step}", values)


def silent_reporter(session: Session, rule: Rule, today: date) -> Iterator[Due]:
    last = dict(
        session.execute(
            select(Record.reporter_id, func.max(Record.activity_date))
            .where(Record.status == RecordStatus.ACTIVE)
            .group_by(Record.reporter_id)
        ).all()
    )
    activists = session.scalars(
        select(Reporter)
        .where(Reporter.role == "activist", Reporter.active.is_(True))
        .order_by(Reporter.id)
    )
    for person in activists:
        since = last.get(person.id) or person.created_at.date()
        days = (today - since).days
        month = month_name(today.month, person.language)
        values: dict[str, object] = {"month": month, "days": days, "phone": person.phone}
        why = f"no accepted record since {since} ({days} days)"
        yield from _ladder(
            session,
            rule,
            rule.after_days,
            days,
            f"{person.id} since {since}",
            why,
            [person],
            person.upazila,
            values,
        )


def meeting_due(
    session: Session, rule: Rule, today: date, union_bn: dict[str, str]
) -> Iterator[Due]:
    activists = list(
        session.scalars(
            select(Reporter)
            .where(
                Reporter.role == "activist", Reporter.active.is_(True), Reporter.union.is_not(None)
            )
            .order_by(Reporter.id)
        )
    )
    last = dict(
        session.execute(
            select(Record.union, func.max(Record.activity_date))
            .where(Record.keyword == "MEET", Record.status == RecordStatus.ACTIVE)
            .group_by(Record.union)
        ).all()
    )
    unions: dict[str, list[Reporter]] = {}
    for person in activists:
        unions.setdefault(str(person.union), []).append(person)
    for union, people in sorted(unions.items()):
        since = last.get(union) or min(p.created_at.date() for p in people)
        days = (today - since).days
        why = f"no MEET in {union} since {since} ({days} days)"
        for step in _step_due(rule, rule.after_days, days):
            targets = coordinators(session, people[0].upazila) if step == 3 else people
            for person in targets:
                name = union_bn.get(union, union) if person.language == "bn" else union
                yield _to(
                    person,
                    rule.name,
                    step,
                    f"{union} since {since}",
                    f"{why}; step {step}",
                    {"union": name, "days": days},
                )


def referral_open(session: Session, rule: Rule, today: date) -> Iterator[Due]:
    rows = session.execute(
        select(Referral, Reporter)
        .join(Record, Record.id == Referral.record_id)
        .join(Reporter, Reporter.id == Record.reporter_id)
        .where(
            Referral.active.is_(True),
            Referral.outcome.is_(None),
            Record.status == RecordStatus.ACTIVE,
        )
        .order_by(Referral.id)
    ).all()
    for referral, counsellor in rows:
        first = rule.services.get(referral.service, rule.after_days)
        days = (today - referral.referred_on).days
        ref = f"R{referral.id}"
        for step in _step_due(rule, first, days):
            targets = coordinators(session, counsellor.upazila) if step == 3 else [counsellor]
            for person in targets:
                since = day_text(referral.referred_on, person.language)
                why = f"{ref} ({referral.service}) open since {referral.referred_on} ({days} days)"
                yield _to(
                    person,
                    rule.name,
                    step,
                    ref,
                    f"{why}; step {step}",
                    {"ref": ref, "since": since},
                )


def ic_without_cert(session: Session, rule: Rule, today: date) -> Iterator[Due]:
    active = Record.status == RecordStatus.ACTIVE
    last_ic = (
        select(Record.survivor_id, func.max(Record.activity_date).label("on"))
        .where(Record.keyword == "IC", active)
        .group_by(Record.survivor_id)
        .subquery()
    )
    certified = select(Record.survivor_id).where(Record.keyword == "CERT", active)
    rows = session.execute(
        select(Survivor.code, last_ic.c.on, Survivor.id)
        .join(last_ic, last_ic.c.survivor_id == Survivor.id)
        .where(Survivor.active.is_(True), Survivor.id.not_in(certified))
        .order_by(Survivor.id)
    ).all()
    for code, on, survivor_id in rows:
        days = (today - on).days
        if days < rule.after_days:
            continue
        counsellor = session.scalar(
            select(Reporter)
            .join(Record, Record.reporter_id == Reporter.id)
            .where(
                Record.survivor_id == survivor_id,
                Record.keyword == "IC",
                active,
                Record.activity_date == on,
                Reporter.active.is_(True),
            )
            .order_by(Record.id.desc())
            .limit(1)
        )
        if counsellor is None:
            continue
        why = f"code {code}: last IC {on} ({days} days), no CERT"
        yield from _ladder(
            session,
            rule,
            rule.after_days,
            days,
            f"{code} since {on}",
            why,
            [counsellor],
            counsellor.upazila,
            {"code": code, "days": days},
        )


def weekly_digest(
    session: Session,
    rule: Rule,
    local: datetime,
    config: OutreachConfig,
) -> Iterator[Due]:
    """Due from the configured weekday and time until the end of that ISO week."""
    start = local.date() - timedelta(days=(local.weekday() - rule.weekday) % 7)
    if local.date() == start and local.time() < rule.at:
        return
    year, week, _ = start.isocalendar()
    since = datetime.combine(start - timedelta(days=7), rule.at, local.tzinfo)
    until = datetime.combine(start, rule.at, local.tzinfo)
    counts = dict(
        session.execute(
            select(InboundMessage.status, func.count())
            .where(InboundMessage.stored_at >= since, InboundMessage.stored_at < until)
            .group_by(InboundMessage.status)
        ).all()
    )
    silent = sum(
        1
        for due in silent_reporter(session, config.rules["silent_reporter"], start)
        if due.step == 1
    )
    overdue = sum(
        1 for due in referral_open(session, config.rules["referral_open"], start) if due.step == 1
    )
    values: dict[str, object] = {
        "week": week,
        "saved": counts.get("accepted", 0),
        "not_saved": counts.get("rejected", 0),
        "silent": silent,
        "overdue": overdue,
    }
    for person in coordinators(session, None):
        yield _to(
            person, rule.name, 1, f"week {year}-W{week:02d}", f"digest of week {week}", values
        )
