"""Per-reporter activity: last report, records this month, days silent, this month's rejects."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.status import MessageStatus, RecordStatus
from schemas.tables import InboundMessage, Record
from service.dashboard.overview import reason_label, start_of

# A reporter silent this long, or failing this often in a month, needs a call.
SILENT_DAYS = 14
REJECTS_TO_CALL = 3


@dataclass(frozen=True)
class Activity:
    last_report: datetime | None  # the last message that made a record
    records_month: int
    silent_days: int | None  # since the last message of any kind; None: never sent one
    rejects_month: int
    top_reason: str | None  # the most common reason among this month's rejects

    @property
    def needs_call(self) -> bool:
        silent = self.silent_days is not None and self.silent_days >= SILENT_DAYS
        return silent or self.rejects_month >= REJECTS_TO_CALL


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def activity_by_reporter(
    session: Session, tz: str, today: date, counted: tuple[Any, ...] = ()
) -> dict[int, Activity]:
    """Activity of every reporter who ever sent something, keyed by reporter id; `counted`
    narrows the records counted (a viewer's tally leaves survivor records out)."""
    month = start_of(today.replace(day=1), tz)
    sender = InboundMessage.reporter_id
    last_any = dict(
        session.execute(
            select(sender, func.max(InboundMessage.provider_time))
            .where(sender.is_not(None))
            .group_by(sender)
        ).all()
    )
    last_report = dict(
        session.execute(
            select(sender, func.max(InboundMessage.provider_time))
            .where(sender.is_not(None), InboundMessage.status == MessageStatus.ACCEPTED)
            .group_by(sender)
        ).all()
    )
    records = dict(
        session.execute(
            select(Record.reporter_id, func.count())
            .where(Record.status == RecordStatus.ACTIVE, Record.received_at >= month, *counted)
            .group_by(Record.reporter_id)
        ).all()
    )
    reasons: dict[int, Counter[str]] = defaultdict(Counter)
    for rid, reason, n in session.execute(
        select(sender, InboundMessage.reason, func.count())
        .where(
            sender.is_not(None),
            InboundMessage.status == MessageStatus.REJECTED,
            InboundMessage.provider_time >= month,
        )
        .group_by(sender, InboundMessage.reason)
    ).all():
        reasons[rid][reason_label(reason)] += n
    now = datetime.now(UTC)
    found: dict[int, Activity] = {}
    for rid in set(last_any) | set(records):
        last = _aware(last_any.get(rid))
        top = reasons[rid].most_common(1) if rid in reasons else []
        found[rid] = Activity(
            last_report=_aware(last_report.get(rid)),
            records_month=int(records.get(rid, 0)),
            silent_days=(now - last).days if last is not None else None,
            rejects_month=sum(reasons[rid].values()) if rid in reasons else 0,
            top_reason=top[0][0] if top else None,
        )
    return found


NEVER = Activity(
    last_report=None, records_month=0, silent_days=None, rejects_month=0, top_reason=None
)
