"""API query parameters read exactly as /api/v1/openapi.json describes them, else a 400.

Python's own parsers are generous (`int(" ٥")`, `date.fromisoformat("20210101")`); the API is
not, so that a request the description calls invalid is refused rather than half-read.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from flask import request

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
# Far beyond any table here, and far inside a 64-bit integer (10**20 overflowed PostgreSQL).
MAX_OFFSET = 10**9
_WHOLE = re.compile(r"^[0-9]{1,12}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# RFC 3339 date-time, as OpenAPI's `format: date-time` means it (an offset is required).
_DATE_TIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
# 2021, 2021-Q3, 2021Q3, 2021-03, FY2021, FY-2021, project (the one spelling each)
PERIOD_PATTERN = r"^([1-9][0-9]{3}(-?Q[1-4]|-(0[1-9]|1[0-2]))?|FY-?[1-9][0-9]{3}|project)$"
FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


class BadRequest(ValueError):
    """A parameter that does not follow the description; the message is one line."""


def given(name: str) -> str | None:
    """The raw value, or None when absent. Present but empty is a value (and usually wrong)."""
    return request.args.get(name)


def whole(name: str, default: int, low: int, high: int) -> int:
    raw = given(name)
    if raw is None:
        return default
    if not _WHOLE.match(raw) or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def page() -> tuple[int, int]:
    return whole("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), whole("offset", 0, 0, MAX_OFFSET)


def day(name: str) -> date | None:
    raw = given(name)
    if raw is None:
        return None
    try:
        if not _DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a date, YYYY-MM-DD") from exc


def moment(name: str) -> datetime | None:
    """A date (midnight UTC) or an RFC 3339 date-time with its offset."""
    raw = given(name)
    if raw is None:
        return None
    if _DATE.match(raw):
        found = day(name)
        assert found is not None
        return datetime(found.year, found.month, found.day, tzinfo=UTC)
    try:
        if not _DATE_TIME.match(raw):
            raise ValueError(raw)
        return datetime.fromisoformat(raw.upper())
    except ValueError as exc:
        raise BadRequest(
            f"{name} must be YYYY-MM-DD or a date-time with its offset (2021-03-02T10:00:00Z)"
        ) from exc


def flag(name: str) -> bool:
    raw = given(name)
    if raw is None:
        return False
    if raw.lower() not in FLAGS:
        raise BadRequest(f"{name} must be 1 or 0")
    return FLAGS[raw.lower()]


def choice(name: str, allowed: tuple[str, ...]) -> str | None:
    """One of `allowed` (any letter case, given back as listed), or None when absent."""
    raw = given(name)
    if raw is None:
        return None
    for value in allowed:
        if raw.lower() == value.lower():
            return value
    raise BadRequest(f"{name} must be one of {', '.join(allowed)}")


def period_text() -> str | None:
    raw = given("period")
    if raw is None:
        return None
    if not re.match(PERIOD_PATTERN, raw):
        raise BadRequest("period must be like 2021, 2021-Q3, 2021-03, FY2021 or project")
    return raw
