"""Whether outreach may go at a given local time: quiet hours, weekend days, holidays."""

from __future__ import annotations

from collections.abc import Container
from datetime import date, datetime, time, timedelta

from schemas.outreach.config import WEEKDAYS, Window


def _quiet(at: time, window: Window) -> bool:
    start, end = window.quiet_start, window.quiet_end
    if start == end:
        return False
    if start > end:  # across midnight: 21:00-08:00
        return at >= start or at < end
    return start <= at < end


def closed_reason(local: datetime, window: Window, holidays: Container[date]) -> str | None:
    """None when outreach may go at `local` (project time), else why not, in words."""
    if local.date() in holidays:
        return "public holiday"
    if local.weekday() in window.weekend:
        return f"weekend ({WEEKDAYS[local.weekday()].capitalize()})"
    if _quiet(local.time(), window):
        return f"quiet hours ({window.quiet_start:%H:%M}-{window.quiet_end:%H:%M})"
    return None


def quiet_reason(local: datetime, window: Window) -> str | None:
    """Quiet hours alone: what holds a broadcast (a coordinator may text on a Friday)."""
    if _quiet(local.time(), window):
        return f"quiet hours ({window.quiet_start:%H:%M}-{window.quiet_end:%H:%M})"
    return None


def next_open(local: datetime, window: Window, holidays: Container[date]) -> datetime:
    """The first minute at or after `local` when outreach may go (looks 60 days ahead)."""
    at = local.replace(second=0, microsecond=0)
    for _ in range(180):
        if closed_reason(at, window, holidays) is None:
            return at
        if at.date() in holidays or at.weekday() in window.weekend:
            at = datetime.combine(at.date() + timedelta(days=1), time(0, 0), at.tzinfo)
            continue
        # Quiet hours: they end at quiet_end today, or tomorrow once past midnight's start.
        end = datetime.combine(at.date(), window.quiet_end, at.tzinfo)
        at = end if end > at else end + timedelta(days=1)
    return at
