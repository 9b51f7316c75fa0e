"""Rows for the outreach rule tests, written directly, and a frozen project clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from schemas.tables import (
    InboundMessage,
    OutboundMessage,
    OutreachSend,
    Record,
    Referral,
    Reporter,
    Survivor,
)
from workers.db import session_scope
from workers.outreach.run import RunReport, run_rules
from workers.settings import Settings

DHAKA = ZoneInfo("Asia/Dhaka")
_ids = count(1)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """Project time on `day` as an aware UTC instant: the frozen clock the rules get."""
    return datetime.combine(day, time(hour, minute), DHAKA).astimezone(UTC)


def reporter(
    settings: Settings,
    role: str = "activist",
    *,
    joined: date,
    union: str = "Nalta",
    upazila: str = "Kaliganj",
    language: str = "en",
) -> int:
    with session_scope(settings) as session:
        person = Reporter(
            phone=f"+88017{next(_ids):08d}",
            name="Staff",
            role=role,
            union=union,
            upazila=upazila,
            language=language,
            active=True,
            created_at=at(joined, 9),
        )
        session.add(person)
        session.flush()
        return person.id


def record(
    settings: Settings,
    reporter_id: int,
    keyword: str,
    on: date,
    *,
    union: str = "Nalta",
    survivor_id: int | None = None,
    service: str | None = None,
    status: str = "active",
) -> int:
    with session_scope(settings) as session:
        n = next(_ids)
        inbound = InboundMessage(
            channel="sms",
            provider="cli",
            provider_id=f"t{n}",
            sender="+8801700000000",
            text=keyword,
            provider_time=at(on),
            stored_at=at(on),
            status="accepted",
            reporter_id=reporter_id,
        )
        session.add(inbound)
        session.flush()
        row = Record(
            inbound_id=inbound.id,
            reporter_id=reporter_id,
            channel="sms",
            keyword=keyword,
            status=status,
            activity_date=on,
            received_at=at(on),
            union=union,
            upazila="Kaliganj",
            survivor_id=survivor_id,
            service=service,
            created_at=at(on),
            total=10 if keyword == "MEET" else None,
        )
        session.add(row)
        session.flush()
        return row.id


def survivor(settings: Settings, code: str, enrolled: date) -> int:
    with session_scope(settings) as session:
        person = Survivor(
            code=code,
            sex="F",
            age=20,
            is_child=False,
            upazila="Kaliganj",
            union="Nalta",
            enrolled_on=enrolled,
            active=True,
            created_at=at(enrolled),
        )
        session.add(person)
        session.flush()
        return person.id


def referral(settings: Settings, counsellor: int, service: str, on: date) -> int:
    survivor_id = survivor(settings, f"{next(_ids):06d}"[-6:], on)
    record_id = record(settings, counsellor, "REF", on, survivor_id=survivor_id, service=service)
    with session_scope(settings) as session:
        row = Referral(
            survivor_id=survivor_id,
            service=service,
            record_id=record_id,
            referred_on=on,
            active=True,
        )
        session.add(row)
        session.flush()
        return row.id


def close_referral(settings: Settings, referral_id: int, on: date) -> None:
    with session_scope(settings) as session:
        row = session.get(Referral, referral_id)
        assert row is not None
        row.outcome, row.outcome_on = "DONE", on


def run(settings: Settings, day: date, hour: int = 10, dry_run: bool = False) -> RunReport:
    return run_rules(settings, now=at(day, hour), dry_run=dry_run)


def sent(report: RunReport, rule: str) -> list[tuple[int, str, str]]:
    """(step, phone, text) of what this run made for `rule`."""
    return [
        (o.due.step, o.due.phone, o.text)
        for o in report.outcomes
        if o.due.rule == rule and o.result == "sent"
    ]


def phone_of(settings: Settings, reporter_id: int) -> str:
    with session_scope(settings) as session:
        person = session.get(Reporter, reporter_id)
        assert person is not None
        return person.phone


def counts(settings: Settings) -> tuple[int, int]:
    """(outreach_sends rows, outbound reminder/digest rows)."""
    with session_scope(settings) as session:
        guards = session.scalar(select(func.count()).select_from(OutreachSend))
        messages = session.scalar(
            select(func.count()).where(OutboundMessage.kind.in_(("reminder", "digest")))
        )
        return int(guards or 0), int(messages or 0)


def days(start: date, n: int) -> date:
    return start + timedelta(days=n)
