"""USSD on the database side: the caller, their last records, Save through the SMS path, events."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.commands import Command, Lang
from schemas.envelope import InboundEnvelope
from schemas.parse.canonical import to_text
from schemas.status import RecordStatus
from schemas.tables import InboundMessage, Record, Reporter, UssdEvent
from schemas.ussd.end import RecentRecord, in_progress, outcome_screen
from schemas.ussd.flows import Screen
from workers.inbound.accept import accept_now
from workers.phones import to_e164
from workers.settings import Settings

PROVIDER = "ussd"
RECENT = 3


def caller(session: Session, settings: Settings, phone: str | None) -> Reporter | None:
    """The active reporter behind a USSD phone number, or None (unknown or deactivated)."""
    e164 = to_e164(phone, settings.default_region)
    if e164 is None:
        return None
    reporter = session.scalar(select(Reporter).where(Reporter.phone == e164))
    return reporter if reporter is not None and reporter.active else None


def language(reporter: Reporter) -> Lang:
    return Lang.BN if reporter.language == Lang.BN else Lang.EN


def recent_records(session: Session, reporter: Reporter, limit: int = RECENT) -> list[RecentRecord]:
    """The caller's own latest records: number, type and date (nothing about any person)."""
    rows = session.execute(
        select(Record.id, Record.keyword, Record.activity_date, Record.status)
        .where(Record.reporter_id == reporter.id)
        .order_by(Record.id.desc())
        .limit(limit)
    ).all()
    return [
        RecentRecord(r.id, r.keyword, r.activity_date, r.status == RecordStatus.CANCELLED)
        for r in rows
    ]


def provider_id(session_id: str, text: str) -> str:
    """Unique per session and final text: a provider retry of the Save hop maps to one row."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"{session_id[:100]}:{digest}"


def save(
    session: Session,
    settings: Settings,
    *,
    reporter: Reporter,
    session_id: str,
    phone: str,
    command: Command,
    received: datetime,
    extra: dict | None = None,
) -> Screen:
    """Store the Save as the SMS it stands for and process it now; the END screen to show.

    The command goes through `to_text`, `accept_now` and the one processing path (a batch
    of one: parse, apply), so the record is the one the SMS would make. The END screen is
    kept on the message, so a retried hop shows the same screen instead of saving twice.
    Does not commit.
    """
    text = to_text(command)
    envelope = InboundEnvelope(
        channel="ussd",
        provider=PROVIDER,
        provider_id=provider_id(session_id, text),
        sender=phone,
        text=text,
        provider_time=received,
        extra={"session_id": session_id, **(extra or {})},
    )
    message, result = accept_now(session, settings, envelope)
    if result is None:
        return _stored_screen(message, reporter)  # a retry of a hop already saved
    # `reporter` is the same identity-mapped row the pipeline used: a LANG is already on it.
    screen = outcome_screen(result.outcome, language(reporter))
    message.extra = {**(message.extra or {}), "ussd_end": screen.text}
    return screen


def _stored_screen(message: InboundMessage, reporter: Reporter) -> Screen:
    shown = (message.extra or {}).get("ussd_end")
    if isinstance(shown, str) and shown:
        return Screen("END", shown)
    return in_progress(language(reporter))


@dataclass(frozen=True)
class UssdSummary:
    """End-of-session notices for the dashboard: how sessions ended, and where people gave up."""

    total: int
    by_status: dict[str, int]
    # (menu branch: the first two answers, e.g. "1*4" = Event > School; sessions that stopped there)
    abandoned_at: list[tuple[str, int]]


def event_summary(session: Session, since: datetime | None = None, top: int = 5) -> UssdSummary:
    """Counts by status, and the branches where Incomplete/Failed sessions stopped most."""
    query = select(UssdEvent.status, UssdEvent.input)
    if since is not None:
        query = query.where(UssdEvent.received_at >= since)
    by_status: Counter[str] = Counter()
    stopped: Counter[str] = Counter()
    total = 0
    for status, typed in session.execute(query):
        total += 1
        by_status[status or "unknown"] += 1
        if status in ("Incomplete", "Failed"):
            stopped["*".join((typed or "").split("*")[:2]) or "(main menu)"] += 1
    return UssdSummary(total, dict(by_status), stopped.most_common(top))
