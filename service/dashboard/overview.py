"""The overview page: today's numbers and three charts (messages, records, rejections)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import render_template
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from schemas.commands import ErrorCode
from schemas.status import MessageStatus, RecordStatus
from schemas.tables import InboundMessage, Record, Referral, Survivor, UssdEvent
from service.dashboard import access, bp, flags, i18n
from service.dashboard.privacy import mask_phone, public_count, viewer_inbound, viewer_records
from service.web import db, settings

CHART_DAYS = 14
REASON_DAYS = 30
OVERDUE_DAYS = 30
# Stacking order of the message chart, most common first.
STATUSES = (
    MessageStatus.ACCEPTED,
    MessageStatus.REJECTED,
    MessageStatus.DUPLICATE,
    MessageStatus.IGNORED,
    MessageStatus.RECEIVED,
    MessageStatus.FAILED,
)
_ERROR_CODES = {code.value for code in ErrorCode}


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    parts: tuple[tuple[str, int, float], ...]  # (key, count, percent of the widest bar)


def local_today(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def start_of(day: date, tz: str) -> datetime:
    """Midnight of a local day, in UTC, for comparing with stored timestamps."""
    return datetime.combine(day, time.min, ZoneInfo(tz)).astimezone(UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _seen_messages() -> tuple[ColumnElement[bool], ...]:
    """Coordinators count every message; viewers none that made a survivor record."""
    return () if access.is_coordinator() else (viewer_inbound(),)


def _seen_records() -> tuple[ColumnElement[bool], ...]:
    return () if access.is_coordinator() else (viewer_records(),)


def messages_per_day(session: Session, tz: str, today: date) -> list[Bar]:
    first = today - timedelta(days=CHART_DAYS - 1)
    rows = session.execute(
        select(InboundMessage.provider_time, InboundMessage.status).where(
            InboundMessage.provider_time >= start_of(first, tz), *_seen_messages()
        )
    ).all()
    zone = ZoneInfo(tz)
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for at, status in rows:
        try:
            counts[_aware(at).astimezone(zone).date()][status] += 1
        except (OverflowError, ValueError):
            continue  # a time at the calendar's edge (9999-12-31) is on no chart day
    widest = max((sum(c.values()) for c in counts.values()), default=0) or 1
    bars = []
    for offset in range(CHART_DAYS):
        day = first + timedelta(days=offset)
        c = counts.get(day, Counter())
        keys = [s for s in STATUSES if c[s]] + sorted(k for k in c if k not in STATUSES)
        parts = tuple((k, c[k], 100.0 * c[k] / widest) for k in keys)
        bars.append(Bar(i18n.short_day(day), sum(c.values()), parts))
    return bars


def simple_bars(pairs: list[tuple[str, int]], key: str = "bar") -> list[Bar]:
    """One single-colour bar per pair; `key` picks the colour (a status name or "bar")."""
    widest = max((n for _, n in pairs), default=0) or 1
    return [Bar(label, n, ((key, n, 100.0 * n / widest),)) for label, n in pairs]


def records_this_month(session: Session, today: date) -> list[tuple[str, int]]:
    rows = session.execute(
        select(Record.keyword, func.count())
        .where(Record.status == RecordStatus.ACTIVE, Record.activity_date >= today.replace(day=1))
        .where(Record.activity_date <= today, *_seen_records())
        .group_by(Record.keyword)
        .order_by(func.count().desc())
    ).all()
    return [(i18n.t(f"kw.{kw}"), n) for kw, n in rows]


def reason_label(reason: str | None) -> str:
    """Reasons start with an error code when the parser or worker set them; word those."""
    if not reason:
        return i18n.t("reason_none")
    head = reason.replace(":", " ").replace(";", " ").split()[0] if reason.strip() else ""
    return i18n.t(f"err.{head}") if head in _ERROR_CODES else reason[:80]


def rejected_reasons(session: Session, tz: str, today: date) -> list[tuple[str, int]]:
    since = start_of(today - timedelta(days=REASON_DAYS - 1), tz)
    rows = session.execute(
        select(InboundMessage.reason, func.count())
        .where(
            InboundMessage.status == MessageStatus.REJECTED, InboundMessage.provider_time >= since
        )
        .group_by(InboundMessage.reason)
    ).all()
    grouped: Counter[str] = Counter()
    for reason, n in rows:
        grouped[reason_label(reason)] += n
    return grouped.most_common(10)


def ussd_endings(session: Session, tz: str, today: date) -> list[tuple[str, int]]:
    """How USSD sessions ended: many "Incomplete" means the menus lose people."""
    since = start_of(today - timedelta(days=REASON_DAYS - 1), tz)
    rows = session.execute(
        select(UssdEvent.status, func.count())
        .where(UssdEvent.received_at >= since)
        .group_by(UssdEvent.status)
        .order_by(func.count().desc())
    ).all()
    return [(i18n.t(f"ussd.{status}") if status else "—", n) for status, n in rows]


def tiles(session: Session, tz: str, today: date) -> list[tuple[str, int | str]]:
    since = start_of(today, tz)
    today_counts = dict(
        session.execute(
            select(InboundMessage.status, func.count())
            .where(InboundMessage.provider_time >= since, *_seen_messages())
            .group_by(InboundMessage.status)
        ).all()
    )
    month_records = session.scalar(
        select(func.count()).where(
            Record.status == RecordStatus.ACTIVE,
            Record.activity_date >= today.replace(day=1),
            *_seen_records(),
        )
    )
    open_q = select(func.count()).where(Referral.active.is_(True), Referral.outcome.is_(None))
    open_referrals = session.scalar(open_q) or 0
    overdue = (
        session.scalar(open_q.where(Referral.referred_on < today - timedelta(days=OVERDUE_DAYS)))
        or 0
    )
    enrolled = session.scalar(select(func.count()).where(Survivor.active.is_(True))) or 0
    # Survivor-derived numbers: exact for coordinators, the public floor for everyone else.
    shown = (lambda n: n) if access.is_coordinator() else public_count
    return [
        ("tile_messages_today", sum(today_counts.values())),
        ("tile_accepted_today", today_counts.get("accepted", 0)),
        ("tile_rejected_today", today_counts.get("rejected", 0)),
        ("tile_records_month", month_records or 0),
        ("tile_enrolled", shown(enrolled)),
        ("tile_open_referrals", shown(open_referrals)),
        ("tile_overdue_referrals", shown(overdue)),
    ]


@bp.get("/")
def overview():  # type: ignore[no-untyped-def]
    tz = settings().timezone
    today = local_today(tz)
    session = db()
    return render_template(
        "overview.html",
        tiles=tiles(session, tz, today),
        per_day=messages_per_day(session, tz, today),
        statuses=STATUSES,
        by_type=simple_bars(records_this_month(session, today)),
        reasons=simple_bars(rejected_reasons(session, tz, today), "rejected"),
        ussd=simple_bars(ussd_endings(session, tz, today), "ignored"),
        chart_days=CHART_DAYS,
        reason_days=REASON_DAYS,
        **pipeline_flags(session, tz, today),
    )


def pipeline_flags(session: Session, tz: str, today: date) -> dict[str, object]:
    since = start_of(today - timedelta(days=REASON_DAYS - 1), tz)
    throttled = flags.throttled_numbers(session, settings())
    if throttled is not None and not access.is_coordinator():
        throttled = [mask_phone(phone) for phone in throttled]
    return {
        "clock_flagged": flags.clock_flagged(session, since),
        "send_failures": simple_bars(flags.failures_by_reason(session, since), "failed"),
        "throttled": throttled,
    }
