"""Activity dates: D/M[/YY[YY]] and date words, read against the message's received date."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from schemas.commands import ErrorCode, ParseError
from schemas.text import normalise

# Day first, always; / - . between parts (rule 5). The year is optional.
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
# Numbers joined by date separators that fit no date form (8/3/202, 123/4): a date typed
# wrong, reported as such rather than read as a place name.
_DATE_LIKE = re.compile(r"^\d+(?:[/.-]\d+){1,2}$")
_WORDS = {
    normalise(word): offset
    for offset, words in (
        (0, ("today", "aj", "aaj", "ajke", "aajke", "আজ", "আজকে")),
        (1, ("yesterday", "gotokal", "gatkal", "gotokaal", "gotokall", "গতকাল", "গতকল")),
    )
    for word in words
}
_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")  # 8, 8th: the day before or after a month name
_YEAR = re.compile(r"^20\d\d$")  # a year after a month name: four digits, 2000-2099
# Rejects dates like 31/2 that exist in no year (29/2 exists, in leap years).
_LONGEST_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@lru_cache(maxsize=1024)  # a batch shares few provider timestamps; astimezone is not free
def local_date(received: datetime, timezone: ZoneInfo) -> date:
    """The received date in the project's time zone (received must be aware)."""
    if received.tzinfo is None:
        raise ValueError("received datetime must be timezone-aware")
    return received.astimezone(timezone).date()


def latest_occurrence(month: int, day: int, today: date) -> date:
    """The latest `day/month` not after today (29 Feb: the latest leap year's)."""
    year = today.year
    while True:
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate <= today:
                return candidate
        year -= 1


def is_date_token(token: str) -> bool:
    return token in _WORDS or _DATE_LIKE.match(token) is not None


def check_window(when: date, today: date, max_backdate_days: int) -> ParseError | None:
    """Rule 6: not after the received date, not more than max_backdate_days before it."""
    if when > today:
        return ParseError(ErrorCode.FUTURE_DATE, "date", {"date": when.isoformat()})
    days = (today - when).days
    if days > max_backdate_days:
        return ParseError(
            ErrorCode.DATE_TOO_OLD,
            "date",
            {"date": when.isoformat(), "days": days, "max": max_backdate_days},
        )
    return None


@lru_cache(maxsize=8192)  # the same few tokens against the same day; results are immutable
def read_date(token: str, today: date, max_backdate_days: int) -> date | ParseError | None:
    """A normalised token as an activity date; None when the token is not a date at all.

    A returned ParseError is shared between calls: treat its detail as read-only."""
    offset = _WORDS.get(token)
    if offset is not None:
        return today - timedelta(days=offset)
    found = _DATE.match(token)
    if found is None:
        if _DATE_LIKE.match(token):
            return ParseError(ErrorCode.IMPOSSIBLE_DATE, "date", {"token": token})
        return None
    day, month = int(found.group(1)), int(found.group(2))
    if not (1 <= month <= 12 and 1 <= day <= _LONGEST_MONTH[month]):
        return ParseError(ErrorCode.IMPOSSIBLE_DATE, "date", {"token": token})
    year_text = found.group(3)
    if year_text is None:
        when = latest_occurrence(month, day, today)
    else:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        try:
            when = date(year, month, day)
        except ValueError:  # 29/2 of a common year, or year 0000
            return ParseError(ErrorCode.IMPOSSIBLE_DATE, "date", {"token": token})
    problem = check_window(when, today, max_backdate_days)
    if problem is None:
        return when
    if year_text is None and day <= 12 and day != month:
        swapped = latest_occurrence(day, month, today) if month <= _LONGEST_MONTH[day] else None
        if swapped is not None and check_window(swapped, today, max_backdate_days) is None:
            # 3/8 read day first is August; 8/3 is in the window: the reply hints day first.
            return ParseError(problem.code, "date", {**problem.detail, "swapped": f"{month}/{day}"})
    return problem


def _day(token: str) -> int | None:
    found = _DAY.match(token)
    return int(found.group(1)) if found and 1 <= int(found.group(1)) <= 31 else None


def month_readings(words: list[str], months: dict[str, int]) -> list[list[str]]:
    """Rule 5: `8 March`, `8th mar`, `৮ মার্চ` [year] and `March 8` as D/M[/YYYY] tokens.

    `March 8` is read only when no number stands just before the month name; `3 March 9`
    gives both readings (the caller rejects it if both read cleanly as different records)."""
    if months.keys().isdisjoint(words):
        return [words]
    at = next(i for i, w in enumerate(words) if w in months)
    month = months[words[at]]
    before = _day(words[at - 1]) if at > 0 else None
    after = _day(words[at + 1]) if at + 1 < len(words) else None
    year_at = at + 1 if before is not None else at + 2
    year = words[year_at] if year_at < len(words) and _YEAR.match(words[year_at]) else None
    tail = f"/{year}" if year else ""
    out = []
    if before is not None:
        end = at + 1 + (1 if year else 0)
        out.append(words[: at - 1] + [f"{before}/{month}{tail}"] + words[end:])
    if after is not None and (before is None or not year):
        next_year = words[at + 2] if at + 2 < len(words) and _YEAR.match(words[at + 2]) else None
        end = at + 2 + (1 if next_year else 0)
        shown = f"{after}/{month}" + (f"/{next_year}" if next_year else "")
        out.append(words[:at] + [shown] + words[end:])
    return out or [words]
