"""Activity dates against the received date: forms, year inference, the window."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from schemas.commands import ErrorCode, ParseError
from schemas.dates import latest_occurrence, local_date, read_date

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("8/3", date(2026, 3, 8)),
        ("8-3-26", date(2026, 3, 8)),
        ("8.3.2026", date(2026, 3, 8)),
        ("08/03/2026", date(2026, 3, 8)),
        ("10/3", TODAY),
        ("today", TODAY),
        ("aj", TODAY),
        ("ajke", TODAY),
        ("আজ", TODAY),
        ("yesterday", date(2026, 3, 9)),
        ("gotokal", date(2026, 3, 9)),
        ("gatkal", date(2026, 3, 9)),
        ("গতকাল", date(2026, 3, 9)),
    ],
)
def test_date_forms(token: str, expected: date) -> None:
    assert read_date(token, TODAY, 45) == expected


def test_not_a_date_is_none() -> None:
    for token in ("nalta", "12", "m5", "100009", "s-100-009"):
        assert read_date(token, TODAY, 45) is None


def test_day_month_is_the_latest_not_after_received() -> None:
    assert read_date("1/2", TODAY, 400) == date(2026, 2, 1)
    assert read_date("11/3", TODAY, 400) == date(2025, 3, 11)
    assert read_date("25/12", TODAY, 400) == date(2025, 12, 25)


def test_29_february_goes_back_to_a_leap_year() -> None:
    assert latest_occurrence(2, 29, TODAY) == date(2024, 2, 29)
    assert read_date("29/2", date(2028, 3, 1), 45) == date(2028, 2, 29)
    err = read_date("29/2", TODAY, 45)
    assert isinstance(err, ParseError) and err.code is ErrorCode.DATE_TOO_OLD


@pytest.mark.parametrize(
    "token", ["31/2", "32/1", "0/3", "1/13", "29/2/2025", "30/2/24", "8/3/202", "123/4"]
)
def test_impossible_dates(token: str) -> None:
    err = read_date(token, TODAY, 45)
    assert isinstance(err, ParseError) and err.code is ErrorCode.IMPOSSIBLE_DATE
    assert err.field == "date"


def test_window_edges() -> None:
    assert read_date("24/1/26", TODAY, 45) == date(2026, 1, 24)  # exactly 45 days back
    old = read_date("23/1/26", TODAY, 45)
    assert isinstance(old, ParseError) and old.code is ErrorCode.DATE_TOO_OLD
    assert old.detail["days"] == 46
    future = read_date("11/3/2026", TODAY, 45)
    assert isinstance(future, ParseError) and future.code is ErrorCode.FUTURE_DATE


def test_received_date_is_local_to_the_project_zone() -> None:
    dhaka = ZoneInfo("Asia/Dhaka")
    assert local_date(datetime(2026, 3, 10, 17, 59, tzinfo=UTC), dhaka) == date(2026, 3, 10)
    assert local_date(datetime(2026, 3, 10, 18, 0, tzinfo=UTC), dhaka) == date(2026, 3, 11)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 10, 18, 0), dhaka)
