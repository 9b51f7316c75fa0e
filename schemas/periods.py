"""Report periods: `2021`, `2021-Q3`, `FY2021`, `project` or explicit dates, as inclusive ranges."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_FISCAL = re.compile(r"^FY-?(\d{4})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Written out, not calendar.month_name: that one follows the process's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Bangla names of the Gregorian months, as printed on Bangladeshi calendars and reports.
MONTH_NAMES_BN = (
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
)


class PeriodError(ValueError):
    """A period that cannot be read; the message is one line, safe to show."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(f"period starts after it ends: {self.start} > {self.end}")

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    @property
    def whole_months(self) -> bool:
        last = calendar.monthrange(self.end.year, self.end.month)[1]
        return self.start.day == 1 and self.end.day == last

    @property
    def label(self) -> str:
        """How the report names the period: `January-December 2021`, `3 March 2021 - ...`."""
        s, e = self.start, self.end
        if self.whole_months:
            if (s.year, s.month) == (e.year, e.month):
                return f"{MONTH_NAMES[s.month - 1]} {s.year}"
            if s.year == e.year:
                return f"{MONTH_NAMES[s.month - 1]}-{MONTH_NAMES[e.month - 1]} {s.year}"
            return f"{MONTH_NAMES[s.month - 1]} {s.year}-{MONTH_NAMES[e.month - 1]} {e.year}"
        return f"{long_date(s)} - {long_date(e)}"

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, in order."""
        out: list[tuple[int, int]] = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def long_date(day: date) -> str:
    """`8 March 2021`: the seed report's way of writing a date."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def parse_date(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError) as exc:
        raise PeriodError(f"{what} must be YYYY-MM-DD, got {text!r}") from exc


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str, project_start: date, project_end: date) -> Period:
    """A named period; `project` is the configured project start to end."""
    raw = (text or "").strip()
    if raw.lower() == "project":
        return Period(project_start, project_end)
    if m := _YEAR.match(raw):
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31))
    if m := _QUARTER.match(raw):
        year, q = int(m.group(1)), int(m.group(2))
        return Period(date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
    if m := _FISCAL.match(raw):
        # US federal fiscal year, named by the year it ends in: FY2021 = Oct 2020 - Sep 2021.
        year = int(m.group(1))
        return Period(date(year - 1, 10, 1), date(year, 9, 30))
    if m := _MONTH.match(raw):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return Period(date(year, month, 1), _month_end(year, month))
    raise PeriodError(f"unknown period {text!r}: use 2021, 2021-Q3, FY2021, 2021-03 or project")


def resolve_period(
    *,
    start: str | None,
    end: str | None,
    period: str | None,
    project_start: date,
    project_end: date,
) -> Period:
    """One period from either `--period` or `--from`/`--to` (both ends required)."""
    if period and (start or end):
        raise PeriodError("give either a period or from/to dates, not both")
    if period:
        return parse_period(period, project_start, project_end)
    if not start or not end:
        raise PeriodError("give a period (2021, 2021-Q3, FY2021, project) or both from and to")
    return Period(parse_date(start, "from"), parse_date(end, "to"))
