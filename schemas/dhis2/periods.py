"""DHIS2 period ids (`202103`, `2021Q3`, `2021`, `2020Oct`) from the report's period names."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PERIOD_TYPES = ("Monthly", "Quarterly", "Yearly", "FinancialOct")
# How long each type is, in months: a longer period splits into shorter ones only when
# they tile it exactly (a financial year is four quarters, but not a calendar year).
_MONTHS = {"Monthly": 1, "Quarterly": 3, "Yearly": 12, "FinancialOct": 12}
_ADX_DURATION = {"Monthly": "P1M", "Quarterly": "P3M", "Yearly": "P1Y", "FinancialOct": "P1Y"}

_REPORT_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_REPORT_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_REPORT_FY = re.compile(r"^FY-?(\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_DHIS_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_DHIS_FY = re.compile(r"^(\d{4})Oct$", re.IGNORECASE)


class PeriodIdError(ValueError):
    """A period that is not understood or does not fit the data set; one line, safe to show."""


@dataclass(frozen=True)
class DhisPeriod:
    """One DHIS2 period: its type and first month (a financial year starts in October)."""

    type: str
    year: int
    month: int  # first month, 1-12

    @property
    def id(self) -> str:
        if self.type == "Monthly":
            return f"{self.year}{self.month:02d}"
        if self.type == "Quarterly":
            return f"{self.year}Q{(self.month - 1) // 3 + 1}"
        if self.type == "FinancialOct":
            return f"{self.year}Oct"
        return str(self.year)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        y, m = _add_months(self.year, self.month, _MONTHS[self.type] - 1)
        return date(y, m, calendar.monthrange(y, m)[1])

    @property
    def adx(self) -> str:
        """ADX writes a period as its ISO 8601 start and duration: `2021-03-01/P1M`."""
        return f"{self.start.isoformat()}/{_ADX_DURATION[self.type]}"

    def split(self, period_type: str) -> list[DhisPeriod]:
        """This period as periods of `period_type`, or PeriodIdError when they do not tile it."""
        if period_type == self.type:
            return [self]
        size = _MONTHS[period_type]
        if size > _MONTHS[self.type]:
            raise PeriodIdError(
                f"period {self.id} ({self.type}) is shorter than the data set's"
                f" {period_type} periods: ask for a whole {_noun(period_type)}"
            )
        if size == _MONTHS[self.type] or (self.month - 1) % size:
            raise PeriodIdError(
                f"period {self.id} ({self.type}) does not divide into the data set's"
                f" {period_type} periods"
            )
        out = []
        for offset in range(0, _MONTHS[self.type], size):
            y, m = _add_months(self.year, self.month, offset)
            out.append(DhisPeriod(period_type, y, m))
        return out


def _noun(period_type: str) -> str:
    return {
        "Monthly": "month",
        "Quarterly": "quarter",
        "Yearly": "year",
        "FinancialOct": "financial year (FY2021 or 2020Oct)",
    }[period_type]


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def parse_dhis_period(text: str) -> DhisPeriod:
    """`2021-03`, `2021-Q3`, `2021`, `FY2021` or a DHIS2 id (`202103`, `2021Q3`, `2020Oct`)."""
    raw = (text or "").strip()
    if m := _REPORT_MONTH.match(raw) or _DHIS_MONTH.match(raw):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return DhisPeriod("Monthly", year, month)
    elif m := _REPORT_QUARTER.match(raw):
        return DhisPeriod("Quarterly", int(m.group(1)), 3 * int(m.group(2)) - 2)
    elif m := _YEAR.match(raw):
        return DhisPeriod("Yearly", int(m.group(1)), 1)
    elif m := _REPORT_FY.match(raw):
        # US fiscal year, named by the year it ends in; DHIS2 names it by the year it starts.
        return DhisPeriod("FinancialOct", int(m.group(1)) - 1, 10)
    elif m := _DHIS_FY.match(raw):
        return DhisPeriod("FinancialOct", int(m.group(1)), 10)
    raise PeriodIdError(
        f"unknown period {text!r}: use 2021-03, 2021-Q3, 2021, FY2021 or a DHIS2 id"
        " (202103, 2021Q3, 2021, 2020Oct)"
    )


def periods_to_send(text: str, period_type: str | None) -> list[DhisPeriod]:
    """The DHIS2 periods a `--period` becomes for a data set of `period_type` (None: as asked)."""
    asked = parse_dhis_period(text)
    if not period_type:
        return [asked]
    return asked.split(period_type)
