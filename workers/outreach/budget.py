"""SMS_MONTHLY_BUDGET: segments used this calendar month (project time), and cost by kind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.status import OutboundStatus
from schemas.tables import OutboundMessage
from workers.settings import Settings

WARN_AT = 0.8
SENT = (OutboundStatus.SENT, OutboundStatus.DELIVERED)
_COST = re.compile(r"^\s*([A-Za-z]{3})\s*([0-9]+(?:\.[0-9]+)?)\s*$")


@dataclass(frozen=True)
class BudgetState:
    used: int
    budget: int  # 0: none set

    @property
    def share(self) -> float:
        return self.used / self.budget if self.budget else 0.0

    @property
    def stopped(self) -> bool:
        """At 100 %: no reminders, digests or broadcasts; replies keep going."""
        return bool(self.budget) and self.used >= self.budget

    @property
    def warn(self) -> bool:
        return bool(self.budget) and self.used >= WARN_AT * self.budget


def month_start(settings: Settings, now: datetime) -> datetime:
    local = now.astimezone(ZoneInfo(settings.timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def state(session: Session, settings: Settings, now: datetime) -> BudgetState:
    used = session.scalar(
        select(func.coalesce(func.sum(func.coalesce(OutboundMessage.segments, 1)), 0)).where(
            OutboundMessage.created_at >= month_start(settings, now),
            OutboundMessage.status.in_(SENT),
        )
    )
    return BudgetState(int(used or 0), settings.sms_monthly_budget)


@dataclass(frozen=True)
class KindUse:
    kind: str
    messages: int
    segments: int
    cost: dict[str, Decimal]  # currency -> amount, as the provider reported it


def parse_cost(raw: str | None) -> tuple[str, Decimal] | None:
    """`BDT 0.5000` -> ("BDT", 0.5000); anything else (None, "0", junk) -> None."""
    found = _COST.match(raw or "")
    if not found:
        return None
    try:
        return found.group(1).upper(), Decimal(found.group(2))
    except InvalidOperation:
        return None


def use_by_kind(session: Session, settings: Settings, now: datetime) -> list[KindUse]:
    """This month's sent messages per kind: count, segments and the providers' costs."""
    rows = session.execute(
        select(OutboundMessage.kind, OutboundMessage.segments, OutboundMessage.cost).where(
            OutboundMessage.created_at >= month_start(settings, now),
            OutboundMessage.status.in_(SENT),
        )
    ).all()
    totals: dict[str, list] = {}
    for kind, segments, cost in rows:
        entry = totals.setdefault(kind, [0, 0, {}])
        entry[0] += 1
        entry[1] += segments or 1
        parsed = parse_cost(cost)
        if parsed:
            entry[2][parsed[0]] = entry[2].get(parsed[0], Decimal(0)) + parsed[1]
    return [KindUse(kind, n, seg, cost) for kind, (n, seg, cost) in sorted(totals.items())]
